from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedAdminMixin

from .idcard import encrypt_id_number, hash_id_number, mask_id_number, validate_id_number
from .models import (
    Enterprise,
    ExternalAffiliation,
    Honor,
    HonorKind,
    HonorRule,
    PolicyVersion,
    StaffProfile,
    WorkPeriod,
)
from .permissions import may_reveal_id_number


class StaffProfileAdminForm(forms.ModelForm):
    new_id_number = forms.CharField(
        label="设置身份证号码", required=False, max_length=18, help_text="留空则不修改。保存后仅以密文存储。"
    )

    class Meta:
        model = StaffProfile
        fields = [
            "user",
            "gender",
            "birth_date",
            "majors",
            "title",
            "skill_certificate",
            "skill_level",
            "hire_date",
            "phone",
        ]

    def clean(self):
        data = super().clean()
        number = data.get("new_id_number")
        if number:
            try:
                number = validate_id_number(number, data.get("birth_date"))
            except forms.ValidationError as exc:
                self.add_error("new_id_number", exc)
                return data
            digest = hash_id_number(number)
            if StaffProfile.objects.filter(id_number_hash=digest).exclude(pk=self.instance.pk).exists():
                self.add_error("new_id_number", "该身份证号码已登记在其他教职工档案中。")
            data["new_id_number"] = number
        return data

    def save(self, commit=True):
        number = self.cleaned_data.get("new_id_number")
        if number:
            self.instance.id_number_encrypted = encrypt_id_number(number)
            self.instance.id_number_hash = hash_id_number(number)
            self.instance.id_number_masked = mask_id_number(number)
        return super().save(commit)


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    form = StaffProfileAdminForm
    list_display = ["user", "gender", "birth_date", "id_number_masked", "title"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["majors"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def get_readonly_fields(self, request, obj=None):
        # The clear number is rendered only for the system administrator; everyone else sees the masked form.
        return ["id_number_clear"] if may_reveal_id_number(request.user) else ["id_number_masked"]

    @admin.display(description="身份证号码（明文，仅管理员可见）")
    def id_number_clear(self, obj):
        return obj.reveal_id_number() if obj is not None and obj.id_number_encrypted else "—"


@admin.register(WorkPeriod)
class WorkPeriodAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "enterprise_name", "start", "end"]
    list_select_related = ["user"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__display_name", "enterprise_name"]
    autocomplete_fields = ["user"]


@admin.register(HonorKind)
class HonorKindAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "has_rank", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Honor)
class HonorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "title", "level", "rank", "date"]
    list_select_related = ["user", "kind"]
    list_filter = ["kind", "level"]
    search_fields = ["user__username", "user__display_name", "title"]
    autocomplete_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "is_partner", "agreement_start", "agreement_end", "high_influence"]
    list_filter = ["is_partner", "high_influence"]
    search_fields = ["name", "credit_code"]
    filter_horizontal = ["majors"]


@admin.register(ExternalAffiliation)
class ExternalAffiliationAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "enterprise", "position"]
    list_select_related = ["user", "enterprise"]
    autocomplete_fields = ["user", "enterprise"]


class HonorRuleInline(admin.TabularInline):
    model = HonorRule
    extra = 0


@admin.action(description="复制为下一年度版本（含荣誉条件）")
def copy_to_next_year(modeladmin, request, queryset):
    from django.contrib import messages

    from .services import copy_policy_version

    for version in queryset:
        try:
            new = copy_policy_version(version, by=request.user, year=version.year + 1)
        except Exception as exc:  # ValidationError / PermissionDenied: reported, nothing written
            modeladmin.message_user(request, f"{version.year}年版本未复制：{exc}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"已建立{new.year}年版本，请修改需要调整的参数。", messages.SUCCESS)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    actions = [copy_to_next_year]
    list_display = [
        "year",
        "school_name",
        "master_max_age",
        "enterprise_work_years",
        "practice_months",
        "min_core_teachers",
    ]
    inlines = [HonorRuleInline]


@admin.register(HonorRule)
class HonorRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["policy", "kind", "min_level", "min_rank", "min_count", "order"]
    list_select_related = ["policy", "kind"]
