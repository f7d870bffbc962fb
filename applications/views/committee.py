from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.permissions import get_object_for_user, has_role, may_write_as, visible_to
from core.search import id_param

from .. import services
from ..enums import ApplicationStatus, Judgement, VoteChoice
from ..forms import CloseMeetingForm, MeetingForm, VoteForm
from ..models import Application, Call, CommitteeMeeting, Revote, Vote
from ..queries import expert_stats_by_application, viewer_tally, with_identity_flag
from .common import require_teaching_affairs, run


@login_required
def meeting_list(request):
    meetings = visible_to(request.user, CommitteeMeeting).select_related("call").order_by("-held_on", "-id")
    if (
        not meetings.exists()
        and not has_role(request.user, Role.COMMITTEE)
        and not may_write_as(request.user, Role.TEACHING_AFFAIRS)
    ):
        meetings = meetings.none()
    calls = Call.objects.order_by("-year") if may_write_as(request.user, Role.TEACHING_AFFAIRS) else []
    return render(request, "applications/meeting_list.html", {"meetings": meetings, "calls": calls})


@login_required
def meeting_create(request, call_pk):
    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=call_pk)
    reviewed = Application.objects.filter(call=call, status=ApplicationStatus.REVIEWED)
    form = MeetingForm(request.POST or None, agenda_queryset=reviewed)
    if request.method == "POST" and form.is_valid():
        meeting = run(request, lambda: services.create_meeting(by=request.user, call=call, **form.cleaned_data))
        if meeting:
            messages.success(request, "已创建审议会议。")
            return redirect("applications:meeting_detail", meeting.pk)
    return render(request, "applications/meeting_form.html", {"form": form, "call": call})


@login_required
def meeting_detail(request, pk):
    meeting = get_object_for_user(request, CommitteeMeeting.objects.select_related("call"), pk)
    agenda = list(
        with_identity_flag(request.user, meeting.agenda.select_related("applicant", "department")).order_by("pk")
    )
    present = list(meeting.members_present.order_by("username"))
    present_ids = {u.pk for u in present}
    my_votes = {
        app_id: VoteChoice(choice).label
        for app_id, choice in Vote.objects.filter(meeting=meeting, member=request.user).values_list(
            "application_id", "choice"
        )
    }
    revotes = {r.application_id: r for r in Revote.objects.filter(earlier_meeting=meeting)}
    stats = expert_stats_by_application([a.pk for a in agenda])
    rows = [
        {
            "app": a,
            "shown_applicant": a.applicant_shown_name or "（匿名评审）",
            "tally": viewer_tally(
                meeting, a.pk, request.user, present=len(present), voted=a.pk in my_votes, present_ids=present_ids
            ),
            "my_vote": my_votes.get(a.pk),
            "revote": revotes.get(a.pk),
            "experts": stats[a.pk],
            "judgements": [
                (code, Judgement(value).label, note)
                for code, value, note in (
                    ("专业相关性（R7）", a.dept_r7_judgement, a.dept_r7_note),
                    ("政治素质、师德（R8）", a.dept_r8_judgement, a.dept_r8_note),
                )
                if value
            ],
        }
        for a in agenda
    ]
    return render(
        request,
        "applications/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "present": present,
            "can_vote": has_role(request.user, Role.COMMITTEE) and request.user in present,
            "is_ta": may_write_as(request.user, Role.TEACHING_AFFAIRS),
            "close_form": CloseMeetingForm(initial={"minutes": meeting.minutes}),
        },
    )


@login_required
@require_POST
def meeting_vote(request, pk):
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="vote")
    form = VoteForm(request.POST)
    if form.is_valid():
        app = get_object_or_404(Application, pk=form.cleaned_data["application"])
        if run(request, lambda: services.cast_vote(meeting, app, by=request.user, choice=form.cleaned_data["choice"])):
            messages.success(request, "已表决。")
    return redirect("applications:meeting_detail", pk)


@login_required
@require_POST
def meeting_close(request, pk):
    require_teaching_affairs(request)
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="close")
    form = CloseMeetingForm(request.POST)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else ""
    if run(request, lambda: services.close_meeting(meeting, by=request.user, minutes=minutes)):
        messages.success(request, "表决结束，审议结果已记录。")
    return redirect("applications:meeting_detail", pk)


@login_required
@require_POST
def meeting_revote(request, pk):
    """重新表决: one agenda item set aside, with a reason (teaching affairs, open meeting)."""
    require_teaching_affairs(request)
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="revote")
    app = get_object_or_404(Application, pk=id_param(request.POST.get("application", "")) or 0)
    reason = request.POST.get("reason", "")
    if run(request, lambda: services.revote(meeting, app, by=request.user, reason=reason)):
        messages.success(request, f"「{app}」已改为重新表决，请将其列入新的审议会议。")
    return redirect("applications:meeting_detail", pk)


@login_required
@require_POST
def meeting_cancel(request, pk):
    """取消会议 with a reason (teaching affairs; only while no valid vote can happen or nobody has voted)."""
    require_teaching_affairs(request)
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="cancel")
    reason = request.POST.get("reason", "")
    if run(request, lambda: services.cancel_meeting(meeting, by=request.user, reason=reason)):
        messages.success(request, "会议已取消。")
    return redirect("applications:meeting_detail", pk)
