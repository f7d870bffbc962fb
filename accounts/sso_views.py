"""统一身份认证登录 pages (CAS): the redirect to the CAS server and the callback it returns to (accounts.cas).

Both answer 404 while CAS_SERVER_URL is unset. Neither needs a signed-in user (they are how one signs in); the
callback's POST is the CAS server's back-channel single-logout request (no CSRF token: it comes from the CAS server,
not a browser, and all it can do is end the session of a ticket it names).
"""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import log_action

from . import cas
from .sso import REFUSALS, cas_enabled

GENERIC_REFUSAL = "统一身份认证登录未成功，请重试或联系系统管理员。"


def _next(request) -> str:
    target = request.GET.get("next") or ""
    if len(target) > 1000 or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return target


@never_cache
@require_GET
def cas_login(request):
    """「统一身份认证登录」: on to the CAS server's login page (or straight on when already signed in)."""
    if not cas_enabled():
        raise Http404("未启用统一身份认证。")
    target = _next(request)
    if request.user.is_authenticated:
        return redirect(target or "workspace:home")
    return redirect(cas.login_url(cas.service_url(request, target)))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def cas_callback(request):
    """GET ?ticket=…: validate it with the CAS server, then sign in through authenticate()/login().
    POST logoutRequest=…: the CAS server's single logout."""
    if not cas_enabled():
        raise Http404("未启用统一身份认证。")
    if request.method == "POST":
        ticket = cas.parse_logout_request(request.POST.get("logoutRequest", "")[:20000])
        if ticket:
            cas.single_logout(ticket)
        return HttpResponse("OK", content_type="text/plain")

    target = _next(request)
    ticket = (request.GET.get("ticket") or "").strip()
    if not ticket or len(ticket) > 256 or not ticket.isprintable():
        return redirect(cas.login_url(cas.service_url(request, target)))
    try:
        assertion = cas.validate(ticket, cas.service_url(request, target))
    except cas.CasError as exc:
        log_action(
            actor=None,
            action="accounts.sso.refused",
            object_type="accounts.user",
            after={"method": "cas", "reason": exc.reason, "detail": exc.detail[:200]},
        )
        messages.error(request, REFUSALS[exc.reason].format(username=""))
        return redirect("accounts:login")

    user = authenticate(request, username=assertion.staff_no, cas_assertion=assertion)
    if user is None:
        refusal = getattr(request, "login_refusal", None)
        messages.error(request, refusal.message() if refusal is not None else GENERIC_REFUSAL)
        return redirect("accounts:login")
    login(request, user)  # audit, session start, throttle reset, two-factor step: accounts.signals, accounts.otp
    cas.remember_session(request, assertion)
    return redirect(target or "workspace:home")
