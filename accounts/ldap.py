"""LDAP / Active Directory sign-in on the ordinary login form (工号 + the directory password).

ldap3 (pure Python) rather than django-auth-ldap: the latter needs python-ldap, which has no wheel and must be
compiled against libldap/libsasl headers on every application server — for an integration most installations leave
off. What this backend does is the usual search-then-bind:

1. bind with LDAP_BIND_DN / LDAP_BIND_PASSWORD (anonymous when unset) and search LDAP_USER_SEARCH_BASE with
   LDAP_USER_FILTER, "%(user)s" replaced by the escaped 工号 typed; exactly one entry must match;
2. bind as that entry's DN with the password typed (an empty password is never sent: LDAP would take it as an
   anonymous bind and "succeed");
3. the account is the one whose 工号 is the entry's LDAP_STAFF_NO_ATTRIBUTE (accounts.sso.match_account: unknown →
   refused, or created disabled for 人事部 when LDAP_CREATE_UNKNOWN=1; disabled → refused);
4. optional LDAP_GROUP_ROLES {"group DN": "role"}: the groups found under LDAP_GROUP_SEARCH_BASE with
   LDAP_GROUP_FILTER ("%(dn)s" = the entry's DN) decide those roles (accounts.sso.sync_roles). 系统管理员 is never
   granted from the directory: settings refuse it in the mapping and sync_roles drops it.

A wrong password (or a 工号 the directory does not know) returns None: authenticate() then sends user_login_failed and
the attempt is counted for the lockout and audited exactly like a wrong local password (accounts.signals). The
throttle is checked before the directory is asked (LocalPasswordBackend, first in AUTHENTICATION_BACKENDS, and again
here). A directory that cannot be reached is a refusal with its own message, not a failure of the person.
"""

import json
import logging
import ssl
from urllib.parse import urlparse

import ldap3
from django.conf import settings
from django.core.checks import Error, Tags, register
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from .backends import LockoutModelBackend
from .enums import Role
from .sso import check_throttle, match_account, refuse, sync_roles

logger = logging.getLogger(__name__)


def parse_group_roles(value: str) -> dict:
    """LDAP_GROUP_ROLES (JSON object: group DN → role code) → {normalised DN: role}. Refuses 系统管理员."""
    if not value:
        return {}
    try:
        mapping = json.loads(value)
    except ValueError:
        raise ValueError('LDAP_GROUP_ROLES must be a JSON object such as {"cn=…,ou=groups,…": "finance"}') from None
    if not isinstance(mapping, dict):
        raise ValueError("LDAP_GROUP_ROLES must be a JSON object (group DN → role code)")
    result = {}
    for dn, role in mapping.items():
        if role not in Role.values or role in (Role.ADMIN, Role.STAFF, Role.DEPT_HEAD):
            raise ValueError(f"LDAP_GROUP_ROLES: {role!r} cannot be granted from the directory")
        result[normalise_dn(dn)] = role
    return result


@register(Tags.security)
def check_group_roles(app_configs=None, **kwargs):
    """accounts.E101: LDAP_GROUP_ROLES names only roles the directory may grant (never 系统管理员)."""
    try:
        parse_group_roles(getattr(settings, "LDAP_GROUP_ROLES", ""))
    except ValueError as exc:
        return [Error(str(exc), id="accounts.E101")]
    return []


def normalise_dn(dn: str) -> str:
    return ",".join("=".join(part.strip() for part in rdn.split("=", 1)) for rdn in str(dn).split(",")).lower()


def _server():
    uri = urlparse(settings.LDAP_SERVER_URI)
    use_ssl = uri.scheme == "ldaps"
    tls = None
    if use_ssl or settings.LDAP_START_TLS:
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.LDAP_TLS_CA_FILE or None)
    return ldap3.Server(
        uri.hostname,
        port=uri.port or (636 if use_ssl else 389),
        use_ssl=use_ssl,
        tls=tls,
        get_info=ldap3.NONE,
        connect_timeout=settings.LDAP_TIMEOUT_S,
    )


def _connection(server, user=None, password=None):
    connection = ldap3.Connection(
        server,
        user=user,
        password=password,
        receive_timeout=settings.LDAP_TIMEOUT_S,
        raise_exceptions=False,
        read_only=True,
    )
    connection.open()
    if settings.LDAP_START_TLS:
        connection.start_tls()
    return connection


def _first(attributes, name) -> str:
    if not name:
        return ""
    value = attributes.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def find_user(server, username):
    """(dn, attributes) of the one entry LDAP_USER_FILTER finds for `username`, or None (none, or more than one)."""
    connection = _connection(server, settings.LDAP_BIND_DN or None, settings.LDAP_BIND_PASSWORD or None)
    try:
        if settings.LDAP_BIND_DN and not connection.bind():
            raise LDAPException(f"service bind refused: {connection.result.get('description')}")
        wanted = [a for a in (settings.LDAP_STAFF_NO_ATTRIBUTE, settings.LDAP_NAME_ATTRIBUTE) if a]
        wanted += [settings.LDAP_EMAIL_ATTRIBUTE] if settings.LDAP_EMAIL_ATTRIBUTE else []
        search_filter = settings.LDAP_USER_FILTER % {"user": escape_filter_chars(username)}
        connection.search(settings.LDAP_USER_SEARCH_BASE, search_filter, attributes=wanted, size_limit=2, time_limit=10)
        entries = [e for e in connection.response or () if e.get("type") == "searchResEntry"]
        if len(entries) != 1:
            return None
        return entries[0]["dn"], entries[0].get("attributes", {})
    finally:
        connection.unbind()


def password_ok(server, dn, password) -> bool:
    connection = _connection(server, dn, password)
    try:
        ok = connection.bind()
        if not ok and connection.result.get("result") not in (49, 50, 53):  # invalidCredentials, rights, unwilling
            raise LDAPException(f"bind failed: {connection.result.get('description')}")
        return ok
    finally:
        connection.unbind()


def group_dns(server, dn) -> set:
    """Normalised DNs of the groups under LDAP_GROUP_SEARCH_BASE that LDAP_GROUP_FILTER finds for `dn`."""
    if not settings.LDAP_GROUP_SEARCH_BASE:
        return set()
    connection = _connection(server, settings.LDAP_BIND_DN or None, settings.LDAP_BIND_PASSWORD or None)
    try:
        if settings.LDAP_BIND_DN and not connection.bind():
            raise LDAPException(f"service bind refused: {connection.result.get('description')}")
        search_filter = settings.LDAP_GROUP_FILTER % {"dn": escape_filter_chars(dn)}
        connection.search(settings.LDAP_GROUP_SEARCH_BASE, search_filter, attributes=[], time_limit=10)
        return {normalise_dn(e["dn"]) for e in connection.response or () if e.get("type") == "searchResEntry"}
    finally:
        connection.unbind()


class LdapBackend(LockoutModelBackend):
    """authenticate(request, username=<工号>, password=<directory password>). Placed after LocalPasswordBackend in
    AUTHENTICATION_BACKENDS by settings when LDAP_SERVER_URI is set. Sessions load through LockoutModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LDAP_SERVER_URI or not username or not password:
            return None
        username = str(username).strip()
        check_throttle(request, username)
        try:
            server = _server()
            found = find_user(server, username)
            if found is None or not password_ok(server, found[0], password):
                return None  # a failed sign-in: counted and audited by user_login_failed (accounts.signals)
            dn, attributes = found
            mapping = parse_group_roles(settings.LDAP_GROUP_ROLES)
            groups = group_dns(server, dn) if mapping else set()
        except (LDAPException, OSError, ValueError) as exc:  # ValueError: a mapping accounts.E101 reports
            logger.warning("LDAP sign-in for %s: directory unavailable: %s", username, exc)
            refuse(request, method="ldap", reason="unavailable", username=username)
        staff_no = _first(attributes, settings.LDAP_STAFF_NO_ATTRIBUTE) or username
        user = match_account(
            request,
            method="ldap",
            username=staff_no,
            display_name=_first(attributes, settings.LDAP_NAME_ATTRIBUTE),
            email=_first(attributes, settings.LDAP_EMAIL_ATTRIBUTE),
        )
        if mapping:
            sync_roles(user, granted={role for dn_, role in mapping.items() if dn_ in groups}, managed=mapping.values())
        return user
