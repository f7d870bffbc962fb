"""News pages: 通知公告 (list for everyone, a notice with its read receipt, the publisher's form, publish/withdraw,
attachments, 已读/未读 with the unread list and its export) and 宣传报道 (list, form, photos, submit, the department
head's decision). Views parse, check permission, call one service and redirect."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Department, User
from accounts.permissions import can, get_object_for_user, is_read_only, visible_to
from core.forms import refusal_text
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.search import id_param
from core.uploads import serve_file
from core.workflow import WorkflowError, history_for
from studios.enums import StudioStatus
from studios.models import Studio

from . import services
from .audience import audience_users
from .enums import NoticeStatus, PostStatus
from .forms import AttachmentForm, NoticeForm, PhotoForm, PostForm, WithdrawForm, post_decision_form
from .models import Notice, NoticeRead, Post, PostPhoto
from .permissions import current_member_studio_ids, is_publisher, sees_receipts


def _add_errors(form, exc):
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _form_errors(form):
    return "；".join(e for es in form.errors.values() for e in es)


# --- 通知公告 -------------------------------------------------------------------------------------------------------


class NoticeFilter(ListFilterSet):
    q = SearchFilter("title", "body", label="标题或正文")
    status = ChoiceFilter(choices=NoticeStatus.choices, empty_label="全部状态", label="状态")

    class Meta:
        model = Notice
        fields = []


class NoticeListPage(ListPage):
    """通知公告: the notices whose audience includes the reader (publishers: every notice, drafts included)."""

    template_name = "news/notices.html"
    filterset_class = NoticeFilter
    default_sort = "-published"
    list_url_name = "news:notices"
    export_title = "通知公告"
    columns = (
        Column("published", "发布时间", ("published_at",), "published_at"),
        Column("title", "标题", ("title",), "title"),
        Column("audience", "发布范围", ("audience",), "audience_text"),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("read", "阅读状态", (), lambda r: "已读" if r.is_read else "未读"),
    )

    def get_queryset(self):
        user = self.request.user
        mine = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk)
        return visible_to(user, Notice).select_related("audience_department").annotate(is_read=Exists(mine))

    def extra_context(self):
        return {"is_publisher": is_publisher(self.request.user)}


def _notice(request, pk, action="view"):
    return get_object_for_user(
        request, Notice.objects.select_related("audience_department", "created_by"), pk, action=action
    )


@login_required
def notice_detail(request, pk):
    notice = _notice(request, pk)
    services.mark_read(notice, user=request.user)
    user = request.user
    receipts = None
    if sees_receipts(user) and notice.status != NoticeStatus.DRAFT:
        total = audience_users(notice).count()
        read = NoticeRead.objects.filter(notice=notice, user__in=audience_users(notice)).count()
        receipts = {"total": total, "read": read, "unread": total - read}
    return render(
        request,
        "news/notice.html",
        {
            "notice": notice,
            "attachments": list(notice.attachments.all()),
            "receipts": receipts,
            "history": list(history_for(notice)),
            "can_edit": can(user, "edit", notice),
            "can_withdraw": can(user, "withdraw", notice),
            "withdraw_form": WithdrawForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
def notice_new(request):
    if not is_publisher(request.user):
        raise PermissionDenied("只有教学工作部和发展改革研究室可以发布通知公告。")
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_notice(by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "通知已保存为草稿，请检查后发布。")
            return redirect("news:notice", notice.pk)
    return render(request, "news/notice_form.html", {"form": form, "notice": None})


@login_required
def notice_edit(request, pk):
    notice = _notice(request, pk, action="edit")
    initial = {
        "title": notice.title, "body": notice.body, "audience": notice.audience,
        "department": notice.audience_department_id, "role": notice.audience_role, "is_public": notice.is_public,
    }  # fmt: skip
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_notice(notice, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "修改已保存。")
            return redirect("news:notice", notice.pk)
    return render(request, "news/notice_form.html", {"form": form, "notice": notice})


def _notice_post(request, pk, action, call):
    notice = _notice(request, pk, action=action)
    try:
        message = call(notice)
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, message)
    return redirect("news:notice", notice.pk)


@login_required
@require_POST
def notice_publish(request, pk):
    def call(notice):
        services.publish_notice(notice, by=request.user)
        return "通知已发布，接收范围内的每个人都会收到提醒。"

    return _notice_post(request, pk, "publish", call)


@login_required
@require_POST
def notice_withdraw(request, pk):
    def call(notice):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.withdraw_notice(notice, by=request.user, reason=form.cleaned_data["reason"])
        return "通知已撤回。"

    return _notice_post(request, pk, "withdraw", call)


@login_required
@require_POST
def notice_attachment_upload(request, pk):
    def call(notice):
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.add_notice_attachment(notice, by=request.user, upload=form.cleaned_data["file"])
        return "附件已上传。"

    return _notice_post(request, pk, "upload", call)


@login_required
def notice_attachment(request, pk, attachment_pk):
    notice = _notice(request, pk, action="download")
    attachment = notice.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("附件不存在。")
    return serve_file(attachment.file, attachment.original_name)


class UnreadFilter(ListFilterSet):
    # the notice travels as a hidden field so filtering, sorting and the export keep it (the view reads it)
    notice = django_filters.NumberFilter(method="_keep", widget=forms.HiddenInput)
    q = SearchFilter("display_name", "username", label="姓名或工号")
    department = IdChoiceFilter(
        queryset=Department.objects.order_by("name"), empty_label="全部系部", label="系部", label_field="name"
    )

    class Meta:
        model = User
        fields = []

    def _keep(self, queryset, name, value):
        return queryset


class UnreadListPage(ListPage):
    """未读名单 of a published notice (publishers, admin, supervisors): the audience without a receipt."""

    template_name = "news/unread.html"
    filterset_class = UnreadFilter
    default_sort = "username"
    list_url_name = "news:notice_unread"
    export_title = "未读名单"
    columns = (
        Column("username", "工号", ("username",), "username"),
        Column("name", "姓名", ("display_name",), "display_name"),
        Column("department", "系部", ("department__name",), lambda r: r.department.name if r.department else ""),
    )

    def check_access(self, request):
        # The notice is a query parameter (?notice=…) so the list, its export and their redirects keep it.
        notice_id = id_param(request.GET.get("notice", ""))
        if notice_id is None:
            raise Http404("请从通知页面进入阅读情况。")
        self.notice = _notice(request, notice_id)
        if not sees_receipts(request.user):
            raise PermissionDenied("只有发布部门、系统管理员和监督部门可以查看阅读情况。")
        if self.notice.status == NoticeStatus.DRAFT:
            raise Http404("草稿尚未发布，没有阅读情况。")

    def get_queryset(self):
        read = NoticeRead.objects.filter(notice_id=self.notice.pk, user_id=OuterRef("pk"))
        return audience_users(self.notice).exclude(Exists(read)).select_related("department")

    def extra_context(self):
        return {"notice": self.notice}


# --- 宣传报道 -------------------------------------------------------------------------------------------------------


class PostFilter(ListFilterSet):
    q = SearchFilter("title", "studio__official_name", label="标题或工作室")
    status = ChoiceFilter(choices=PostStatus.choices, empty_label="全部状态", label="状态")
    studio = IdChoiceFilter(
        queryset=Studio.objects.order_by("official_name"), empty_label="全部工作室", label="工作室",
        label_field="official_name",
    )  # fmt: skip

    class Meta:
        model = Post
        fields = []


class PostListPage(ListPage):
    """宣传报道: published posts of every studio, and the drafts/submitted posts the reader writes or reviews."""

    template_name = "news/posts.html"
    filterset_class = PostFilter
    default_sort = "-updated"
    list_url_name = "news:posts"
    export_title = "宣传报道"
    columns = (
        Column("updated", "更新时间", ("updated_at",), "updated_at"),
        Column("title", "标题", ("title",), "title"),
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("author", "撰稿人", ("created_by__display_name",), "created_by.display_name"),
        Column("published", "发布时间", ("published_at",), "published_at"),
        Column("status", "状态", ("status",), "get_status_display"),
    )

    def get_queryset(self):
        return visible_to(self.request.user, Post).select_related("studio", "created_by")

    def extra_context(self):
        return {"writer_studios": _writer_studios(self.request.user)}


def _writer_studios(user):
    """The active studios `user` may write posts for (master or current member; never a read-only role)."""
    if is_read_only(user):
        return []
    ids = current_member_studio_ids(user)
    studios = Studio.objects.filter(Q(pk__in=ids) | Q(master_id=user.pk), status=StudioStatus.ACTIVE)
    return list(studios.order_by("official_name"))


def _post(request, pk, action="view"):
    queryset = Post.objects.select_related("studio", "studio__department", "created_by", "reviewed_by")
    return get_object_for_user(request, queryset, pk, action=action)


@login_required
def post_detail(request, pk):
    post = _post(request, pk)
    user = request.user
    can_decide = can(user, "publish", post)
    return render(
        request,
        "news/post.html",
        {
            "post": post,
            "photos": list(post.photos.all()),
            "history": list(history_for(post)),
            "can_edit": can(user, "edit", post),
            "can_decide": can_decide,
            "decision_form": post_decision_form() if can_decide else None,
            "photo_form": PhotoForm(),
        },
    )


@login_required
def post_new(request):
    studios = _writer_studios(request.user)
    if not studios:
        raise PermissionDenied("只有工作室的技能大师或成员可以撰写宣传报道。")
    studio = studios[0]
    chosen = id_param(request.POST.get("studio") or request.GET.get("studio") or "")
    if chosen is not None:
        studio = next((s for s in studios if s.pk == chosen), None)
        if studio is None:
            raise PermissionDenied("您不是该工作室的成员，不能为其撰写宣传报道。")
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(studio, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "报道已保存为草稿，可以上传照片后提交系部审核。")
            return redirect("news:post", post.pk)
    return render(request, "news/post_form.html", {"form": form, "post": None, "studio": studio, "studios": studios})


@login_required
def post_edit(request, pk):
    post = _post(request, pk, action="edit")
    form = PostForm(request.POST or None, initial={"title": post.title, "body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(post, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "修改已保存。")
            return redirect("news:post", post.pk)
    return render(request, "news/post_form.html", {"form": form, "post": post, "studio": post.studio})


def _post_action(request, pk, action, call, *, then=None):
    post = _post(request, pk, action=action)
    try:
        message = call(post)
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, message)
        if then:
            return redirect(then)
    return redirect("news:post", post.pk)


@login_required
@require_POST
def post_photo_upload(request, pk):
    def call(post):
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.add_post_photo(
            post, by=request.user, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"]
        )
        return "照片已上传（已去除位置等拍摄信息）。"

    return _post_action(request, pk, "upload", call)


@login_required
def post_photo(request, pk, photo_pk):
    post = _post(request, pk, action="download")
    photo = PostPhoto.objects.filter(post=post, pk=photo_pk).first()
    if photo is None:
        raise Http404("照片不存在。")
    field = photo.thumbnail if request.GET.get("size") == "thumb" else photo.image
    return serve_file(field, f"照片{photo.pk}.{field.name.rsplit('.', 1)[-1]}")


@login_required
@require_POST
def post_submit(request, pk):
    def call(post):
        services.submit_post(post, by=request.user)
        return "已提交系部审核。"

    return _post_action(request, pk, "submit", call)


@login_required
@require_POST
def post_decide(request, pk):
    def call(post):
        form = post_decision_form(request.POST)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        if form.cleaned_data["target"] == PostStatus.PUBLISHED:
            services.publish_post(post, by=request.user)
            return "报道已发布，将显示在成果展示页。"
        services.return_post(post, by=request.user, reason=form.cleaned_data["note"])
        return "报道已退回，撰稿人将收到通知。"

    return _post_action(request, pk, "publish", call)


@login_required
@require_POST
def post_delete(request, pk):
    def call(post):
        services.delete_post(post, by=request.user)
        return "草稿已删除。"

    return _post_action(request, pk, "delete", call, then="news:posts")


@login_required
def index(request):
    return redirect("news:notices")
