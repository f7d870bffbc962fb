"""Reads: who sees which application, committee tallies, the experts' ranked summary, inbox counts."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import (
    READ_ACTIONS,
    ObjectPolicy,
    has_role,
    headed_department_ids,
    may_write_as,
    sees_everything,
)

from .enums import ApplicationStatus as S
from .enums import AssignmentStatus, Majority, MeetingStatus, VoteChoice
from .models import Application, ApplicationMember, CommitteeMeeting, ReviewAssignment, Revote, Vote

EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Roles that organise or supervise a blind review: they always know who applied, even when also assigned as experts.
IDENTITY_SUPERVISORS = (Role.TEACHING_AFFAIRS, Role.INSPECTOR, Role.ADMIN)
# Roles whose scope in docs/roles.md covers the people in the application process (the 申报表 with the master's birth
# date, objectors' names). Finance (funds) and 校企办 (enterprises, projects) see the process, not these personal data.
PERSONAL_DATA_ROLES = (
    Role.TEACHING_AFFAIRS,
    Role.DEV_OFFICE,
    Role.HR,
    Role.INSPECTOR,
    Role.LEADERSHIP,
    Role.ADMIN,
)
# A score further than this from the mean of the same application (on the 100-point scale) is flagged as an outlier.
OUTLIER_POINTS = Decimal("15")


def applications_visible_to(user, queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(_own_scope(user))


def _own_scope(user):
    """The applications `user` deals with personally (own, member, own department, assigned, on an agenda)."""
    q = Q(applicant=user) | Q(pk__in=ApplicationMember.objects.filter(user=user).values("application_id"))
    departments = headed_department_ids(user)
    if departments:
        q |= Q(department_id__in=departments) & ~Q(status=S.DRAFT)
    if has_role(user, Role.EXPERT):
        # Only after declaring no conflict of interest does an expert see the application itself.
        seen = ReviewAssignment.objects.filter(
            expert=user, status__in=[AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED]
        )
        q |= Q(pk__in=seen.values("application_id"))
    if has_role(user, Role.COMMITTEE):
        q |= Q(pk__in=CommitteeMeeting.agenda.through.objects.values("application_id"))
    return q


def identity_hidden_expr(user):
    """THE blind-review rule, as a boolean SQL expression over Application rows: True where `user` must not learn who
    applied — they are an assigned expert (any assignment status) of an application whose call is 匿名评审, and they are
    neither the applicant, nor the head of the applicant's department, nor a role that organises/supervises the review.
    Used by can(user, "see_identity", app) for one object and annotated on lists (one query, no N+1)."""
    if user is None or not user.is_authenticated or has_role(user, *IDENTITY_SUPERVISORS):
        return Value(False, output_field=BooleanField())
    blind_assignment = ReviewAssignment.objects.filter(
        application=OuterRef("pk"), expert=user, application__call__blind_review=True
    )
    condition = Q(Exists(blind_assignment)) & ~Q(applicant=user)
    if departments := headed_department_ids(user):
        condition &= ~Q(department_id__in=departments)
    return ExpressionWrapper(condition, output_field=BooleanField())


def with_identity_flag(user, queryset):
    """Annotate `identity_hidden` (the rule above) on every row of an Application queryset, and `applicant_shown_name`:
    the applicant's name, or "" where it is hidden — lists search and sort on it, so a name typed into the search box
    or a sort order cannot reveal who applied."""
    # The name is read by a subquery rather than a join to the user table: a list's bounded COUNT then selects only
    # the key and reads no user row (bench/RESULTS.md, 申报列表), while the 20 rows shown each look up one name.
    name = User.objects.filter(pk=OuterRef("applicant_id")).values("display_name")[:1]
    return queryset.annotate(identity_hidden=identity_hidden_expr(user)).annotate(
        applicant_shown_name=Case(
            When(identity_hidden=True, then=Value("")), default=Subquery(name), output_field=CharField()
        )
    )


def identity_hidden(user, application) -> bool:
    flag = getattr(application, "identity_hidden", None)
    if flag is not None:
        return bool(flag)
    return with_identity_flag(user, Application.objects.filter(pk=application.pk)).filter(identity_hidden=True).exists()


def sees_personal_data(user) -> bool:
    """May `user` read the personal data of people in the process (applicant's birth date on the 申报表, objectors)?
    Besides the people themselves: only the roles of PERSONAL_DATA_ROLES (docs/roles.md)."""
    return has_role(user, *PERSONAL_DATA_ROLES)


class ApplicationPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return applications_visible_to(user, queryset)

    def can(self, user, action, obj):
        if action == "see_identity":
            return not identity_hidden(user, obj)
        if action == "see_personal_data":
            # the applicant, members, the department head (own scope), experts/committee members handling it
            return sees_personal_data(user) or Application.objects.filter(pk=obj.pk).filter(_own_scope(user)).exists()
        visible = applications_visible_to(user, Application.objects.filter(pk=obj.pk)).exists()
        if action in READ_ACTIONS:
            return visible
        if action == "edit":
            return obj.applicant_id == user.pk and obj.status in EDITABLE
        if action == "withdraw":
            return obj.applicant_id == user.pk
        if action == "manage":
            return may_write_as(user, Role.TEACHING_AFFAIRS)
        if action == "transition":
            return visible
        return False


class ReviewAssignmentPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if sees_everything(user):
            return queryset
        return queryset.filter(expert=user)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return sees_everything(user) or obj.expert_id == user.pk
        return obj.expert_id == user.pk


class MeetingPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if sees_everything(user) or has_role(user, Role.COMMITTEE):
            return queryset
        return queryset.none()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return sees_everything(user) or has_role(user, Role.COMMITTEE)
        if action == "vote":
            return has_role(user, Role.COMMITTEE)
        return may_write_as(user, Role.TEACHING_AFFAIRS)


class StaffReadablePolicy(ObjectPolicy):
    """Publicity: the whole school reads it (校内公示); teaching affairs manages it."""

    def visible(self, user, queryset):
        return queryset if (has_role(user, Role.STAFF) or sees_everything(user)) else queryset.none()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return has_role(user, Role.STAFF) or sees_everything(user)
        return may_write_as(user, Role.TEACHING_AFFAIRS)


class ObjectionPolicy(ObjectPolicy):
    """The objector, teaching affairs and the roles whose scope covers personal data (纪检办 …) see an objection; the
    applicant does not, nor do finance and 校企办."""

    def visible(self, user, queryset):
        # finance and 校企办 see everything of their own records, not who objected (sees_personal_data)
        return queryset if sees_personal_data(user) else queryset.filter(raised_by=user)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return sees_personal_data(user) or obj.raised_by_id == user.pk
        return may_write_as(user, Role.TEACHING_AFFAIRS)


# --- committee --------------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    present: int
    quorum: int
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    majority: str = Majority.SIMPLE
    valid: bool = False
    passed: bool = False
    reason: str = ""

    open: bool = False  # the meeting still takes votes
    hidden: bool = False  # the viewer may not see the running count yet (tally_hidden)

    @property
    def cast(self):
        return self.votes_for + self.votes_against + self.votes_abstain

    @property
    def label(self):
        """What the result column reads: 「待表决」 before anyone has voted on an open meeting (not 「表决无效」, which
        is only the verdict of a finished count), 「表决中」 while votes come in, then the verdict."""
        if self.hidden:
            return "表决中（您表决后或会议结束后显示票数）"
        if self.valid:
            return "通过" if self.passed else "未通过"
        if self.open and self.present >= self.quorum:
            return "待表决" if self.cast == 0 else f"表决中（已有 {self.cast} 位委员表决）"
        return self.reason


def tally(meeting, application_id, present=None):
    """Count the votes on one agenda item: valid only with a quorum present AND voting; majority of those present."""
    present = meeting.members_present.count() if present is None else present
    counts = dict.fromkeys(VoteChoice.values, 0)
    for choice in Vote.objects.filter(meeting=meeting, application_id=application_id).values_list("choice", flat=True):
        counts[choice] += 1
    result = Tally(
        present=present,
        quorum=meeting.quorum,
        votes_for=counts[VoteChoice.FOR],
        votes_against=counts[VoteChoice.AGAINST],
        votes_abstain=counts[VoteChoice.ABSTAIN],
        majority=meeting.majority,
        open=meeting.status == MeetingStatus.OPEN,
    )
    if present < meeting.quorum:
        result.reason = f"出席委员 {present} 人，不足法定人数 {meeting.quorum} 人，表决无效。"
    elif result.cast < meeting.quorum:
        result.reason = f"参加表决的委员 {result.cast} 人，不足法定人数 {meeting.quorum} 人，表决无效。"
    else:
        result.valid = True
        if meeting.majority == Majority.TWO_THIRDS:
            result.passed = result.votes_for * 3 >= present * 2
        else:
            result.passed = result.votes_for * 2 > present
    return result


def tally_hidden(meeting, user, *, voted, present_ids=None):
    """Running tallies are hidden from committee members until they have voted on the item or the meeting is over
    (issue 9 item 3): a member who sees how the others voted is swayed by it. Hidden while the meeting is open and
    `user` has not voted (`voted`) on the item, if he sits at the meeting or is a committee member without a role that
    organises or supervises the process (教学工作部, 纪检办, 校领导 … — sees_everything). The page, the application page and
    the API all ask this one function."""
    if meeting.status != MeetingStatus.OPEN or voted:
        return False
    if present_ids is not None and user.pk in present_ids:
        return True
    if present_ids is None and meeting.members_present.filter(pk=user.pk).exists():
        return True
    return not sees_everything(user)


def viewer_tally(meeting, application_id, user, *, present=None, voted=None, present_ids=None):
    """tally() as `user` may see it: the counts zeroed and `hidden` set while tally_hidden()."""
    result = tally(meeting, application_id, present)
    if voted is None:
        voted = Vote.objects.filter(meeting=meeting, application_id=application_id, member=user).exists()
    if tally_hidden(meeting, user, voted=voted, present_ids=present_ids):
        return Tally(present=result.present, quorum=result.quorum, majority=result.majority, open=True, hidden=True)
    return result


def deciding_meeting(application):
    """The one meeting whose vote decides the application: on its agenda, not cancelled, not set aside by a 重新表决.
    Never "the newest": create_meeting refuses a second open meeting, so there is at most one."""
    set_aside = Revote.objects.filter(application_id=application.pk).values("earlier_meeting_id")
    return (
        CommitteeMeeting.objects.filter(agenda=application)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk__in=set_aside)
        .order_by("-held_on", "-id")
        .first()
    )


def deciding_tally(application):
    meeting = deciding_meeting(application)
    return None if meeting is None else tally(meeting, application.pk)


def committee_record(application, meetings, user):
    """Every meeting `application` was on (of `meetings`, the ones the viewer may see), oldest first, with its tally
    (as `user` may see it: viewer_tally) and what became of it: the deciding vote, set aside for a re-vote (reason), or
    a cancelled meeting (reason)."""
    meetings = list(meetings.filter(agenda=application).order_by("held_on", "id"))
    revotes = {r.earlier_meeting_id: r for r in Revote.objects.filter(application_id=application.pk)}
    deciding = deciding_meeting(application)
    rows = []
    for meeting in meetings:
        revote = revotes.get(meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            fate = f"会议已取消：{meeting.cancel_reason}"
        elif revote is not None:
            fate = f"已改为重新表决：{revote.reason}"
        elif deciding is not None and meeting.pk == deciding.pk:
            fate = "决定性表决" if meeting.status == MeetingStatus.CLOSED else "表决中（本次表决将决定结果）"
        else:
            fate = ""
        rows.append(
            {"meeting": meeting, "tally": viewer_tally(meeting, application.pk, user), "fate": fate, "revote": revote}
        )
    return rows


# --- expert review summary --------------------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    application: Application
    totals: list = field(default_factory=list)
    mean: Decimal | None = None
    spread: Decimal | None = None
    stdev: Decimal | None = None
    outliers: list = field(default_factory=list)  # (expert, total)
    rank: int | None = None
    recommendations: dict = field(default_factory=dict)


def expert_stats(reviews):
    """Mean, spread (max − min), population standard deviation, min and max of submitted reviews' totals, and how many
    experts recommended what — the figures of the ranked summary, for one application."""
    values = [r.total for r in reviews if r.total is not None]
    recommendations = {}
    for r in reviews:
        label = r.get_recommendation_display() or "未填写"
        recommendations[label] = recommendations.get(label, 0) + 1
    if not values:
        return {
            "count": 0,
            "mean": None,
            "stdev": None,
            "min": None,
            "max": None,
            "spread": None,
            "recommendations": {},
        }
    return {
        "count": len(values),
        "mean": (sum(values) / len(values)).quantize(Decimal("0.01")),
        "stdev": Decimal(str(round(statistics.pstdev([float(v) for v in values]), 2))),
        "min": min(values),
        "max": max(values),
        "spread": max(values) - min(values),
        "recommendations": recommendations,
    }


def expert_stats_by_application(application_ids):
    """{application_id: expert_stats} for several applications in one query (the committee's agenda)."""
    by_app = {pk: [] for pk in application_ids}
    for review in ReviewAssignment.objects.filter(
        application_id__in=list(application_ids), status=AssignmentStatus.SUBMITTED
    ).order_by("application_id", "id"):
        by_app[review.application_id].append(review)
    return {pk: expert_stats(reviews) for pk, reviews in by_app.items()}


def review_summary(call):
    """Applications of `call` that have submitted reviews, ranked by mean weighted score (highest first)."""
    applications = (
        Application.objects.filter(call=call)
        .exclude(status__in=[S.DRAFT, S.SUBMITTED, S.RETURNED])
        .select_related("applicant", "department")
        .order_by("pk")
    )
    reviews = ReviewAssignment.objects.filter(application__call=call, status=AssignmentStatus.SUBMITTED).select_related(
        "expert"
    )
    by_app = {}
    for review in reviews:
        by_app.setdefault(review.application_id, []).append(review)
    rows = []
    for app in applications:
        row = SummaryRow(application=app)
        done = by_app.get(app.pk, [])
        row.totals = [(r.expert, r.total) for r in done]
        for r in done:
            row.recommendations[r.get_recommendation_display()] = (
                row.recommendations.get(r.get_recommendation_display(), 0) + 1
            )
        if done:
            values = [r.total for r in done]
            row.mean = (sum(values) / len(values)).quantize(Decimal("0.01"))
            row.spread = max(values) - min(values)
            row.stdev = Decimal(str(round(statistics.pstdev([float(v) for v in values]), 2)))
            row.outliers = [(r.expert, r.total) for r in done if abs(r.total - row.mean) > OUTLIER_POINTS]
        rows.append(row)
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.application.pk))
    for index, row in enumerate(rows, start=1):
        row.rank = index if row.mean is not None else None
    return rows
