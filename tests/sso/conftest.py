"""Real sign-on servers for tests/sso, each in its own process on 127.0.0.1, started once per test session:

- cas_server: django-mama-cas in a throw-away Django project (tests/sso/cas_server, its own SQLite file), run by
  `python -m django runserver --noreload`. It has its own users and passwords; our app validates its tickets over
  HTTP (server-to-server) and receives its back-channel single-logout requests.
- slapd: Debian's OpenLDAP server (`make slapd` installs it; `make test` depends on that target) with a generated
  slapd.conf and a throw-away MDB directory, seeded with ldapadd.

Ports: free ones, from TEST_SERVER_PORTS ("8400-8499") when set, else whatever the system hands out.
"""

import base64
import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SLAPD = shutil.which("slapd") or ("/usr/sbin/slapd" if Path("/usr/sbin/slapd").exists() else None)
LDAPADD = shutil.which("ldapadd")
SUFFIX = "dc=school,dc=example"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-test-root"
SERVICE_DN = f"cn=studio,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "Service@2026"
CAS_PASSWORD = "Cas@2026"
LDAP_PASSWORD = "Ldap@2026"
FINANCE_GROUP = f"cn=finance,ou=groups,{SUFFIX}"
ADMINS_GROUP = f"cn=admins,ou=groups,{SUFFIX}"


def free_port() -> int:
    spec = os.environ.get("TEST_SERVER_PORTS", "")
    candidates = [0]
    if "-" in spec:
        low, high = (int(p) for p in spec.split("-", 1))
        candidates = random.sample(range(low, high + 1), high - low + 1)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {spec}")


def wait_until(check, *, seconds=30, what="server"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {seconds} s")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- CAS ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CasUser:
    login: str  # what is typed on the CAS server's page (<cas:user>)
    staff_no: str  # released as the employeeNumber attribute
    name: str
    email: str


CAS_USERS = (
    CasUser("T1001", "T1001", "张老师", "t1001@school.example"),
    CasUser("wang.wu", "T2002", "王五", "t2002@school.example"),  # a CAS login name that is not the 工号
    CasUser("X9999", "X9999", "李新", "x9999@school.example"),  # no account on our platform
    CasUser("H3003", "H3003", "赵主任", "h3003@school.example"),
    CasUser("N4004", "N4004", "钱新", "n4004@school.example"),  # created on first sign-on (CAS_CREATE_UNKNOWN)
    CasUser("bad name!", "bad name!", "坏工号", "bad@school.example"),  # not a valid 工号
)


@dataclass(frozen=True)
class CasServer:
    url: str  # CAS_SERVER_URL
    users: tuple

    def user(self, login) -> CasUser:
        return next(u for u in self.users if u.login == login)


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("cas-server")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso.cas_server.settings",
        "CAS_TEST_DB": str(workdir / "cas.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    create = "from django.contrib.auth.models import User\n" + "".join(
        f"User.objects.create_user({u.login!r}, email={u.email!r}, password={CAS_PASSWORD!r}, "
        f"first_name={u.name!r}, last_name={u.staff_no!r})\n"
        for u in CAS_USERS
    )
    subprocess.run([*django, "shell", "-v", "0", "-c", create], cwd=ROOT, env=env, check=True)
    port = free_port()
    log = (workdir / "server.log").open("w")
    process = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/cas"
    try:
        wait_until(lambda: requests.get(f"{url}/login", timeout=2).status_code == 200, what="CAS server")
        yield CasServer(url=url, users=CAS_USERS)
    finally:
        stop(process)
        log.close()


@pytest.fixture
def cas(settings, cas_server):
    """CAS on, as CAS_SERVER_URL=… would set it (config/settings.py), against the test CAS server."""
    settings.CAS_SERVER_URL = cas_server.url
    settings.LOCAL_LOGIN = "admin-only"
    settings.AUTHENTICATION_BACKENDS = ["accounts.sso.LocalPasswordBackend", "accounts.cas.CasBackend"]
    return cas_server


# --- LDAP ---------------------------------------------------------------------------------------------------------


def _b64(text) -> str:
    return base64.b64encode(text.encode()).decode()


def _person(uid, name, staff_no, password):
    return (
        f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn:: {_b64(name)}\n"
        f"sn:: {_b64(name[0])}\nemployeeNumber: {staff_no}\nmail: {uid.lower()}@school.example\n"
        f"userPassword: {password}\n"
    )


SEED = "\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: school\ndc: school\n",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services\n",
        f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: studio\n"
        f"userPassword: {SERVICE_PASSWORD}\n",
        _person("T1001", "张老师", "T1001", LDAP_PASSWORD),
        _person("F5005", "孙会计", "F5005", LDAP_PASSWORD),
        _person("X9999", "李新", "X9999", LDAP_PASSWORD),
        _person("N4004", "钱新", "N4004", LDAP_PASSWORD),
        _person("A6006", "周管理", "A6006", LDAP_PASSWORD),
        f"dn: {FINANCE_GROUP}\nobjectClass: groupOfNames\ncn: finance\nmember: uid=F5005,ou=people,{SUFFIX}\n",
        f"dn: {ADMINS_GROUP}\nobjectClass: groupOfNames\ncn: admins\nmember: uid=A6006,ou=people,{SUFFIX}\n",
    ]
)

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {dir}/data
access to attrs=userPassword by anonymous auth by self read by * none
access to * by users read by * none
"""


@dataclass(frozen=True)
class Slapd:
    uri: str

    def ldif(self, text, command="ldapmodify"):
        """Change the directory as its administrator would (ldapadd / ldapmodify)."""
        subprocess.run(
            [shutil.which(command), "-x", "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD],
            input=text.encode(),
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    if SLAPD is None or LDAPADD is None:
        pytest.skip("slapd / ldap-utils are not installed (`make slapd` installs them; `make test` runs it)")
    workdir = tmp_path_factory.mktemp("slapd")
    (workdir / "data").mkdir()
    conf = workdir / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(dir=workdir, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD), encoding="utf-8"
    )
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = (workdir / "slapd.log").open("w")
    # -d 0: stay in the foreground (no fork), so the fixture owns the process and stops it.
    process = subprocess.Popen([SLAPD, "-h", f"{uri}/", "-f", str(conf), "-d", "0"], stdout=log, stderr=log)
    try:
        wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() or True, what="slapd")
        server = Slapd(uri=uri)
        server.ldif(SEED, command="ldapadd")
        yield server
    finally:
        stop(process)
        log.close()


@pytest.fixture
def ldap(settings, slapd):
    """LDAP on, as LDAP_SERVER_URI=… and the bind/search variables would set it, against the test slapd."""
    settings.LDAP_SERVER_URI = slapd.uri
    settings.LDAP_BIND_DN = SERVICE_DN
    settings.LDAP_BIND_PASSWORD = SERVICE_PASSWORD
    settings.LDAP_USER_SEARCH_BASE = f"ou=people,{SUFFIX}"
    settings.LDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(uid=%(user)s))"
    settings.LDAP_STAFF_NO_ATTRIBUTE = "employeeNumber"
    settings.LOCAL_LOGIN = "admin-only"
    settings.AUTHENTICATION_BACKENDS = ["accounts.sso.LocalPasswordBackend", "accounts.ldap.LdapBackend"]
    return slapd
