from django.contrib import admin

from .audit import log_action
from .models import AuditEvent, Notification, StatusChange, StoredFile

# Values never written into the audit log: a change is recorded, the value is not.
SENSITIVE_FIELDS = frozenset({"password", "key_hash", "id_number_encrypted", "id_number_hash", "new_id_number"})
CHANGED = "（已更改）"


def _field_value(obj, field):
    if field.many_to_many:
        return sorted(getattr(obj, field.name).values_list("pk", flat=True)) if obj.pk else []
    if field.is_relation:
        return getattr(obj, field.attname)
    return field.value_from_object(obj)


def snapshot(obj, names=None, *, m2m=False):
    """The stored values of obj's own fields (or of `names`): FKs as ids; M2Ms (as sorted id lists) only if m2m."""
    values = {}
    for field in obj._meta.get_fields():
        if field.auto_created or not (getattr(field, "concrete", False) or field.many_to_many):
            continue
        if bool(field.many_to_many) != m2m or (names is not None and field.name not in names):
            continue
        values[field.name] = _field_value(obj, field)
    return values


def redact(values):
    return {n: (CHANGED if n in SENSITIVE_FIELDS and v not in (None, "") else v) for n, v in values.items()}


def diff(before, after):
    """(before, after) restricted to the fields whose values differ; sensitive values are replaced by 已更改."""
    names = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
    return redact({n: before.get(n) for n in names}), redact({n: after.get(n) for n in names})


def _form_fields(form, model):
    model_fields = {f.name for f in model._meta.get_fields()}
    return [name for name in form.fields if name in model_fields]


def _stored(model, pk):
    return model._base_manager.filter(pk=pk).first() if pk is not None else None


class AuditedAdminMixin:
    """Every write made through the Django admin leaves an audit event with before/after values (issue 8, defect 4):
    the object's own fields (save_model), its many-to-many fields (save_related), every inline row added, changed or
    deleted (save_formset), and deletions (delete_model / delete_queryset). Every ModelAdmin of every app uses it
    (core/tests/test_admin_audit.py checks the registry)."""

    def _action(self, obj, verb):
        return f"{obj._meta.label_lower}.admin_{verb}"

    def save_model(self, request, obj, form, change):
        names = _form_fields(form, type(obj))
        stored = _stored(type(obj), obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if stored is not None:
            before, after = diff(snapshot(stored, names), snapshot(obj, names))
        else:
            before, after = None, redact(snapshot(obj, names))
        for name in form.changed_data:  # form-only fields such as a new ID number: that they changed, not the value
            if name in SENSITIVE_FIELDS and name not in after:
                after[name] = CHANGED
        log_action(
            actor=request.user,
            action=self._action(obj, "changed" if change else "created"),
            obj=obj,
            before=before,
            after=after,
        )

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        names = _form_fields(form, type(obj))
        before = snapshot(obj, names, m2m=True) if obj.pk else {}
        super().save_related(request, form, formsets, change)
        changed_before, changed_after = diff(before, snapshot(obj, names, m2m=True))
        if changed_after:
            log_action(
                actor=request.user,
                action=self._action(obj, "relations_changed"),
                obj=obj,
                before=changed_before,
                after=changed_after,
            )

    def save_formset(self, request, form, formset, change):
        """Inline rows: one event per row added, changed or deleted, with the parent named in `after`/`before`."""
        model = formset.model
        names = _form_fields(formset.forms[0], model) if formset.forms else []
        pks = {id(f.instance): f.instance.pk for f in formset.initial_forms if f.instance.pk is not None}
        stored = {o.pk: snapshot(o, names) for o in model._base_manager.filter(pk__in=pks.values())} if pks else {}
        super().save_formset(request, form, formset, change)
        parent = {"parent": formset.instance._meta.label_lower, "parent_id": formset.instance.pk}
        for obj in getattr(formset, "new_objects", []):
            log_action(
                actor=request.user,
                action=self._action(obj, "created"),
                obj=obj,
                after={**redact(snapshot(obj, names)), **parent},
            )
        for obj, _fields in getattr(formset, "changed_objects", []):
            before, after = diff(stored.get(obj.pk, {}), snapshot(obj, names))
            log_action(
                actor=request.user,
                action=self._action(obj, "changed"),
                obj=obj,
                before=before,
                after={**after, **parent},
            )
        for obj in getattr(formset, "deleted_objects", []):
            pk = pks.get(id(obj), obj.pk)
            log_action(
                actor=request.user,
                action=self._action(obj, "deleted"),
                obj=obj,
                object_id=str(pk),
                before={**redact(stored.get(pk, {})), **parent},
            )

    def delete_model(self, request, obj):
        log_action(actor=request.user, action=self._action(obj, "deleted"), obj=obj, before=redact(snapshot(obj)))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            log_action(actor=request.user, action=self._action(obj, "deleted"), obj=obj, before=redact(snapshot(obj)))
        super().delete_queryset(request, queryset)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The base class of our ModelAdmins."""


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor_name", "action", "object_type", "object_id", "ip"]
    list_filter = ["object_type"]
    search_fields = ["action", "object_id", "actor_name"]
    show_full_result_count = False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "machine", "object_id", "from_state", "to_state", "by"]
    list_filter = ["machine"]
    list_select_related = ["by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_select_related = ["recipient"]


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    """The upload-quota ledger (core/storage.py): read-only, written by the media storage."""

    list_display = ["name", "owner", "size", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username", "owner__display_name"]


def _audit_third_party_admins():
    """Admins registered by Django and libraries get the same auditing (every registered ModelAdmin uses the mixin)."""
    for model, model_admin in list(admin.site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin):
            continue
        audited = type(f"Audited{type(model_admin).__name__}", (AuditedAdminMixin, type(model_admin)), {})
        admin.site.unregister(model)
        admin.site.register(model, audited)


_audit_third_party_admins()
