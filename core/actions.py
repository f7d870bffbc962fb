"""Chinese labels of audit action codes (`applications.vote.cast` → 学术委员会表决：投票).

The audit log stores dotted codes (stable, searchable); people read labels. A label is found, in this order:
1. an exact entry in ACTIONS (codes whose wording is not "object + verb");
2. a workflow move: `<machine.audit_prefix>.<move.verb or target state>` reads "<object>：<move.label>";
3. composed from OBJECTS["app.object"] (or the model's verbose name) and VERBS["verb"] ("申报批次：创建").
core/tests/test_actions.py checks that every code the sources can write gets a label this way; a new code needs its
object and verb (or an exact entry) here.
"""

from functools import cache

OBJECTS = {
    "archive.archivedocument": "档案文件",
    "archive.yeararchive": "年度归档",
    "archive.addendum": "档案补充说明",
    "archive.archivepackage": "档案包",
    "accounts.user": "用户",
    "accounts.role": "角色",
    "accounts.department": "系部",
    "accounts.major": "专业",
    "accounts.api_token": "API 令牌",
    "accounts.apitoken": "API 令牌",
    "accounts.roleassignment": "角色",
    "accounts.profile": "个人信息",
    "accounts.login": "登录",
    "accounts.activation": "账号激活",
    "accounts.password_reset": "找回密码",
    "applications.application": "申报",
    "applications.call": "申报批次",
    "applications.attachment": "申报附件",
    "applications.review": "专家评审",
    "applications.reviewassignment": "专家评审",
    "applications.score": "评分",
    "applications.meeting": "学术委员会会议",
    "applications.committeemeeting": "学术委员会会议",
    "applications.agendaitem": "会议议程",
    "applications.vote": "学术委员会表决",
    "applications.publicity": "公示",
    "applications.objection": "公示异议",
    "applications.rubric": "评分标准",
    "applications.rubric_criterion": "评分指标",
    "applications.rubriccriterion": "评分指标",
    "applications.workday_override": "节假日调整",
    "applications.workdayoverride": "节假日调整",
    "applications.memberchoice": "工作室成员",
    "applications.applicationmember": "工作室成员",
    "applications.statuschange": "状态变更",
    "people.profile": "教职工档案",
    "people.staffprofile": "教职工档案",
    "people.workperiod": "工作经历",
    "people.honor": "荣誉",
    "people.honorkind": "荣誉类别",
    "people.enterprise": "合作企业",
    "people.affiliation": "企业兼职",
    "people.externalaffiliation": "企业兼职",
    "people.policyversion": "政策参数",
    "people.personal_data": "个人敏感信息",
    "people.roster": "教职工名册",
    "studios.studio": "技能大师工作室",
    "recommendations.recommendation": "推荐申报",
    "recommendations.levelrequirement": "推荐申报条件",
    "studios.membership": "工作室成员",
    "studios.studiomembership": "工作室成员",
    "studios.letter": "责任书",
    "studios.letter_template": "责任书模板",
    "studios.exception": "例外事项",
    "plans.plan": "建设方案",
    "plans.indicator_set": "考核指标",
    "ledger.mentorship": "师徒结对",
    "ledger.project": "项目",
    "funds.expenditure": "经费支出",
    "funds.budgetline": "经费预算",
    "funds.spendingcategory": "支出类别",
    "funds.overrunapproval": "超支审批",
    "news.notice": "通知公告",
    "news.post": "宣传报道",
    "showcase.honor": "荣誉公开展示",
    "showcase.achievement": "成果公开展示",
    "annual.report": "年度工作报告",
    "core.audit": "审计日志",
    "ops.backup": "数据备份",
    "core.auditevent": "审计日志",
    "core.notification": "通知",
    "core.statuschange": "状态变更",
}

VERBS = {
    "posted": "系统发布",
    "photo_added": "添加照片",
    "publicity": "设置是否公开",
    "created": "创建",
    "changed": "修改",
    "saved": "保存",
    "deleted": "删除",
    "removed": "移除",
    "copied": "复制",
    "imported": "导入",
    "assigned": "分配",
    "revoked": "撤销",
    "issued": "签发",
    "enabled": "启用",
    "disabled": "停用",
    "opened": "开放",
    "open": "开放",
    "closed": "关闭",
    "close": "关闭",
    "archived": "归档",
    "uploaded": "上传",
    "replaced": "替换",
    "draft_saved": "保存草稿",
    "submitted": "提交",
    "declared": "声明无利益冲突",
    "recused": "声明回避",
    "cast": "投票",
    "published": "发布",
    "announced": "通知全体教职工",
    "lodged": "提出",
    "investigating": "开始调查",
    "upheld": "异议成立",
    "dismissed": "异议不成立",
    "evidence_added": "添加调查材料",
    "rotated": "更换密钥",
    "rehashed": "重算哈希链",
    "reanchored": "重新锚定",
    "anchored": "锚定",
    "password_changed": "修改密码",
    "password_reset": "重置密码",
    "contact_changed": "修改联系方式",
    "activation_issued": "发出激活链接",
    "activated": "激活账号",
    "requested": "申请",
    "completed": "完成",
    "succeeded": "成功",
    "failed": "失败",
    "blocked": "被锁定",
    "throttled": "被限速",
    "denied": "被拒绝",
    "locked": "被锁定",
    "unlocked": "解除锁定",
    "restored": "恢复",
    "cancelled": "取消",
    "revote_requested": "要求重新表决",
    "password_reset_by_link": "通过链接重设密码",
    "reset_link_issued": "发出重设密码链接",
    "reset_requested": "申请重设密码",
    "activation_link_issued": "发出激活链接",
    "roles_changed": "调整角色",
    "new_version": "生成新版本",
    "updated": "修改",
    "spot_checked": "抽查",
    "attachment_added": "添加附件",
    "note_added": "添加记录",
    "stage_recorded": "记录阶段",
    "voucher_uploaded": "上传凭证",
    "overrun_approved": "批准超支",
    "registered": "登记",
    "added": "添加",
    "contacts_set": "设置联系人",
    "recorded": "记录",
    "resolved": "处理完毕",
    "generated": "生成",
    "signed": "签订",
    "admin_created": "后台新增",
    "admin_changed": "后台修改",
    "admin_deleted": "后台删除",
    "admin_password_changed": "后台修改密码",
}

ACTIONS = {
    # 年度考核 (evaluation/services.py); its workflow moves read from the machine's labels
    "evaluation.round.created": "年度考核：建立",
    "evaluation.round.recomputed": "年度考核：重新计算",
    "evaluation.round.evaluator_assigned": "年度考核：指派评分人",
    "evaluation.round.meeting": "年度考核：登记认定会议",
    "evaluation.round.vote_cast": "年度考核：委员表决",
    "evaluation.round.grades_confirmed": "年度考核：认定各工作室等级（冻结评分表）",
    "evaluation.scorecard.falsified": "考核评分表：弄虚作假否决",
    "evaluation.scorecard.evaluator_assigned": "考核评分表：指派评分人",
    "evaluation.scorecard.adjusted": "考核评分表：调整评分",
    "evaluation.scorecard.grade_decided": "考核评分表：学术委员会认定等级",
    "studios.studio.memberships_closed": "技能大师工作室：撤销时关闭成员关系",
    "studios.studio.level_changed": "技能大师工作室：调整级别",
    "accounts.login.succeeded": "登录成功",
    "accounts.login.failed": "登录失败（密码错误）",
    "accounts.login.blocked": "登录被锁定",
    "accounts.logout": "退出登录",
    "accounts.access.denied": "无权访问被拒绝",
    "accounts.sso.refused": "统一身份认证登录被拒绝",
    "accounts.sso.account_created": "统一身份认证：首次登录建立待启用账户",
    "accounts.sso.single_logout": "统一身份认证：单点退出",
    "applications.vote.cast": "学术委员会表决：投票",
    "core.audit.rehashed": "审计日志：重算哈希链",
    "core.audit.verified": "审计日志：校验审计链",
    "oversight.note.created": "监督意见：提出",
    "oversight.note.answer_added": "监督意见：补充答复",
    "oversight.note.corrected": "监督意见：更正",
    "oversight.note.edit_refused": "监督意见：拒绝修改记录",
    "oversight.attendance.recorded": "列席会议：登记",
    "people.personal_data.rotated": "个人敏感信息：更换加密密钥",
    "people.roster.imported": "教职工名册：导入",
    "archive.year.archived": "年度档案：归档",
    "archive.year.overridden": "年度档案：缺项放行归档",
    "archive.document.uploaded": "档案文件：上传",
    "archive.addendum.added": "档案补充说明：添加",
    "archive.package.started": "档案包：开始生成",
    "accounts.otp.enrolment_started": "两步验证：开始设置",
    "accounts.otp.enrolled": "两步验证：启用",
    "accounts.otp.failed": "两步验证：验证码错误",
    "accounts.otp.verified": "两步验证：验证通过",
    "accounts.otp.recovery_used": "两步验证：使用恢复码",
    "accounts.otp.recovery_regenerated": "两步验证：重新生成恢复码",
    "accounts.otp.reset": "两步验证：管理员重置",
    "integrations.webhook.created": "工作消息机器人：新增",
    "integrations.webhook.changed": "工作消息机器人：修改",
    "integrations.webhook.deleted": "工作消息机器人：删除",
    "integrations.webhook.tested": "工作消息机器人：发送测试消息",
    "integrations.calendar.issued": "日历订阅：生成订阅链接",
    "integrations.calendar.revoked": "日历订阅：停用订阅链接",
}


@cache
def _workflow_labels():
    from django.apps import apps

    labels = {}
    for model in apps.get_models():
        machine = getattr(model, "WORKFLOW", None)
        if machine is None or not hasattr(machine, "transitions"):
            continue
        obj = OBJECTS.get(machine.audit_prefix, model._meta.verbose_name)
        for (_src, dst), move in machine.transitions.items():
            verb = move.verb or dst
            labels[f"{machine.audit_prefix}.{verb}"] = f"{obj}：{move.label or machine.label(dst)}"
    return labels


def known_label(code: str) -> str | None:
    """The Chinese label of an action code, or None when neither an entry nor object and verb are known."""
    code = str(code or "")
    if code in ACTIONS:
        return ACTIONS[code]
    workflow = _workflow_labels().get(code)
    if workflow:
        return workflow
    head, _, verb = code.rpartition(".")
    obj = _object_label(head)
    if obj and verb in VERBS:
        return f"{obj}：{VERBS[verb]}"
    return None


def _object_label(head):
    """OBJECTS entry, else the verbose name of the model `head` names ("people.honorrule" → 荣誉认定规则)."""
    if head in OBJECTS:
        return OBJECTS[head]
    if head.count(".") != 1:
        return None
    from django.apps import apps

    try:
        return str(apps.get_model(head)._meta.verbose_name)
    except (LookupError, ValueError):
        return None


def action_label(code: str) -> str:
    """What the audit page shows: the label, never the raw code (an unknown code reads 其他操作)."""
    label = known_label(code)
    if label:
        return label
    obj = _object_label(str(code or "").rpartition(".")[0])
    return f"{obj}：其他操作" if obj else "其他操作"


def action_choices():
    """(code, label) of the known exact and workflow codes, for a filter select on the audit page."""
    pairs = {**ACTIONS, **_workflow_labels()}
    return sorted(pairs.items(), key=lambda pair: pair[1])


def action_objects():
    """(code prefix, label) per kind of object, for the audit page's filter (one option per label)."""
    seen, options = set(), []
    for prefix, label in sorted(OBJECTS.items(), key=lambda pair: pair[0]):
        if label not in seen:
            seen.add(label)
            options.append((prefix, label))
    return sorted(options, key=lambda pair: pair[1])
