from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.enums import Role
from accounts.permissions import may_write_as
from core.uploads import serve_bytes
from core.workflow import WorkflowError


def run(request, action):
    """Call a service; on refusal put its Chinese message on the page and return None (nothing was changed)."""
    try:
        return action() or True
    except WorkflowError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return None


def form_errors(form):
    """A refused form's errors as one Chinese sentence that names each field ("年度：这个字段是必填项。"), for pages that
    redirect and so cannot show the errors beside the fields."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        prefix = f"{field.label}：" if field is not None and field.label else ""
        parts.extend(f"{prefix}{e}" for e in errors)
    return "；".join(parts)


def require_teaching_affairs(request):
    if not may_write_as(request.user, Role.TEACHING_AFFAIRS):
        raise PermissionDenied("仅教学工作部可以执行此操作。")


# Generated documents go out through the same attachment helper as stored files.
document_response = serve_bytes
