"""The permission-matrix harness: reads permission_matrix.csv, lists every URL pattern, builds the personas' world.

Adding a URL: add rows to permission_matrix.csv. Adding an object kind for URL kwargs: one entry in TARGETS.
Adding a role/persona: one entry in PERSONAS and one column in the CSV.
"""

import csv
import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

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
    # A teacher of department A (staff, like persona staff) who also sits on the committee and holds the 纪检 role:
    # the read-only role wins, he writes nothing (issue 8 defect 11) — not his own records, not his vote.
    "inspector_staff": ("A", [Role.INSPECTOR, Role.COMMITTEE]),
    "admin": (None, [Role.ADMIN]),
}
READ_ONLY_PERSONAS = ("inspector", "leadership", "inspector_staff")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
OUTCOMES = {"ok", "login", "403", "404", "deny", "405", "redirect", "409", "422", "noop"}
# Outcomes that mean "refused, nothing written" (409: the workflow refused the move; 422: invalid input; noop: the
# page answered — usually a redirect with a Chinese error message — and wrote nothing).
REFUSALS = {"403", "404", "deny", "405", "409", "422", "noop"}
# Targets that are school-wide public information (the approved studios are shown to everyone, DOMAIN §2 公众).
# The 责任书 of a studio is shown on its page, with the same readers (issue 10).
PUBLIC_TARGETS = {"studio", "studio_letter"}
# Targets whose page takes the object as a query string: target name → fn(world, "own"|"other") → {name: value},
# appended to the URL reversed with TARGETS' kwargs (only the permission matrix requests them with the query).
QUERIES = {}


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
    from core.models import Notification

    key = f"notification_{which}"
    if key not in world.objects:
        owner = world.users["staff"] if which == "own" else world.owner_other
        world.objects[key] = Notification.objects.create(recipient=owner, title="矩阵通知", url="/")
    return {"pk": world.objects[key].pk}


def _token_target(world, which):
    """A token of a plain teacher, issued while API_TOKENS_FOR_EVERYONE was on (he may still revoke it)."""
    from django.test import override_settings

    from accounts.services import issue_api_token

    owner = world.users["staff"] if which == "own" else world.owner_other
    with override_settings(API_TOKENS_FOR_EVERYONE=True):
        token, _ = issue_api_token(by=owner, name=f"矩阵-{which}")
    return {"pk": token.pk}


def _newcomer(world, which):
    """An account as the roster import leaves it (no password yet), in department A (own) or B (other)."""
    key = f"newcomer_{which}"
    if key not in world.objects:
        from accounts.services import create_user

        world.objects[key] = create_user(
            by=None,
            username=f"QA95{0 if which == 'own' else 1}",
            display_name=f"矩阵新教师{which}",
            department=world.departments["A" if which == "own" else "B"],
        )
    return world.objects[key]


def _activation_link(world, which):
    from accounts.tokens import activation_tokens, encode_uid

    user = _newcomer(world, which)
    return {"uidb64": encode_uid(user), "token": activation_tokens.make_token(user)}


def _reset_link(world, which):
    """A 忘记密码 link for a teacher of department A (own) or B (other) who does not sign in during the run (signing
    in changes last_login, which ends a reset link by design)."""
    from accounts.tokens import encode_uid, reset_tokens

    key = f"reset_user_{which}"
    if key not in world.objects:
        from tests.factories import UserFactory

        world.objects[key] = UserFactory(
            username=f"QA97{0 if which == 'own' else 1}",
            display_name=f"矩阵忘记密码{which}",
            department=world.departments["A" if which == "own" else "B"],
        )
    user = world.objects[key]
    return {"uidb64": encode_uid(user), "token": reset_tokens.make_token(user)}


def _objects():
    from . import objects

    return objects


# target name → fn(world, "own"|"other") → URL kwargs. One line per object kind; builders (objects.py) create the
# rows on first use. School-wide objects (a call, a publicity, an enterprise) are the same for own and other.
TARGETS = {
    "user": _user_target,
    "token": _token_target,
    "notification": _notification_target,
    "staff": lambda w, which: {"user_pk": (w.users["staff"] if which == "own" else w.owner_other).pk},
    "application": lambda w, which: {"pk": _objects().application(w, which).pk},
    "new_application": lambda w, which: {"call_pk": _objects().call(w).pk},
    "attachment": lambda w, which: {
        "pk": _objects().application(w, which).pk,
        "attachment_pk": _objects().attachment(w, which).pk,
    },
    "call": lambda w, which: {"pk": _objects().call(w).pk},
    "call_pk": lambda w, which: {"call_pk": _objects().call(w).pk},
    "review": lambda w, which: {"pk": _objects().review(w, which).pk},
    "meeting": lambda w, which: {"pk": _objects().meeting(w, which).pk},
    "evidence": lambda w, which: {
        "pk": _objects().application(w, which).pk,
        "kind": "honor",
        "obj_pk": _objects().honor(w, which).pk,
    },
    "publicity": lambda w, which: {"pk": _objects().publicity(w).pk},
    "objection_lodge": lambda w, which: {
        "pk": _objects().publicity(w).pk,
        "app_pk": _objects().application(w, which).pk,
    },
    "objection": lambda w, which: {"pk": _objects().objection(w, which).pk},
    "work": lambda w, which: {"pk": _objects().work_period(w, which).pk},
    "honor": lambda w, which: {"pk": _objects().honor(w, which).pk},
    "enterprise": lambda w, which: {"pk": _objects().enterprise(w).pk},
    "studio": lambda w, which: {"pk": _objects().studio(w, which).pk},
    "studio_member": lambda w, which: {
        "pk": _objects().studio(w, which).pk,
        "membership_pk": _objects().studio_member(w, which).pk,
    },
    "studio_exception": lambda w, which: {
        "pk": _objects().studio(w, which).pk,
        "exception_pk": _objects().studio_exception(w, which).pk,
    },
    "studio_letter": lambda w, which: {
        "pk": _objects().studio(w, which).pk,
        "letter_pk": _objects().studio_letter(w, which).pk,
    },
    "studio_member_api": lambda w, which: {
        "pk": _objects().studio(w, which).pk,
        "membership_id": _objects().studio_member(w, which).pk,
    },
    "studio_exception_api": lambda w, which: {
        "pk": _objects().studio(w, which).pk,
        "exception_id": _objects().studio_exception(w, which).pk,
    },
    "studio_letter_api": lambda w, which: {
        "pk": _objects().studio(w, which).pk,
        "letter_id": _objects().studio_letter(w, which).pk,
    },
    "affiliation": lambda w, which: {"pk": _objects().affiliation(w, which).pk},
    "person": lambda w, which: {"user_id": (w.users["staff"] if which == "own" else w.owner_other).pk},
    "newcomer": lambda w, which: {"pk": _newcomer(w, which).pk},
    "activation_link": _activation_link,
    "reset_link": _reset_link,
}


def _app_pk(w, which="own"):
    return _objects().application(w, which).pk


# Write bodies that pass validation, so the row tests the permission check, not the form (422/no-op otherwise).
# url name → fn(world, "own"|"other") → body (JSON for the API, form fields for pages). One line per write.
BODIES = {
    "applications:transition": lambda w, which: {
        "target": "recommended",
        "note": "同意推荐。",
        "r7_judgement": "pass",
        "r8_judgement": "pass",
    },
    "applications:assign": lambda w, which: {"experts": [w.users["expert"].pk]},
    "applications:meeting_vote": lambda w, which: {"application": _app_pk(w, which), "choice": "for"},
    "applications:objection_lodge": lambda w, which: {"content": "矩阵异议内容。"},
    "applications:objection_detail": lambda w, which: {"upheld": "0", "findings": "经核查异议不成立。"},
    "applications:approve": lambda w, which: {"document_number": "矩阵〔2026〕9号", "approved_on": "2026-11-24"},
    "applications:withdraw": lambda w, which: {"reason": "矩阵撤回说明"},
    "applications:meeting_revote": lambda w, which: {"application": _app_pk(w, which), "reason": "矩阵重新表决理由"},
    "applications:meeting_cancel": lambda w, which: {"reason": "矩阵取消原因"},
    "api:withdraw": lambda w, which: {"reason": "矩阵撤回说明"},
    "api:meeting_revote": lambda w, which: {"application_id": _app_pk(w, which), "reason": "矩阵重新表决理由"},
    "api:meeting_cancel": lambda w, which: {"reason": "矩阵取消原因"},
    "api:post_transition": lambda w, which: {
        "target": "recommended",
        "note": "同意推荐。",
        "r7_judgement": "pass",
        "r8_judgement": "pass",
    },
    "api:post_assignments": lambda w, which: {"expert_ids": [w.users["expert"].pk]},
    "api:recuse": lambda w, which: {"reason": "与申报人有亲属关系。"},
    "api:submit_review": lambda w, which: {"scores": {"master": 8}, "comment": "同意。", "recommendation": "recommend"},
    "api:vote": lambda w, which: {"application_id": _app_pk(w, which), "choice": "for"},
    "api:object_to": lambda w, which: {"application_id": _app_pk(w, which), "content": "矩阵异议内容。"},
    "api:resolve": lambda w, which: {"upheld": False, "findings": "经核查异议不成立。"},
    "api:approve": lambda w, which: {"document_number": "矩阵〔2026〕9号", "approved_on": "2026-11-24"},
    "api:publish": lambda w, which: {
        "call_id": _objects().call(w).pk,
        "application_ids": [_app_pk(w, "own")],
        # a start in the future: a past start is a back-dated 公示 and needs a reason (422 before the state check)
        "starts_at": (timezone.localtime() + dt.timedelta(days=1)).replace(hour=9, minute=0).isoformat(),
        "acknowledge_warning": True,
    },
    "api:create_work_period": lambda w, which: {
        "kind": "work",
        "enterprise_name": "矩阵企业",
        "start": "2010-01-01",
        "end": "2012-01-01",
    },
    "api:update_work_period": lambda w, which: {
        "kind": "work",
        "enterprise_name": "矩阵企业改",
        "start": "2010-01-01",
        "end": "2012-01-01",
    },
    "api:create_honor": lambda w, which: {
        "kind": "skill_master",
        "title": "矩阵荣誉",
        "level": "city",
        "date": "2020-01-01",
        "issuer": "矩阵单位",
    },
    "api:update_honor": lambda w, which: {
        "kind": "skill_master",
        "title": "矩阵荣誉改",
        "level": "city",
        "date": "2020-01-01",
        "issuer": "矩阵单位",
    },
    "api:create_enterprise": lambda w, which: {"name": "矩阵新企业", "credit_code": "91500000MA5U000000"},
    "api:update_enterprise": lambda w, which: {"name": "矩阵合作企业", "credit_code": "91500000MA5U000001"},
    "api:patch_person": lambda w, which: {"phone": "13800138000"},
    # Sign-in self-service (issue 8): a request for a link, and a password set through one.
    "accounts:password_reset": lambda w, which: {"identifier": w.users["staff"].username},
    "accounts:password_reset_confirm": lambda w, which: {
        "new_password1": "Matrix@2027x",
        "new_password2": "Matrix@2027x",
    },
    "accounts:activate": lambda w, which: {"new_password1": "Matrix@2027x", "new_password2": "Matrix@2027x"},
    # Page forms that write on a valid POST (so a read-only persona is refused a real write, not an empty form).
    "people:my_profile_edit": lambda w, which: {"phone": "13800138000", "title": "高级讲师"},
    "people:work_create": lambda w, which: {
        "kind": "work",
        "enterprise_name": "矩阵企业",
        "start": "2010-01-01",
        "end": "2012-01-01",
    },
    "people:honor_create": lambda w, which: {
        "kind": _honor_kind_pk(),
        "title": "矩阵荣誉",
        "level": "city",
        "date": "2020-01-01",
        "issuer": "矩阵单位",
    },
    # API operations that mirror the pages' writes (applications/api_writes.py, people/api_writes.py)
    "api:create_call": lambda w, which: {
        "year": 2031,
        "title": "矩阵新批次",
        "opens_at": "2031-03-01T09:00:00+08:00",
        "closes_at": "2031-04-01T17:00:00+08:00",
        "policy_year": 2031,
        "rubric_id": _objects().call(w).rubric_id,
    },
    "api:save_draft": lambda w, which: {"version": 1, "studio_name": "数控车工技能大师工作室", "mode": "school"},
    "api:post_batch_assignments": lambda w, which: {
        "application_ids": [_app_pk(w, "own")],
        "expert_ids": [w.users["expert"].pk],
    },
    "api:create_meeting": lambda w, which: {
        "title": "矩阵审议会",
        "held_on": "2031-03-01",
        "member_ids": [w.users["committee"].pk],
        "agenda_ids": [_app_pk(w, "own")],
        "quorum": 1,
        "majority": "simple",
    },
    "api:close_meeting": lambda w, which: {"minutes": "矩阵会议纪要。"},
    "api:set_affiliation": lambda w, which: {"user_id": w.owner_other.pk, "position": "高级技师"},
    "api:studio_member_add": lambda w, which: {"user_id": _fresh_user(w).pk, "role": "member"},
    "api:studio_member_leave": lambda w, which: {"reason": "矩阵退出"},
    "api:studio_exception_add": lambda w, which: {"reason": "矩阵例外", "deadline": _in_a_month()},
    "api:studio_register": lambda w, which: _registration_body(w),
    "api:studio_letter_template_save": lambda w, which: {"school_duties": "甲", "studio_duties": "乙", "term_years": 3},
    "studios:member_remove": lambda w, which: {"reason": "矩阵退出"},
}


def _in_a_month():
    import datetime as dt

    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def _fresh_user(world):
    from tests.factories import UserFactory

    return UserFactory(department=world.departments["A"])


def _registration_body(world):
    """历史登记 of a studio that passes every rule (rolled back after the row)."""
    cores = [_fresh_user(world).pk for _ in range(3)]
    return {
        "official_name": "矩阵登记技能大师工作室",
        "document_number": "矩阵〔2019〕1号",
        "approved_on": "2019-06-01",
        "master_id": _fresh_user(world).pk,
        "department_id": world.departments["A"].pk,
        "mode": "school",
        "core_member_ids": cores,
    }


def _honor_kind_pk():
    from people.models import HonorKind

    return HonorKind.objects.order_by("id").values_list("pk", flat=True).first()


def prepare_targets(world):
    """Make every target's rows up front, so each row sees the same world whatever the order of the table."""
    for name, builder in TARGETS.items():
        if name in {"user", "token"}:
            continue
        for which in ("own", "other"):
            builder(world, which)


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
            route = prefix + str(entry.pattern)
            # An unnamed pattern is keyed by its route, e.g. "people:<people/>" (requested at that path).
            name = entry.name or f"<{route}>"
            name = f"{namespace}:{name}" if namespace else name
            params = tuple(entry.pattern.converters) or (("<regex group>",) if entry.pattern.regex.groups else ())
            yield name, route, params


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
    if expected == "noop":
        return not actual.startswith("5")  # and nothing written: checked by the caller
    if expected == "deny":
        return actual in {"403", "404"}
    if expected == "ok":
        return actual in {"ok", "redirect"}
    return expected == actual


# --- 系统管理 (administration): targets and bodies ---------------------------------------------------------------------


def _settings_object(world, key, make):
    if key not in world.objects:
        world.objects[key] = make()
    return world.objects[key]


def _role_assignment_target(world, which):
    def make():
        from accounts.models import RoleAssignment
        from tests.factories import UserFactory

        holder = UserFactory(
            username=f"QA96{0 if which == 'own' else 1}",
            display_name=f"矩阵财务{which}",
            department=world.departments["A" if which == "own" else "B"],
        )
        return RoleAssignment.objects.create(user=holder, role=Role.FINANCE)

    assignment = _settings_object(world, f"role_assignment_{which}", make)
    return {"pk": assignment.user_id, "assignment_pk": assignment.pk}


def _policy(world, nxt=False):
    from django.utils import timezone

    from people.models import PolicyVersion
    from people.policy import ensure_policy_version

    year = timezone.localdate().year
    return _settings_object(
        world,
        f"policy_{nxt}",
        lambda: PolicyVersion.objects.get_or_create(year=year + 1)[0] if nxt else ensure_policy_version(year),
    )


def _rubric(world):
    def make():
        from applications.models import Rubric, RubricCriterion

        rubric = Rubric.objects.create(name="矩阵未用标准")
        RubricCriterion.objects.create(rubric=rubric, code="master", label="水平", weight=1, max_score=10)
        return rubric

    return _settings_object(world, "rubric_unused", make)


def _holiday(world):
    import datetime as _dt

    from applications.models import WorkdayOverride

    return _settings_object(
        world,
        "holiday",
        lambda: WorkdayOverride.objects.create(date=_dt.date(2031, 5, 5), is_workday=False, reason="矩阵校正"),
    )


def _major(world):
    from tests.factories import MajorFactory

    return _settings_object(
        world, "major", lambda: MajorFactory(department=world.departments["A"], code="QA_M1", name="矩阵专业")
    )


def _honor_kind(world):
    from people.models import HonorKind

    return _settings_object(
        world, "honor_kind", lambda: HonorKind.objects.create(code="qa_matrix", name="矩阵荣誉类别", order=900)
    )


TARGETS.update(
    {
        "role_assignment": _role_assignment_target,
        "policy": lambda w, which: {"pk": _policy(w).pk},
        "policy_next": lambda w, which: {"pk": _policy(w, nxt=True).pk},
        "rubric": lambda w, which: {"pk": _rubric(w).pk},
        "rubric_in_use": lambda w, which: {"pk": _objects().call(w).rubric_id},
        "criterion": lambda w, which: {"pk": _rubric(w).pk, "criterion_pk": _rubric(w).criteria.get().pk},
        "holiday": lambda w, which: {"pk": _holiday(w).pk},
        "department": lambda w, which: {"pk": w.departments["A"].pk},
        "major": lambda w, which: {"pk": _major(w).pk},
        "honor_kind": lambda w, which: {"pk": _honor_kind(w).pk},
        # a member of the expert pool (the expert persona), for removing him from it
        "pool_expert": lambda w, which: {"pk": w.users["expert"].pk},
    }
)


def _policy_body(world, which):
    from people.services import POLICY_FIELDS

    version = _policy(world, nxt=True)
    body = {name: getattr(version, name) for name in POLICY_FIELDS}
    body["publicity_working_days"] = "on" if version.publicity_working_days else ""
    body["master_max_age"] = 46
    return body


BODIES.update(
    {
        "administration:user_create": lambda w, which: {"username": "QA962", "display_name": "矩阵新账户"},
        "administration:user_set_active": lambda w, which: {"active": "0"},
        "administration:role_grant": lambda w, which: {"role": "finance"},
        "administration:work_create": lambda w, which: {
            "kind": "work",
            "enterprise_name": "矩阵企业",
            "start": "2010-01-01",
            "end": "2012-01-01",
        },
        "administration:expert_list": lambda w, which: {"username": w.owner_other.username},
        "administration:policy_edit": _policy_body,
        "administration:rubric_create": lambda w, which: {"name": "矩阵新标准"},
        "administration:rubric_edit": lambda w, which: {"name": "矩阵未用标准改"},
        "administration:criterion_create": lambda w, which: {
            "code": "extra",
            "label": "附加",
            "weight": "1",
            "min_score": "0",
            "max_score": "10",
            "order": "9",
        },
        "administration:criterion_edit": lambda w, which: {
            "code": "master",
            "label": "水平改",
            "weight": "2",
            "min_score": "0",
            "max_score": "10",
            "order": "1",
        },
        "administration:holiday_create": lambda w, which: {"date": "2031-05-06", "is_workday": "0", "reason": "矩阵"},
        "administration:holiday_edit": lambda w, which: {"date": "2031-05-07", "is_workday": "1", "reason": "矩阵改"},
        "administration:department_create": lambda w, which: {"name": "矩阵新系", "code": "QA_N", "is_active": "on"},
        "administration:department_edit": lambda w, which: {
            "name": "机械工程系（矩阵）改",
            "code": "QA_A",
            "is_active": "on",
        },
        "administration:major_create": lambda w, which: {
            "department": w.departments["A"].pk,
            "name": "矩阵新专业",
            "code": "QA_M9",
            "is_active": "on",
        },
        "administration:major_edit": lambda w, which: {
            "department": w.departments["A"].pk,
            "name": "矩阵专业改",
            "code": "QA_M1",
            "is_active": "on",
        },
        "administration:honor_kind_create": lambda w, which: {
            "code": "qa_new",
            "name": "矩阵新类别",
            "order": "1",
            "is_active": "on",
        },
        "administration:honor_kind_edit": lambda w, which: {
            "code": "qa_matrix",
            "name": "矩阵荣誉类别改",
            "order": "1",
            "is_active": "on",
        },
        "administration:honor_create": lambda w, which: {
            "kind": _honor_kind_pk(),
            "title": "矩阵代登记荣誉",
            "level": "city",
            "date": "2020-01-01",
            "issuer": "矩阵单位",
        },
        # 系统管理 API (administration/api.py): bodies the pages' forms accept
        "api:system_create_user": lambda w, which: {"username": "QA963", "display_name": "矩阵接口账户"},
        "api:system_set_active": lambda w, which: {"active": False},
        "api:system_grant_role": lambda w, which: {"role": "finance"},
        "api:system_add_expert": lambda w, which: {"username": w.owner_other.username},
        "api:system_update_policy": lambda w, which: {"master_max_age": 46},
        "api:system_create_rubric": lambda w, which: {"name": "矩阵接口标准"},
        "api:system_update_rubric": lambda w, which: {"name": "矩阵未用标准接口改"},
        "api:system_create_criterion": lambda w, which: {"code": "api_extra", "label": "附加"},
        "api:system_update_criterion": lambda w, which: {"label": "水平接口改"},
        "api:system_create_holiday": lambda w, which: {"date": "2031-05-08", "is_workday": False, "reason": "矩阵接口"},
        "api:system_update_holiday": lambda w, which: {"reason": "矩阵接口改"},
        "api:system_create_department": lambda w, which: {"name": "矩阵接口系", "code": "QA_API"},
        "api:system_update_department": lambda w, which: {"name": "机械工程系（矩阵）接口改"},
        "api:system_create_major": lambda w, which: {
            "department_id": w.departments["A"].pk,
            "name": "矩阵接口专业",
            "code": "QA_M8",
        },
        "api:system_update_major": lambda w, which: {"name": "矩阵专业接口改"},
        "api:system_create_honor_kind": lambda w, which: {"code": "qa_api", "name": "矩阵接口类别"},
        "api:system_update_honor_kind": lambda w, which: {"name": "矩阵荣誉类别接口改"},
    }
)


# --- plans (issue 10: 建设方案与指标) --------------------------------------------------------------------------------

TARGETS.update(
    {
        "plan": lambda w, which: {"pk": _objects().plan(w, which).pk},
        "plan_studio": lambda w, which: {"studio_pk": _objects().studio(w, which).pk},
        "plan_records": lambda w, which: {"studio_pk": _objects().studio(w, which).pk, "key": "exchange_events"},
        "plan_department": lambda w, which: {"department_pk": w.departments["A" if which == "own" else "B"].pk},
        "indicator_set": lambda w, which: {"pk": _objects().indicator_set(w).pk},
    }
)
BODIES.update(
    {
        "plans:create": lambda w, which: {"kind": "construction", "year": "2027"},
        "plans:edit": lambda w, which: {"goals": "矩阵建设目标", "expected_outputs": ""},
        "plans:move": lambda w, which: {"to": "submitted", "note": ""},
        "plans:new_version": lambda w, which: {"reason": "矩阵变更原因"},
        "plans:indicator_sets": lambda w, which: {"year": "2031"},
        "api:plans_list": lambda w, which: {
            # GET rows have target "-": the body is built but not sent
            "studio_id": _objects().studio(w, which if which in ("own", "other") else "own").pk,
            "kind": "construction",
            "year": 2027,
        },
        "api:plans_detail": lambda w, which: {"goals": "矩阵建设目标"},
        "api:plans_transition": lambda w, which: {"to": "submitted", "note": ""},
        "api:plans_new_version": lambda w, which: {"reason": "矩阵变更原因"},
        "api:plans_indicator_sets": lambda w, which: {"year": 2031},
    }
)


def _indicator_set_body(w, which):
    """The year's indicators as they are (weights sum to 100): a PUT that passes validation."""
    indicators = _objects().indicator_set(w).indicators.order_by("order")
    return {
        "note": "矩阵",
        "indicators": [
            {
                "id": i.pk,
                "key": i.key,
                "group": i.group,
                "group_weight": str(i.group_weight),
                "name": i.name,
                "unit": i.unit,
                "computation": i.computation,
                "computed_from": i.computed_from,
                "default_target": str(i.default_target),
                "weight": str(i.weight),
                "level_weighted": i.level_weighted,
            }
            for i in indicators
        ],
    }


BODIES["api:plans_indicator_set"] = _indicator_set_body


# --- ledger (issue 10: 建设记录与系部审核) -------------------------------------------------------------------------


def _ledger(kind, builder):
    return lambda w, which: {"kind": kind, "pk": builder(w, which).pk}


TARGETS.update(
    {
        # a record type, for the lists' writes (new, batch confirm) and the API's list/create
        "ledger_kind": lambda w, which: {"kind": "activities"},
        # a submitted activity (for 系部审核), a draft one (for the master's edit/submit/upload), a confirmed one (抽查)
        "ledger_submitted": _ledger("activities", lambda w, which: _objects().ledger_activity(w, which)),
        "ledger_draft": _ledger("activities", lambda w, which: _objects().ledger_activity(w, which, "draft")),
        "ledger_confirmed": _ledger("activities", lambda w, which: _objects().ledger_activity(w, which, "confirmed")),
        "ledger_mentorship": _ledger("mentorships", lambda w, which: _objects().ledger_mentorship(w, which)),
        "ledger_project": _ledger("projects", lambda w, which: _objects().ledger_project(w, which)),
        "ledger_attachment": lambda w, which: {
            "kind": "activities",
            "pk": _objects().ledger_activity(w, which).pk,
            "attachment_pk": _objects().ledger_attachment(w, which).pk,
        },
    }
)


def _ledger_activity_body(w, which):
    import datetime as dt

    from django.utils import timezone

    return {
        "studio": _objects().ledger_studio(w, which).pk,
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "title": "矩阵新活动",
        "kind": "exchange",
        "place": "school",
        "hours": "2",
        "participants": "10",
    }


def _ledger_upload_body(w, which):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "sign_in", "file": SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}


def _ledger_api_create_body(w, which):
    body = _ledger_activity_body(w, which)
    body["studio_id"] = body.pop("studio")
    body["hours"], body["participants"] = 2, 10
    return body


BODIES.update(
    {
        "ledger:new": _ledger_activity_body,
        "ledger:edit": _ledger_activity_body,
        "ledger:batch_confirm": lambda w, which: {"ids": [_objects().ledger_activity(w, which).pk]},
        "ledger:return": lambda w, which: {"reason": "矩阵退回原因"},
        "ledger:spot_check": lambda w, which: {"note": "矩阵抽查意见"},
        "ledger:attachment_upload": _ledger_upload_body,
        "ledger:note": lambda w, which: {"date": "2026-01-05", "note": "矩阵带徒进展"},
        "ledger:stage": lambda w, which: {"stage": "approval", "date": "2026-01-05", "note": "矩阵立项"},
        "api:ledger_create": _ledger_api_create_body,
        "api:ledger_update": lambda w, which: {"title": "矩阵活动改"},
        "api:ledger_return": lambda w, which: {"reason": "矩阵退回原因"},
    }
)


# 批量确认, 抽查, 带徒进展 and 项目阶段 through the API: the batch names its records in the body (own: the submitted
# activity of department A; other: of department B); the notes/stages operations take the record's id only.
def _yesterday():
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


TARGETS.update(
    {
        "ledger_batch": lambda w, which: {},
        "ledger_mentorship_api": lambda w, which: {"pk": _objects().ledger_mentorship(w, which).pk},
        "ledger_project_api": lambda w, which: {"pk": _objects().ledger_project(w, which).pk},
    }
)
BODIES.update(
    {
        "api:ledger_batch_confirm": lambda w, which: {
            "items": [{"kind": "activities", "id": _objects().ledger_activity(w, which).pk}]
        },
        "api:ledger_spot_check": lambda w, which: {"note": "矩阵抽查意见"},
        "api:ledger_note": lambda w, which: {"date": _yesterday(), "note": "矩阵带徒进展"},
        "api:ledger_stage": lambda w, which: {"stage": "approval", "date": _yesterday(), "note": "矩阵立项"},
    }
)


# --- funds (issue 11: 经费) ---------------------------------------------------------------------------------------


def _which(which):
    return "own" if which in ("-", "own") else which


TARGETS.update(
    {
        "funds_studio": lambda w, which: {"pk": _objects().ledger_studio(w, which).pk},
        "funds_budget": lambda w, which: {"pk": _objects().funds_budget(w, which).pk},
        "funds_draft": lambda w, which: {"pk": _objects().funds_expenditure(w, which, "draft").pk},
        "funds_submitted": lambda w, which: {"pk": _objects().funds_expenditure(w, which).pk},
        "funds_category": lambda w, which: {"pk": _objects().funds_category(w).pk},
    }
)


def _funds_budget_body(w, which):
    return {
        "year": timezone.localdate().year,
        "source": "department",
        "category": _objects().funds_category(w, "travel").pk,
        "amount": "50.00",
    }


def _funds_expenditure_body(w, which):
    return {
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        if timezone.localdate().day > 1
        else timezone.localdate().isoformat(),
        "amount": "5.00",
        "source": "school",
        "category": _objects().funds_category(w).pk,
        "payee": "矩阵收款方",
        "description": "矩阵用途",
        "action": "save",
    }


def _funds_voucher_body(w, which):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"voucher": SimpleUploadedFile("凭证.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}


def _funds_api_budget_body(w, which):
    body = _funds_budget_body(w, which)
    body["studio_id"] = _objects().ledger_studio(w, _which(which)).pk
    body["category_id"] = body.pop("category")
    return body


def _funds_api_expenditure_body(w, which):
    body = _funds_expenditure_body(w, which)
    body.pop("action")
    body["studio_id"] = _objects().ledger_studio(w, _which(which)).pk
    body["category_id"] = body.pop("category")
    return body


def _funds_studio_page_body(w, which):
    _objects().funds_budget(w, _which(which))  # the line the expenditure is booked on
    return _funds_expenditure_body(w, which)


BODIES.update(
    {
        "funds:budget_new": _funds_budget_body,
        "funds:budget_edit": lambda w, which: {"amount": "2000.00", "note": "矩阵调整"},
        "funds:expenditure_new": _funds_studio_page_body,
        "funds:expenditure_edit": _funds_expenditure_body,
        "funds:expenditure_decide": lambda w, which: {"target": "confirmed", "note": ""},
        "funds:expenditure_overrun": lambda w, which: {"reason": "矩阵超支理由"},
        "funds:voucher_upload": _funds_voucher_body,
        "funds:categories": lambda w, which: {"name": "矩阵类别", "order": "9", "active": "on"},
        "funds:category_edit": lambda w, which: {"name": "设备", "order": "1", "active": "on"},
        "api:funds_budget_create": _funds_api_budget_body,
        "api:funds_budget_update": lambda w, which: {"amount": "2000.00"},
        "api:funds_expenditure_create": _funds_api_expenditure_body,
        "api:funds_expenditure_update": lambda w, which: {"payee": "矩阵收款方改"},
        "api:funds_expenditure_return": lambda w, which: {"reason": "矩阵退回原因"},
        "api:funds_expenditure_overrun": lambda w, which: {"reason": "矩阵超支理由"},
        "api:funds_category_create": lambda w, which: {"name": "矩阵类别", "order": 9, "active": True},
        "api:funds_category_update": lambda w, which: {"name": "设备", "order": 1, "active": True},
    }
)


# --- archive (issue 11 items 1-3: 档案) ------------------------------------------------------------------------------


def _archive_year(w, which):
    return {"studio_pk": _objects().ledger_studio(w, which).pk, "year": _objects().archive_year()}


def _archive_upload_body(w, which):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "category": "rules",
        "title": "矩阵制度",
        "date": f"{_objects().archive_year()}-06-01",
        "file": SimpleUploadedFile("制度.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    }


def _archive_addendum_body(w, which):
    return {
        "object_type": "ledger.activity",
        "object_id": _objects().ledger_activity(w, _which(which)).pk,
        "reason": "矩阵补充原因",
        "text": "矩阵补充说明",
    }


TARGETS.update(
    {
        "archive_year": _archive_year,
        "archive_year_api": lambda w, which: {
            "studio_id": _objects().ledger_studio(w, which).pk,
            "year": _objects().archive_year(),
        },
        "archive_school_year": lambda w, which: {"year": _objects().archive_year()},
        "archive_doc": lambda w, which: {"pk": _objects().archive_doc(w, which).pk},
        "archive_package": lambda w, which: {"pk": _objects().archive_package(w, which).pk},
    }
)
BODIES.update(
    {
        "archive:upload": _archive_upload_body,
        "archive:archive": lambda w, which: {"override_reason": "矩阵放行理由"},
        "archive:archive_all": lambda w, which: {"year": _objects().archive_year(), "override_reason": "矩阵放行理由"},
        "archive:addendum": _archive_addendum_body,
        "api:archive_archive": lambda w, which: {"override_reason": "矩阵放行理由"},
        "api:archive_archive_all": lambda w, which: {"override_reason": "矩阵放行理由"},
        "api:archive_addendum": _archive_addendum_body,
    }
)


# --- integrations (issue 14 items 4-6: 两步验证, 工作消息机器人, 日历订阅) --------------------------------------------


def _webhook(w, which):
    """A 企业微信 robot for department A (own) or B (other); robots are 系统管理员's alone either way."""
    key = f"webhook_{which}"
    if key not in w.objects:
        from integrations.models import WebhookTarget

        w.objects[key] = WebhookTarget.objects.create(
            name=f"矩阵机器人{which}",
            platform="wecom",
            url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix-{which}",
            department=w.departments["A" if which == "own" else "B"],
            created_by=w.users["admin"],
        )
    return w.objects[key]


def _calendar_token(w, which, *, revoked=False):
    """A calendar link of persona staff (own) or owner_other (other): the live one, or the one it replaced (revoked).
    The token in the URL is the credential: whoever holds a live one reads the feed, signed in or not; a revoked one
    is 404 for everyone."""
    key = f"calendar_{which}"
    if key not in w.objects:
        from integrations import calendar

        owner = w.users["staff"] if which == "own" else w.owner_other
        old = calendar.issue_feed(by=owner)
        w.objects[key] = {"revoked": old, "live": calendar.issue_feed(by=owner)}
    return {"token": w.objects[key]["revoked" if revoked else "live"]}


def _otp_user(w, which):
    """A teacher of department A (own) or B (other) with an authenticator, for 系统管理员's 重置两步验证. Not a persona:
    a persona with a device would be sent to the second sign-in step on every row."""
    key = f"otp_user_{which}"
    if key not in w.objects:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.factories import UserFactory

        user = UserFactory(
            username=f"QA98{0 if which == 'own' else 1}",
            display_name=f"矩阵两步验证{which}",
            department=w.departments["A" if which == "own" else "B"],
        )
        TOTPDevice.objects.create(user=user, name="矩阵验证器", confirmed=True)
        w.objects[key] = user
    return {"pk": w.objects[key].pk}


def _webhook_body(w, which):
    return {
        "name": "矩阵机器人改",
        "platform": "wecom",
        "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix-new",
        "secret": "",
        "role": "",
        "is_active": "on",
    }


def _webhook_api_body(w, which):
    body = _webhook_body(w, which)
    body["is_active"] = True
    return body


TARGETS.update(
    {
        "webhook": lambda w, which: {"pk": _webhook(w, which).pk},
        "calendar_token": _calendar_token,
        "calendar_revoked": lambda w, which: _calendar_token(w, which, revoked=True),
        "otp_user": _otp_user,
    }
)
BODIES.update(
    {
        "integrations:webhook_create": _webhook_body,
        "integrations:webhook_detail": _webhook_body,
        "api:create_webhook": _webhook_api_body,
        "api:update_webhook": _webhook_api_body,
    }
)


# --- oversight (issue 13: 纪检监督) -----------------------------------------------------------------------------------


def _ov_note_body(w, which):
    return {
        "object_type": "applications.application",
        "object_id": _objects().application(w, "own").pk,
        "office": "department",
        "subject": "矩阵新意见",
        "text": "矩阵新意见内容",
    }


def _ov_attendance_body(w, which):
    return {"kind": "applications.committeemeeting", "meeting": _objects().meeting(w, "own").pk, "remark": "矩阵列席"}


def _ov_attendance_api_body(w, which):
    return {"meeting_type": "applications.committeemeeting", "meeting_id": _objects().meeting(w, "own").pk}


TARGETS.update({"ov_note": lambda w, which: {"pk": _objects().ov_note(w, which).pk}})
BODIES.update(
    {
        "oversight:note_new": _ov_note_body,
        "oversight:note_answer": lambda w, which: {"text": "矩阵答复"},
        "oversight:note_close": lambda w, which: {"text": "矩阵办结说明"},
        "oversight:note_reopen": lambda w, which: {"text": "矩阵重新打开原因"},
        "oversight:note_correct": lambda w, which: {"text": "矩阵更正"},
        "oversight:attendance": _ov_attendance_body,
        "api:oversight_note_create": _ov_note_body,
        "api:oversight_note_answer": lambda w, which: {"text": "矩阵答复"},
        "api:oversight_note_close": lambda w, which: {"text": "矩阵办结说明"},
        "api:oversight_note_reopen": lambda w, which: {"text": "矩阵重新打开原因"},
        "api:oversight_note_correct": lambda w, which: {"text": "矩阵更正"},
        "api:oversight_attendance_record": _ov_attendance_api_body,
    }
)


# --- news and showcase (issue 13: 通知公告、宣传报道、成果展示) ---------------------------------------------------------


def _news_attachment(w, which):
    notice = _objects().news_notice(w, which)
    return {"pk": notice.pk, "attachment_pk": notice.attachments.get().pk}


def _news_photo(w, which, status="submitted"):
    post = _objects().news_post(w, which, status)
    return {"pk": post.pk, "photo_pk": post.photos.get().pk}


def _news_jpeg(w, which):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    return {"file": SimpleUploadedFile("现场.jpg", buffer.getvalue(), "image/jpeg"), "caption": "矩阵"}


TARGETS.update(
    {
        "news_notice": lambda w, which: {"pk": _objects().news_notice(w, which).pk},
        "news_notice_draft": lambda w, which: {"pk": _objects().news_notice(w, which, "draft").pk},
        "news_attachment": _news_attachment,
        "news_post": lambda w, which: {"pk": _objects().news_post(w, which).pk},
        "news_post_draft": lambda w, which: {"pk": _objects().news_post(w, which, "draft").pk},
        "news_post_published": lambda w, which: {"pk": _objects().news_post(w, which, "published").pk},
        "news_photo": _news_photo,
        "news_photo_published": lambda w, which: _news_photo(w, which, "published"),
        "showcase_studio": lambda w, which: {"pk": _objects().ledger_studio(w, which).pk},
        "showcase_notice": lambda w, which: {"pk": _objects().news_notice(w, which, "public").pk},
        "news_honor": lambda w, which: {"pk": _objects().news_honor(w, which).pk},
        "news_achievement": lambda w, which: {"pk": _objects().news_achievement(w, which).pk},
    }
)
# The showcase's studios and public notices are public (no login): reachable by anyone, whichever department.
PUBLIC_TARGETS.update({"showcase_studio", "showcase_notice"})
# The unread list takes its notice as ?notice= (no URL kwargs): the published notice of department A (own) or B (other).
TARGETS["news_unread"] = lambda w, which: {}
QUERIES["news_unread"] = lambda w, which: {"notice": _objects().news_notice(w, which).pk}
BODIES.update(
    {
        "news:notice_new": lambda w, which: {"title": "矩阵新通知", "body": "正文", "audience": "all"},
        "news:notice_edit": lambda w, which: {"title": "矩阵改通知", "body": "正文", "audience": "all"},
        "news:notice_withdraw": lambda w, which: {"reason": "矩阵撤回原因"},
        "news:notice_attachment_upload": lambda w, which: {
            "file": __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                "附件.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
            )
        },
        "news:post_new": lambda w, which: {"title": "矩阵新报道", "body": "正文"},
        "news:post_edit": lambda w, which: {"title": "矩阵改报道", "body": "正文"},
        "news:post_photo_upload": _news_jpeg,
        # the API uploads are multipart (test_permission_matrix sends a body holding a file as multipart)
        "api:news_notice_attach": lambda w, which: {
            "file": __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                "附件.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
            )
        },
        "api:news_post_photo": _news_jpeg,
        "news:post_decide": lambda w, which: {"target": "published", "note": ""},
        "api:news_notice_create": lambda w, which: {"title": "矩阵新通知", "body": "正文", "audience": "all"},
        "api:news_notice_update": lambda w, which: {"title": "矩阵改通知", "body": "正文", "audience": "all"},
        "api:news_notice_withdraw": lambda w, which: {"reason": "矩阵撤回原因"},
        "api:news_post_create": lambda w, which: {
            "studio_id": _objects().ledger_studio(w, _which(which)).pk,
            "title": "矩阵新报道",
            "body": "正文",
        },
        "api:news_post_update": lambda w, which: {"title": "矩阵改报道", "body": "正文"},
        "api:news_post_return": lambda w, which: {"reason": "矩阵退回原因"},
        "api:showcase_honor_public": lambda w, which: {"public": True},
        "api:showcase_achievement_public": lambda w, which: {"public": True},
    }
)


# --- evaluation (issue 12: 年度考核) ----------------------------------------------------------------------------------


def _ev_round_body(w, which):
    return {"year": 2001, "due_on": "2002-03-01"}


TARGETS.update(
    {
        "ev_round": lambda w, which: {"pk": _objects().ev_round(w, which).pk},
        "ev_card": lambda w, which: {"pk": _objects().ev_card(w, which).pk},
        "ev_card_line": lambda w, which: {"pk": _objects().ev_card(w, which).pk, "key": "exchange_events"},
    }
)
BODIES.update(
    {
        "evaluation:round_create": _ev_round_body,
        "evaluation:round_assign": lambda w, which: {"evaluator": w.users["expert"].username},
        "evaluation:round_submit": lambda w, which: {"target": "submitted", "confirmed": "1"},
        "evaluation:round_meeting": lambda w, which: {"held_on": "2026-03-05", "members": [w.users["committee"].pk]},
        "evaluation:round_decide": lambda w, which: {"target": "confirmed", "confirmed": "1"},
        "evaluation:round_vote": lambda w, which: {"decision": "agree"},
        "evaluation:scorecard_adjust": lambda w, which: {
            "indicator_key": "exchange_events",
            "score": "1",
            "basis": "矩阵评分依据",
        },
        "evaluation:scorecard_veto": lambda w, which: {"reason": "矩阵弄虚作假理由"},
        "evaluation:scorecard_assign": lambda w, which: {"evaluator": w.users["expert"].username},
        "evaluation:scorecard_grade": lambda w, which: {"grade": "pass", "reason": "矩阵认定理由"},
        "api:evaluation_round_create": _ev_round_body,
        "api:evaluation_round_assign": lambda w, which: {"evaluator_id": w.users["expert"].pk},
        "api:evaluation_round_submit": lambda w, which: {"note": ""},
        "api:evaluation_round_meeting": lambda w, which: {
            "held_on": "2026-03-05",
            "members": [w.users["committee"].pk],
        },
        "api:evaluation_round_confirm": lambda w, which: {"note": ""},
        "api:evaluation_round_vote": lambda w, which: {"decision": "agree"},
        "api:evaluation_round_return": lambda w, which: {"note": "矩阵退回理由"},
        "api:evaluation_scorecard_adjust": lambda w, which: {
            "indicator_key": "exchange_events",
            "score": "1",
            "basis": "矩阵评分依据",
        },
        "api:evaluation_scorecard_veto": lambda w, which: {"reason": "矩阵弄虚作假理由"},
        "api:evaluation_scorecard_assign": lambda w, which: {"evaluator_id": w.users["expert"].pk},
        "api:evaluation_scorecard_grade": lambda w, which: {"grade": "pass", "reason": "矩阵认定理由"},
    }
)


# --- annual (issue 12: 年度工作报告) ---------------------------------------------------------------------------------

TARGETS.update(
    {
        "annual_studio": lambda w, which: {
            "studio_pk": _objects().ledger_studio(w, which).pk,
            "year": timezone.localdate().year,
        },
        "annual_draft": lambda w, which: {"pk": _objects().annual_report(w, which, "draft").pk},
        "annual_submitted": lambda w, which: {"pk": _objects().annual_report(w, which, "submitted").pk},
        "annual_checked": lambda w, which: {"pk": _objects().annual_report(w, which, "checked").pk},
    }
)
_ANNUAL_TEXT = {
    "achievements_summary": "矩阵完成情况",
    "highlights": "矩阵特色",
    "problems": "矩阵问题",
    "next_year_plan": "矩阵计划",
}
BODIES.update(
    {
        "annual:studio_year": lambda w, which: dict(_ANNUAL_TEXT),
        "annual:submit": lambda w, which: {"confirmed": "1"},
        "annual:decide": lambda w, which: {"target": "returned", "note": "矩阵退回原因"},
        "api:annual_report_create": lambda w, which: {
            "studio_id": _objects().ledger_studio(w, _which(which)).pk,
            "year": timezone.localdate().year,
            **_ANNUAL_TEXT,
        },
        "api:annual_report_update": lambda w, which: {"highlights": "矩阵特色改"},
        "api:annual_report_check": lambda w, which: {"note": ""},
        "api:annual_report_receive": lambda w, which: {"note": ""},
        "api:annual_report_return": lambda w, which: {"reason": "矩阵退回原因"},
    }
)


# --- recommendations (issue 12 item 5: 推荐申报, R22) ------------------------------------------------------------------


def _rec_confirmations(w):
    from recommendations.checking import check_studio

    studio_id = _objects().recommendation(w, "own").studio_id
    return [line["requirement_id"] for line in check_studio(studio_id, "city") if line["verdict"] == "manual"]


def _rec_new_body(w, which):
    return {"studio": _objects().ledger_studio(w, "own").pk, "level": "city", "year": 2001, "reason": "矩阵推荐理由"}


TARGETS.update(
    {
        "rec": lambda w, which: {"pk": _objects().recommendation(w, which).pk},
        "rec_pdf": lambda w, which: {"pk": _objects().recommendation(w, which).pk, "fmt": "pdf"},
        "rec_studio": lambda w, which: {"studio_pk": _objects().ledger_studio(w, which).pk},
    }
)
BODIES.update(
    {
        "recommendations:new": _rec_new_body,
        "recommendations:edit": lambda w, which: {"level": "city", "year": 2002, "reason": "矩阵改推荐理由"},
        "recommendations:submit": lambda w, which: {
            **{f"confirm_{pk}": "矩阵核实" for pk in _rec_confirmations(w)},
            "explanation": "矩阵未满足说明",
            "confirmed": "1",
        },
        "recommendations:withdraw": lambda w, which: {"reason": "矩阵撤回理由", "confirmed": "1"},
        "recommendations:outcome": lambda w, which: {"result": "not_approved", "note": "矩阵未获批", "confirmed": "1"},
        "api:recommendations_create": lambda w, which: {
            "studio_id": _objects().ledger_studio(w, "own").pk,
            "level": "city",
            "year": 2001,
            "reason": "矩阵推荐理由",
        },
        "api:recommendations_update": lambda w, which: {"level": "city", "year": 2002, "reason": "矩阵改推荐理由"},
        "api:recommendations_submit": lambda w, which: {
            "confirmations": [{"requirement_id": pk, "note": "矩阵核实"} for pk in _rec_confirmations(w)],
            "explanation": "矩阵未满足说明",
        },
        "api:recommendations_withdraw": lambda w, which: {"reason": "矩阵撤回理由"},
        "api:recommendations_outcome": lambda w, which: {"result": "not_approved", "note": "矩阵未获批"},
    }
)
# The studio page's 推荐申报 rows name a studio (public, like studios:detail); the rows are only those the viewer may
# read (visible_to), "暂无推荐申报" for the others.
PUBLIC_TARGETS.add("rec_studio")
