"""The REST API at /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json).

Auth: the browser session (with CSRF on unsafe methods) or a personal token (Authorization: Bearer …).
Each app adds its router in its own api.py and registers it below. Permission checks use accounts.permissions,
the same helpers as the views.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from core.workflow import WorkflowError


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from accounts.models import ApiToken

        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api = NinjaAPI(
    title="技能大师工作室管理平台 API",
    version="1",
    urls_namespace="api",
    auth=[ActiveSessionAuth(), TokenAuth()],
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    from accounts.services import record_access_denied

    record_access_denied(user=getattr(request, "user", None), path=request.path, reason=str(exc)[:200])
    return api.create_response(request, {"detail": str(exc) or "无权操作。"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "对象不存在或您无权查看。"}, status=404)


@api.exception_handler(WorkflowError)
def _workflow(request, exc):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=409)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
    return api.create_response(request, {"detail": "；".join(messages)}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录或提供有效的 API 令牌。"}, status=401)


@api.get("/me", tags=["accounts"], summary="当前用户")
def me(request):
    from accounts.permissions import roles_of

    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "department_id": user.department_id,
        "roles": sorted(roles_of(user)),
    }


def _register_routers():
    """Each project app with an api.py that defines `router` is mounted at /api/v1/<PREFIX or app label>/."""
    from importlib import import_module

    from django.conf import settings

    for name in settings.PROJECT_APPS:
        try:
            module = import_module(f"{name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.api":
                raise
            continue
        api.add_router(f"/{getattr(module, 'PREFIX', name)}/", module.router)


_register_routers()
