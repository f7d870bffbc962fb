"""The progress stepper of an application (issue 9 item 4): the stages 申报 → 系部推荐 → 专家评审 → 学术委员会 → 公示 →
认定, where the application is, and who acts next — read from the workflow table (applications/workflow.py) through
core.workflow.next_actors, so a changed table changes the stepper. Rendered by partials/stepper.html."""

from accounts.enums import Role
from core.workflow import history_for, next_actors

from .enums import ApplicationStatus as S

# (stage label, the statuses in which the application is at that stage)
STAGES = (
    ("申报", (S.DRAFT, S.RETURNED)),
    ("系部推荐", (S.SUBMITTED,)),
    ("专家评审", (S.RECOMMENDED, S.UNDER_REVIEW)),
    ("学术委员会", (S.REVIEWED,)),
    ("公示", (S.PROPOSED, S.IN_PUBLICITY)),
    ("认定", (S.APPROVED,)),
)
STOPPED = (S.REJECTED, S.DISQUALIFIED)
# The work that happens inside a stage before the table's next move (the experts score, the committee votes).
WORK_BEFORE_MOVE = {
    S.UNDER_REVIEW: "评审专家声明回避情况并评分",
    S.REVIEWED: "学术委员会审议表决",
    S.IN_PUBLICITY: "公示期内教职工可提出异议",
}


def _stage_of(status):
    for index, (_label, statuses) in enumerate(STAGES):
        if status in statuses:
            return index
    return None


def stepper(app):
    """{"steps": [{"label", "state" (done/current/todo/stopped), "number"}], "status_label", "next"}."""
    status = S(app.status)
    stopped_at = None
    if status in STOPPED:
        # the stage it stopped at: where it was before the last move (the history of this application)
        last = history_for(app).filter(to_state=status).order_by("-at", "-pk").first()
        stopped_at = _stage_of(S(last.from_state)) if last is not None else 0
        current = stopped_at if stopped_at is not None else 0
    else:
        current = _stage_of(status)
    steps = []
    for index, (label, _statuses) in enumerate(STAGES):
        if index < current or (status == S.APPROVED and index == current):
            state = "done"
        elif index == current:
            state = "stopped" if stopped_at is not None else "current"
        else:
            state = "todo"
        steps.append({"label": label, "state": state, "number": index + 1})
    return {"steps": steps, "status_label": status.label, "next": next_step(app)}


def next_step(app):
    """「下一步：…」 from the workflow table: the roles (or the applicant) whose moves carry the application on."""
    status = S(app.status)
    if status in (S.APPROVED, *STOPPED):
        return "办理已结束。"
    machine = app.WORKFLOW
    # 取消资格 is possible from anywhere and 撤回 is the applicant's way back: neither is the next step
    forward = [t for t in machine.targets(status) if t not in (S.DISQUALIFIED, S.DRAFT)]
    actors = next_actors(machine, status, forward=forward)
    who = "、".join("申报人" if a is None else Role(a).label for a in actors)
    moves = "、".join(machine.transitions[(str(status), t)].label or S(t).label for t in forward)
    before = WORK_BEFORE_MOVE.get(status)
    text = f"下一步：{who}办理（{moves}）。"
    return f"下一步：{before}，之后由{who}办理（{moves}）。" if before else text
