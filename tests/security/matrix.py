"""The permission-matrix harness: reads permission_matrix.csv, lists every URL pattern, builds the personas' world.

Adding a URL: add rows to permission_matrix.csv. Adding an object kind for URL kwargs: one entry in TARGETS.
Adding a role/persona: one entry in PERSONAS and one column in the CSV.
"""

import csv
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.enums import Role

MATRIX_FILE = Path(__file__).with_name("permission_matrix.csv")

# persona → (department key or None, roles). Departments: "A" is the applicant's, "B" another, "C" a third one.
PERSONAS = {
    "anon": None,
    "staff": ("A", []),
    "unrelated": ("C", []),
    "dept_head": ("A", [Role.DEPT_HEAD]),
    "dept_head_other": ("B", [Role.DEPT_HEAD]),
    "teaching_affairs": (None, [Role.TEACHING_AFFAIRS]),
    "expert": ("C", [Role.EXPERT]),
    "committee": ("C", [Role.COMMITTEE]),
    "dev_office": (None, [Role.DEV_OFFICE]),
    "finance": (None, [Role.FINANCE]),
    "hr": (None, [Role.HR]),
    "coop_office": (None, [Role.COOP_OFFICE]),
    "inspector": (None, [Role.INSPECTOR]),
    "leadership": (None, [Role.LEADERSHIP]),
    "admin": (None, [Role.ADMIN]),
}
READ_ONLY_PERSONAS = ("inspector", "leadership")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
OUTCOMES = {"ok", "login", "403", "404", "deny", "405", "redirect"}


@dataclass
class World:
    """The people and objects every matrix row is run against. `own_*` belong to persona staff (department A),
    `other_*` to a staff member of department B (owner_other)."""

    departments: dict
    users: dict
    owner_other: object
    objects: dict = field(default_factory=dict)


def _user_target(world, which):
    return {"pk": (world.users["staff"] if which == "own" else world.owner_other).pk}


def _notification_target(world, which):
    return {"pk": world.objects[f"notification_{which}"].pk}


def _token_target(world, which):
    from accounts.services import issue_api_token

    owner = world.users["staff"] if which == "own" else world.owner_other
    token, _ = issue_api_token(by=owner, name=f"矩阵-{which}")
    return {"pk": token.pk}


# target name → fn(world, "own"|"other") → URL kwargs. One line per object kind; builders may create rows lazily.
TARGETS = {
    "user": _user_target,
    "token": _token_target,
}


def build_world():
    from tests.factories import DepartmentFactory, UserFactory

    departments = {
        "A": DepartmentFactory(code="QA_A", name="机械工程系（矩阵）"),
        "B": DepartmentFactory(code="QA_B", name="电气工程系（矩阵）"),
        "C": DepartmentFactory(code="QA_C", name="信息技术系（矩阵）"),
    }
    users = {}
    for index, (persona, spec) in enumerate(PERSONAS.items()):
        if spec is None:
            continue
        dept_key, roles = spec
        users[persona] = UserFactory(
            username=f"QA{index:03d}",
            display_name=f"矩阵{persona}",
            department=departments[dept_key] if dept_key else None,
            roles=roles,
        )
    users["admin"].is_staff = users["admin"].is_superuser = True  # as seed_demo makes the admin account
    users["admin"].save(update_fields=["is_staff", "is_superuser"])
    owner_other = UserFactory(username="QA900", display_name="矩阵他系教师", department=departments["B"])
    return World(departments=departments, users=users, owner_other=owner_other)


@dataclass(frozen=True)
class Row:
    url: str
    method: str
    target: str  # "-" or "<target>:own" / "<target>:other"
    kind: str  # read | write | self (acts only on the caller's own session/account)
    expected: dict
    line: int


def load_matrix(path=MATRIX_FILE):
    """Rows of the table; '#' lines are comments. Raises ValueError on a malformed row (so a typo fails loudly)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.reader([ln for _, ln in numbered], skipinitialspace=True)
    header = [h.strip() for h in next(reader)]
    fixed = ["url", "method", "target", "kind"]
    if header[:4] != fixed or set(header[4:]) != set(PERSONAS):
        raise ValueError(f"permission_matrix.csv header must be {fixed} + {list(PERSONAS)}; got {header}")
    rows = []
    for (line_no, _), cells in zip(numbered[1:], reader, strict=True):
        cells = [c.strip() for c in cells]
        if len(cells) != len(header):
            raise ValueError(f"permission_matrix.csv line {line_no}: {len(cells)} cells, expected {len(header)}")
        values = dict(zip(header, cells, strict=True))
        expected = {p: values[p] for p in PERSONAS}
        bad = {p: v for p, v in expected.items() if v not in OUTCOMES}
        if bad or values["kind"] not in {"read", "write", "self"}:
            raise ValueError(f"permission_matrix.csv line {line_no}: unknown outcome/kind {bad or values['kind']}")
        rows.append(Row(values["url"], values["method"].upper(), values["target"], values["kind"], expected, line_no))
    return rows


# --- Every URL pattern of the project ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str  # "ns:name"
    route: str
    methods: frozenset  # for API operations: the HTTP methods; for UI views: empty (any)
    kwargs: tuple


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if (namespace and ns) else (ns or namespace)
            yield from _walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if (namespace and entry.name) else (entry.name or "")
            params = tuple(entry.pattern.converters) or (("<regex group>",) if entry.pattern.regex.groups else ())
            yield name, prefix + str(entry.pattern), params


def _api_methods():
    """(url name → set of HTTP methods) from the ninja routers' operations."""
    from config.api import api

    methods = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                url_name = getattr(operation, "url_name", None) or operation.view_func.__name__
                methods.setdefault(f"api:{url_name}", set()).update(operation.methods)
    return methods


def all_endpoints():
    api_methods = _api_methods()
    endpoints = []
    for name, route, kwargs in _walk(get_resolver()):
        if route.startswith("admin/") or name.startswith("admin:"):
            name = name or f"admin:<{route}>"
        endpoints.append(Endpoint(name, route, frozenset(api_methods.get(name, ())), kwargs))
    return endpoints


def row_matches(row, endpoint):
    return fnmatch.fnmatchcase(endpoint.name, row.url)


def uncovered(rows, endpoints):
    """Endpoints (and API methods) with no row in the table."""
    missing = []
    for endpoint in endpoints:
        matching = [r for r in rows if row_matches(r, endpoint)]
        if not matching:
            missing.append(f"{endpoint.name} ({endpoint.route})")
            continue
        for method in sorted(endpoint.methods):
            if method not in {r.method for r in matching} and method != "HEAD":
                missing.append(f"{endpoint.name} {method} ({endpoint.route})")
    return missing


def classify(response, *, is_api):
    """One outcome code for a response: ok / login / 403 / 404 / 405 / redirect / <status>."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        return "login" if "/login/" in location else "redirect"
    if status == 401 and is_api:
        return "login"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def outcome_matches(expected, actual):
    if expected == "deny":
        return actual in {"403", "404"}
    if expected == "ok":
        return actual in {"ok", "redirect"}
    return expected == actual
