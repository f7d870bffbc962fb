"""统一身份认证登录 over CAS 2.0 / 3.0 (the protocol of Apereo CAS and of most Chinese schools' 统一身份认证平台).

A small client of our own instead of django-cas-ng: that package declares support up to Django 5.2 only, creates
users itself (outside accounts.services, so without the audit and without the disabled-until-HR rule) and refuses in
English; the protocol it speaks is three HTTP exchanges, written out here:

1. /accounts/cas/login/ redirects the browser to CAS_SERVER_URL/login?service=<our callback URL>;
2. the CAS server sends the browser back to the callback with ?ticket=ST-…; the callback validates the ticket
   server-to-server (CAS_SERVER_URL/p3/serviceValidate, or /serviceValidate for CAS_VERSION=2) and reads the 工号 from
   <cas:user> or from the attribute CAS_STAFF_NO_ATTRIBUTE; then authenticate() (CasBackend: throttle, account match)
   and login() — the same audit, lockout and session rules as the password login (accounts.sso);
3. single logout both ways: our 退出 sends the browser on to CAS_SERVER_URL/logout; the CAS server's back-channel
   logoutRequest (POSTed to the callback URL, naming the ticket) ends the session that ticket opened (SignOnSession).

The validation response is parsed with defusedxml; it is fetched from CAS_SERVER_URL only, never from a URL the
browser supplies.
"""

import hashlib
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from importlib import import_module

from defusedxml import ElementTree
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from core.audit import log_action

from .backends import LockoutModelBackend
from .models import SignOnSession
from .sso import check_throttle, match_account

logger = logging.getLogger(__name__)

CAS_NS = "{http://www.yale.edu/tp/cas}"
SAMLP_NS = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SESSION_TICKET_KEY = "_cas_ticket"  # the ticket digest, kept in the session it opened
SESSION_METHOD_KEY = "_sso_method"  # "cas": our 退出 also signs out of the CAS server
MAX_RESPONSE_BYTES = 256 * 1024


class CasError(Exception):
    """The ticket was not accepted (reason: invalid_ticket) or the server could not be asked (unavailable)."""

    def __init__(self, reason, detail=""):
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class CasAssertion:
    """A validated CAS ticket: only validate() makes one, and CasBackend accepts nothing else."""

    user: str
    ticket: str
    attributes: dict = field(default_factory=dict)

    @property
    def staff_no(self) -> str:
        name = settings.CAS_STAFF_NO_ATTRIBUTE
        return (self.attributes.get(name, "") if name else self.user).strip()

    def attribute(self, name) -> str:
        return self.attributes.get(name, "") if name else ""


def server_url(path) -> str:
    return settings.CAS_SERVER_URL.rstrip("/") + path


def login_url(service) -> str:
    return server_url("/login") + "?" + urllib.parse.urlencode({"service": service})


def logout_url(service="") -> str:
    query = "?" + urllib.parse.urlencode({"service": service}) if service else ""
    return server_url("/logout") + query


def service_url(request, next_url="") -> str:
    """Our callback URL as the CAS server sees it: CAS_SERVICE_BASE_URL (recommended behind a proxy) or this request's
    scheme and host (ALLOWED_HOSTS-checked). Validation must name exactly the same string."""
    path = reverse("accounts:cas_callback")
    if next_url:
        path += "?" + urllib.parse.urlencode({"next": next_url})
    base = settings.CAS_SERVICE_BASE_URL.rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


def ticket_digest(ticket) -> str:
    return hashlib.sha256(f"accounts.cas:{ticket}".encode()).hexdigest()


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_validation(body: bytes, ticket: str) -> CasAssertion:
    """A CAS 2.0/3.0 serviceValidate response → CasAssertion, or CasError("invalid_ticket")."""
    try:
        root = ElementTree.fromstring(body)
    except Exception as exc:  # malformed or hostile XML (defusedxml refuses entities)
        raise CasError("invalid_ticket", f"unreadable response: {exc.__class__.__name__}") from None
    success = root.find(f"{CAS_NS}authenticationSuccess")
    if success is None:
        failure = root.find(f"{CAS_NS}authenticationFailure")
        code = failure.get("code", "") if failure is not None else "no authenticationSuccess"
        raise CasError("invalid_ticket", code[:100])
    user = (success.findtext(f"{CAS_NS}user") or "").strip()
    if not user:
        raise CasError("invalid_ticket", "no cas:user")
    attributes = {}
    holder = success.find(f"{CAS_NS}attributes")
    for element in holder if holder is not None else ():
        name = _local(element.tag)
        if name not in attributes:  # a multi-valued attribute: its first value
            attributes[name] = (element.text or "").strip()
    return CasAssertion(user=user, ticket=ticket, attributes=attributes)


def validate(ticket, service) -> CasAssertion:
    """Ask the CAS server (server-to-server) whether `ticket` was issued for `service`."""
    path = "/serviceValidate" if settings.CAS_VERSION == "2" else "/p3/serviceValidate"
    url = server_url(path) + "?" + urllib.parse.urlencode({"service": service, "ticket": ticket})
    try:
        with urllib.request.urlopen(url, timeout=settings.CAS_TIMEOUT_S) as response:  # noqa: S310 (configured URL)
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        logger.warning("CAS ticket validation failed: %s", exc)
        raise CasError("unavailable", str(exc)[:200]) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise CasError("invalid_ticket", "response too large")
    return parse_validation(body, ticket)


def parse_logout_request(data: str) -> str:
    """The ticket named by a CAS back-channel logoutRequest (SAML 2.0 LogoutRequest), or "" if there is none."""
    try:
        root = ElementTree.fromstring(data.encode() if isinstance(data, str) else data)
    except Exception:
        return ""
    index = root.find(f"{SAMLP_NS}SessionIndex")
    return (index.text or "").strip()[:256] if index is not None else ""


class CasBackend(LockoutModelBackend):
    """authenticate(request, username=<工号>, cas_assertion=<CasAssertion>): the throttle first (a 工号 locked at this
    address is locked for CAS too), then the account of that 工号 (accounts.sso.match_account: unknown → refused or
    created disabled; disabled → refused). Sessions load through LockoutModelBackend.get_user."""

    def authenticate(self, request, username=None, password=None, cas_assertion=None, **kwargs):
        if not isinstance(cas_assertion, CasAssertion) or password is not None:
            return None
        username = cas_assertion.staff_no
        check_throttle(request, username)
        return match_account(
            request,
            method="cas",
            username=username,
            display_name=cas_assertion.attribute(settings.CAS_NAME_ATTRIBUTE),
            email=cas_assertion.attribute(settings.CAS_EMAIL_ATTRIBUTE),
        )


@transaction.atomic
def remember_session(request, assertion):
    """After login(): remember which session this ticket opened (single logout), and that it came through CAS. Rows
    older than the absolute session lifetime are forgotten on the way (their sessions have ended)."""
    digest = ticket_digest(assertion.ticket)
    cutoff = timezone.now() - timezone.timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME)
    SignOnSession.objects.filter(created_at__lt=cutoff).delete()
    request.session[SESSION_TICKET_KEY] = digest
    request.session[SESSION_METHOD_KEY] = "cas"
    request.session.save()
    SignOnSession.objects.update_or_create(
        ticket_hash=digest, defaults={"session_key": request.session.session_key, "user": request.user}
    )


@receiver(post_save, sender=Session, dispatch_uid="accounts.cas.follow_session_key")
def follow_session_key(sender, instance, created, **kwargs):
    """A CAS session whose id is renewed (cycle_key: e.g. after the two-factor step) keeps its single-logout link."""
    if not created or not settings.CAS_SERVER_URL:
        return
    digest = instance.get_decoded().get(SESSION_TICKET_KEY)
    if digest:
        SignOnSession.objects.filter(ticket_hash=digest).update(session_key=instance.session_key)


@transaction.atomic
def single_logout(ticket) -> bool:
    """The CAS server's back-channel logoutRequest: end the session `ticket` opened. Audited; False if none."""
    row = SignOnSession.objects.select_related("user").filter(ticket_hash=ticket_digest(ticket)).first()
    if row is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store().delete(row.session_key)
    log_action(actor=row.user, action="accounts.sso.single_logout", obj=row.user, after={"method": "cas"})
    row.delete()
    return True


def logout_redirect(request):
    """Before our logout(): where the browser goes afterwards — the CAS server's logout (single logout) for a CAS
    session when CAS_SINGLE_LOGOUT is on, else None (our login page)."""
    if not settings.CAS_SERVER_URL or not settings.CAS_SINGLE_LOGOUT:
        return None
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_METHOD_KEY) != "cas":
        return None
    base = settings.CAS_SERVICE_BASE_URL.rstrip("/")
    login_path = reverse("accounts:login")
    return logout_url(base + login_path if base else request.build_absolute_uri(login_path))
