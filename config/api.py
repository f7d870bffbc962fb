"""The REST API at /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json).

Auth: the browser session (with CSRF on unsafe methods) or a personal token (Authorization: Bearer …).
Each app adds its router in its own api.py and registers it below. Permission checks use accounts.permissions,
the same helpers as the views.
"""

import hashlib
import hmac
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as InputError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken, password_fingerprint
from accounts.permissions import roles_of
from accounts.services import record_access_denied
from core.refusals import Refusal
from core.workflow import WorkflowError


def _bearer(request):
    return request.headers.get("Authorization", "").lstrip().lower().startswith("bearer")


class TokenAuth(HttpBearer):
    """A personal token: not revoked, not expired (API_TOKEN_DAYS), its owner active and his password unchanged since
    it was issued (the token stores a fingerprint of the password hash, so a password set anywhere ends it)."""

    def authenticate(self, request, token):
        now = timezone.now()
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=digest, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if row is None or not hmac.compare_digest(row.password_fingerprint, password_fingerprint(row.user)):
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class ActiveSessionAuth(SessionAuth):
    """The browser session, with ninja's CSRF check on unsafe methods. A request that carries a Bearer token is
    authenticated by the token alone: the session (and its CSRF check, which would refuse the write before the token
    is tried) is skipped, and a bad token never falls back to a session cookie sent along with it."""

    def _get_key(self, request):
        if _bearer(request):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if _bearer(request):
            return None
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class LocalSwagger(Swagger):
    """Swagger UI from our own static files (swagger-ui-dist from npm, copied by the Makefile's vendor step) and a
    static init script: no CDN, no inline script, so it works under our CSP."""

    template = "core/api_docs.html"

    def render_page(self, request, api, **kwargs):
        context = {
            "openapi_url": self.get_openapi_url(api, kwargs),
            "api": api,
            "swagger_settings": json.dumps(self.settings),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="技能大师工作室管理平台 API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), ActiveSessionAuth()],
    docs_url="/docs",
    docs=LocalSwagger(),
)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
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


# pydantic error type → Chinese text ({limit} from the error's ctx). Unknown types get a generic sentence.
_INPUT_MESSAGES = {
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_too_short": "过短（至少 {min_length} 个字符）",
    "too_long": "项目过多（最多 {max_length} 项）",
    "less_than_equal": "超出范围（不能大于 {le}）",
    "greater_than_equal": "超出范围（不能小于 {ge}）",
    "missing": "为必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "日期格式无效（应为 YYYY-MM-DD）",
    "date_parsing": "日期格式无效（应为 YYYY-MM-DD）",
    "datetime_parsing": "时间格式无效",
    "datetime_from_date_parsing": "时间格式无效",
    "decimal_parsing": "应为数字",
    "enum": "不是有效的选项",
    "json_invalid": "不是有效的 JSON",
}


def _input_message(error):
    loc = tuple(error.get("loc", ()))
    # ("body", "payload", "content") → content; ("query", "status") → status
    field = ".".join(str(part) for part in loc[2 if loc[:1] == ("body",) and len(loc) > 2 else 1 :]) or "请求"
    if error.get("type") == "value_error":  # our own validators (core.apitypes) raise Chinese messages
        return f"「{field}」{str(error.get('msg', '')).removeprefix('Value error, ')}"
    template = _INPUT_MESSAGES.get(error.get("type"), "无效")
    try:
        text = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        text = "无效"
    return f"「{field}」{text}。"


@api.exception_handler(InputError)
def _bad_input(request, exc):
    """A request that does not fit the schema: a Chinese sentence per field in "detail", pydantic's list in "errors"."""
    messages = list(dict.fromkeys(_input_message(error) for error in exc.errors))
    errors = [{k: v for k, v in error.items() if k in ("type", "loc", "msg")} for error in exc.errors]
    return api.create_response(
        request, {"detail": "；".join(messages[:10]) or "请求无效。", "errors": errors}, status=422
    )


@api.exception_handler(Refusal)
def _refused(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录或提供有效的 API 令牌。"}, status=401)


@api.get("/me", tags=["accounts"], summary="当前用户")
def me(request):
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
