"""The list pages of the application process (core.lists.ListPage): 工作室申报 and 申报批次, each with 导出 Excel."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department
from accounts.permissions import may_write_as, sees_everything, visible_to
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter

from .. import services
from ..enums import ApplicationStatus, CallStatus
from ..forms import CallForm
from ..models import Application, Call
from ..queries import with_identity_flag


class ApplicationFilter(ListFilterSet):
    # applicant_shown_name is "" where a blind reviewer may not learn the applicant (queries.with_identity_flag): a
    # name typed into the search box or a sort by 申报人 cannot reveal who applied
    q = SearchFilter("studio_name", "applicant_shown_name", label="工作室名称或申报人")
    status = ChoiceFilter(choices=ApplicationStatus.choices, empty_label="全部状态", label="状态")
    call = IdChoiceFilter(
        queryset=Call.objects.order_by("-year", "-id"), empty_label="全部批次", label="批次", label_field="title"
    )
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="全部系部", label="系部"
    )


class ApplicationListPage(ListPage):
    """All applications the user may see (other people's empty drafts left out), filtered, sorted, 20/50/100 a page."""

    template_name = "applications/list.html"
    filterset_class = ApplicationFilter
    list_url_name = "applications:list"
    export_title = "工作室申报"
    columns = (
        Column("name", "工作室名称", ("studio_name",), lambda a: a.studio_name or "（未命名草稿）"),
        Column(
            "applicant",
            "申报人",
            ("applicant_shown_name",),
            lambda a: "匿名评审" if a.identity_hidden else a.applicant.display_name,
        ),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("call", "批次", ("call__year",), "call.year"),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("updated", "更新时间", ("updated_at",), "updated_at"),
    )
    fallback_order = ("-id",)

    def get_queryset(self):
        user = self.request.user
        # Another person's draft that was never filled in is nobody's business yet: officers saw every 「未命名草稿」
        # of the school (issue 9 item 10). The applicant still sees his own.
        empty_foreign_draft = Q(status=ApplicationStatus.DRAFT, studio_name="") & ~Q(applicant=user)
        return with_identity_flag(
            user,
            visible_to(user, Application)
            .exclude(empty_foreign_draft)
            .select_related("call", "applicant", "department")
            # the status reads 「公示期满，待认定」 after the window (Application.get_status_display), without a query
            .annotate(publicity_ends_at=F("publicity__ends_at")),
        )

    def extra_context(self):
        return {"open_calls": services.calls_open_to(self.request.user)}


class CallFilter(ListFilterSet):
    q = SearchFilter("title", label="批次名称")
    year = ChoiceFilter(choices=(), empty_label="全部年度", label="年度", method="_year")
    status = ChoiceFilter(choices=CallStatus.choices, empty_label="全部状态", label="状态")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Call.objects.order_by("-year").values_list("year", flat=True).distinct()
        self.form.fields["year"].choices = [("", "全部年度"), *((str(y), f"{y}年") for y in years)]

    def _year(self, queryset, name, value):
        return queryset.filter(year=int(value))


class CallListPage(ListPage):
    template_name = "applications/call_list.html"
    filterset_class = CallFilter
    list_url_name = "applications:call_list"
    export_title = "申报批次"
    columns = (
        Column("year", "年度", ("year",), "year"),
        Column("title", "名称", ("title",), "title"),
        Column("opens", "申报时间", ("opens_at",), lambda c: _window(c)),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("settings", "评审设置", (), lambda c: _review_settings(c)),
        Column("actions", "操作"),
    )
    default_sort = "-year"

    def check_access(self, request):
        if not sees_everything(request.user):
            raise PermissionDenied("仅教学工作部及监督、领导岗位可以查看。")

    def get_queryset(self):
        return Call.objects.select_related("rubric")

    def extra_context(self):
        year = timezone.localdate().year
        form = CallForm(initial={"year": year, "policy_year": year, "title": f"{year}年技能大师工作室申报"})
        return {"form": form, "is_ta": may_write_as(self.request.user, Role.TEACHING_AFFAIRS)}


def _window(call):
    start, end = timezone.localtime(call.opens_at), timezone.localtime(call.closes_at)
    return f"{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}"


def _review_settings(call):
    parts = [call.rubric.name]
    if call.blind_review:
        parts.append("匿名评审")
    if call.experts_see_scores:
        parts.append("专家互见评分")
    return " · ".join(parts)


application_list = ApplicationListPage.as_view()
application_list_export = ApplicationListPage.as_view(export=True)
call_list = CallListPage.as_view()
call_list_export = CallListPage.as_view(export=True)
