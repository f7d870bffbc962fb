"""City-wide-sized synthetic data for the benchmark (manage.py seed_scale). Bulk inserts, no per-row services:
this is load, not a demo. Every generator is a step in STEPS; a later app adds its own step (one line) and the
steps skip models that are not installed.

Scale 1.0 ≈ 100 schools: 500 departments, 20,000 staff, 5,000 applications with members, attachment metadata,
expert reviews, committee votes, publicity with objections, studios, and an audit trail with a valid hash chain.
"""

import bisect
import datetime as dt
import functools
import itertools
import random
import time
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, DecimalField, FileField, JSONField
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department, Major, RoleAssignment, User
from applications.enums import ApplicationStatus as S
from applications.models import (
    ApplicationMember,
    Attachment,
    Call,
    CommitteeMeeting,
    Objection,
    Publicity,
    ReviewAssignment,
    Rubric,
    RubricCriterion,
    Vote,
)
from core.audit import GENESIS_HASH, seal, write_anchor
from core.models import AuditEvent
from evaluation import services as evaluation_services
from funds.services import ensure_default_categories
from ledger.enums import AchievementKind, ActivityKind, Level, ProjectKind, ProjectStage
from ledger.evidence import REQUIRED
from oversight.flags import approval_threshold
from people.idcard import encrypt_id_number, hash_id_number, mask_id_number
from plans.services import ensure_indicator_set, indicator_set_for
from recommendations import services as rec_services
from recommendations.checking import check_studio
from recommendations.defaults import ensure_default_requirements

BATCH = 2000
PREFIX = "S"  # usernames S000001…; departments SD0001…: nothing collides with demo data


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _n(base, scale, minimum=1):
    return max(minimum, int(base * scale))


class Ctx:
    """What the steps share: scale, rng, and the rows made so far (ids only, to keep memory small)."""

    def __init__(self, scale, seed):
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.counts = {}

    def count(self, name, value):
        self.counts[name] = self.counts.get(name, 0) + value


def step_org(ctx):
    departments = Department.objects.bulk_create(
        Department(code=f"{PREFIX}D{i:04d}", name=f"规模测试第{i // 5 + 1}校第{i % 5 + 1}系")
        for i in range(_n(500, ctx.scale, 5))
    )
    majors = Major.objects.bulk_create(
        Major(department=d, code=f"{d.code}-{k}", name=f"{d.name}专业{k}") for d in departments for k in (1, 2)
    )
    password = make_password("Scale@2026")
    users = User.objects.bulk_create(
        (
            User(
                username=f"{PREFIX}{i:06d}",
                display_name=f"教师{i:05d}",
                department=departments[i % len(departments)],
                email=f"s{i:06d}@school.example",
                password=password,
            )
            for i in range(_n(20000, ctx.scale, 50))
        ),
        batch_size=BATCH,
    )
    heads = [RoleAssignment(user=users[i], role=Role.DEPT_HEAD, department=d) for i, d in enumerate(departments)]
    n_experts, n_committee = _n(200, ctx.scale, 4), _n(50, ctx.scale, 5)
    offset = len(departments)
    experts = users[offset : offset + n_experts]
    committee = users[offset + n_experts : offset + n_experts + n_committee]
    others = users[offset + n_experts + n_committee :]
    singles = [Role.TEACHING_AFFAIRS, Role.DEV_OFFICE, Role.FINANCE, Role.HR, Role.COOP_OFFICE, Role.INSPECTOR]
    RoleAssignment.objects.bulk_create(
        heads
        + [RoleAssignment(user=u, role=Role.EXPERT) for u in experts]
        + [RoleAssignment(user=u, role=Role.COMMITTEE) for u in committee]
        + [RoleAssignment(user=others[i], role=role) for i, role in enumerate(singles)],
        batch_size=BATCH,
    )
    ctx.departments = [d.pk for d in departments]
    ctx.heads = {d.pk: users[i].pk for i, d in enumerate(departments)}
    ctx.majors = {m.department_id: m.pk for m in majors}
    ctx.users = [(u.pk, u.department_id) for u in users]
    ctx.experts = [u.pk for u in experts]
    ctx.committee = [u.pk for u in committee]
    ctx.teaching_affairs = others[0].pk
    ctx.applicants = [(u.pk, u.department_id) for u in others[len(singles) :]]
    ctx.count("departments", len(departments))
    ctx.count("users", len(users))


def step_people(ctx):
    StaffProfile = _model("people.StaffProfile")
    if StaffProfile is None:
        return

    def id_number(i):
        body = f"500101{1970 + i % 30}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
        return body + check, dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)

    # Encrypting 20,000 numbers costs seconds; a fifth carry one (roster imports fill the rest over time).
    profiles = []
    for i, (user_pk, _dept) in enumerate(ctx.users):
        profile = StaffProfile(user_id=user_pk)
        if i % 5 == 0:
            number, birth = id_number(i)
            profile.birth_date = birth
            profile.id_number_encrypted = encrypt_id_number(number)
            profile.id_number_hash = hash_id_number(number)
            profile.id_number_masked = mask_id_number(number)
        profiles.append(profile)
    StaffProfile.objects.bulk_create(profiles, batch_size=BATCH)
    ctx.count("staff_profiles", len(profiles))


def step_applications(ctx):
    Application = _model("applications.Application")
    if Application is None:
        return

    rng, now = ctx.rng, ctx.now
    rubric = Rubric.objects.create(name=f"规模测试评分标准{now:%H%M%S%f}")
    RubricCriterion.objects.bulk_create(
        RubricCriterion(rubric=rubric, code=c, label=c, weight=w, max_score=10, order=i)
        for i, (c, w) in enumerate([("master", 40), ("team", 30), ("plan", 30)])
    )
    years = list(range(now.year - 4, now.year + 1))
    calls = [
        Call.objects.create(
            year=y,
            title=f"{y}年技能大师工作室申报（规模测试）",
            policy_year=y,
            opens_at=now.replace(year=y, month=3, day=1),
            closes_at=now.replace(year=y, month=4, day=30),
            rubric=rubric,
            status="closed" if y < now.year else "open",
            created_by_id=ctx.teaching_affairs,
        )
        for y in years
    ]
    publicities = {
        c.pk: Publicity.objects.create(
            call=c,
            title=f"{c.year}年拟认定工作室公示",
            starts_at=c.closes_at + dt.timedelta(days=30),
            ends_at=c.closes_at + dt.timedelta(days=35),
            days=3,
            working_days=True,
            published_by_id=ctx.teaching_affairs,
        )
        for c in calls
    }
    meetings = {
        c.pk: CommitteeMeeting.objects.create(
            call=c,
            title=f"{c.year}年学术委员会审议",
            held_on=c.closes_at.date() + dt.timedelta(days=20),
            quorum=3,
            created_by_id=ctx.teaching_affairs,
            status="closed",
        )
        for c in calls
    }
    weights = [
        (S.DRAFT, 10),
        (S.SUBMITTED, 10),
        (S.RETURNED, 3),
        (S.RECOMMENDED, 10),
        (S.UNDER_REVIEW, 15),
        (S.REVIEWED, 10),
        (S.PROPOSED, 5),
        (S.IN_PUBLICITY, 5),
        (S.APPROVED, 25),
        (S.REJECTED, 7),
    ]
    statuses = [s for s, _ in weights]
    cum = [w for _, w in weights]
    reviewed_or_later = {S.REVIEWED, S.PROPOSED, S.IN_PUBLICITY, S.APPROVED, S.REJECTED}
    publicised = {S.IN_PUBLICITY, S.APPROVED}
    n_apps = _n(5000, ctx.scale, 10)
    applicants = rng.sample(ctx.applicants, min(n_apps, len(ctx.applicants)))
    rows = []
    for i, (user_pk, dept_pk) in enumerate(applicants):
        call = calls[i % len(calls)]
        status = rng.choices(statuses, cum)[0]
        rows.append(
            Application(
                call=call,
                applicant_id=user_pk,
                department_id=dept_pk,
                status=status,
                studio_name=f"规模测试{i:05d}技能大师工作室",
                occupation="数控车工",
                basic_conditions="设备齐全。" * 5,
                work_plan="三年建设计划。" * 5,
                attest_political=True,
                attest_truthful=True,
                submitted_at=None if status == S.DRAFT else call.closes_at - dt.timedelta(days=rng.randint(1, 30)),
                publicity=publicities[call.pk] if status in publicised else None,
            )
        )
    apps_ = Application.objects.bulk_create(rows, batch_size=BATCH)
    members, attachments, assignments, votes, objections = [], [], [], [], []
    user_pool = [u for u, _ in ctx.users]
    for app in apps_:
        for pk in rng.sample(user_pool, 3):
            if pk != app.applicant_id:
                members.append(ApplicationMember(application=app, user_id=pk, role="core"))
        for k, kind in enumerate(("form_scan", "certificate")):
            attachments.append(
                Attachment(
                    application=app,
                    kind=kind,
                    file=f"applications/{now:%Y}/scale-{app.pk}-{k}.pdf",
                    original_name=f"材料{k}.pdf",
                    uploaded_by_id=app.applicant_id,
                )
            )
        if app.status in reviewed_or_later or app.status == S.UNDER_REVIEW:
            for expert in rng.sample(ctx.experts, 2):
                done = app.status != S.UNDER_REVIEW
                scores = {"master": rng.randint(5, 10), "team": rng.randint(5, 10), "plan": rng.randint(5, 10)}
                total = Decimal(sum(scores.values()) * 10 / 3).quantize(Decimal("0.01"))
                assignments.append(
                    ReviewAssignment(
                        application=app,
                        expert_id=expert,
                        assigned_by_id=ctx.teaching_affairs,
                        status="submitted" if done else "declared",
                        scores=scores if done else {},
                        total=total if done else None,
                        comment="同意。" if done else "",
                        recommendation="recommend" if done else "",
                        submitted_at=now if done else None,
                    )
                )
        if app.status in reviewed_or_later - {S.REVIEWED}:
            for member in ctx.committee[:5]:
                votes.append(
                    Vote(
                        meeting=meetings[app.call_id],
                        application=app,
                        member_id=member,
                        choice="against" if app.status == S.REJECTED else "for",
                    )
                )
        if app.status in publicised and rng.random() < 0.05:
            objections.append(
                Objection(
                    publicity_id=app.publicity_id,
                    application=app,
                    raised_by_id=rng.choice(user_pool),
                    content="对申报材料真实性有疑问。",
                    status="dismissed" if app.status == S.APPROVED else "open",
                )
            )
    ApplicationMember.objects.bulk_create(members, batch_size=BATCH)
    Attachment.objects.bulk_create(attachments, batch_size=BATCH)
    ReviewAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    Objection.objects.bulk_create(objections, batch_size=BATCH)
    ctx.approved = [(a.pk, a.applicant_id, a.department_id, a.studio_name) for a in apps_ if a.status == S.APPROVED]
    ctx.applications = [a.pk for a in apps_]
    for name, rows_ in [
        ("applications", apps_),
        ("members", members),
        ("attachments", attachments),
        ("reviews", assignments),
        ("votes", votes),
        ("objections", objections),
    ]:
        ctx.count(name, len(rows_))


STUDIOS = 2000  # studios at scale 1.0: the approved applications' studios, topped up with 历史登记 studios


def step_studios(ctx):
    """≈ 2,000 studios at scale 1.0 (the approved applications', then registered ones), each with its master and
    three core teachers from the master's department."""
    Studio, Membership = _model("studios.Studio"), _model("studios.Membership")
    if Studio is None:
        return
    approved = getattr(ctx, "approved", [])
    rows = [
        Studio(
            source="application",
            application_id=app_pk,
            official_name=name,
            plaque_name=f"重庆市工业学校（教师{i:05d}）技能大师工作室",
            master_id=master,
            mode="school",
            department_id=dept,
            status="active",
            document_number=f"渝工校〔{ctx.now.year}〕{i + 1}号",
            approved_on=ctx.now.date(),
        )
        for i, (app_pk, master, dept, name) in enumerate(approved)
    ]
    taken = {master for _a, master, _d, _n in approved}
    spare = (pair for pair in ctx.applicants if pair[0] not in taken)
    for i, (master, dept) in zip(range(len(rows), _n(STUDIOS, ctx.scale, 3)), spare, strict=False):
        since = ctx.now.date() - dt.timedelta(days=365 * (5 + i % 6))
        rows.append(
            Studio(
                source="registered",
                official_name=f"规模测试历史工作室{i:05d}",
                plaque_name=f"重庆市工业学校（历史{i:05d}）技能大师工作室",
                master_id=master,
                mode="school",
                department_id=dept,
                status="active",
                document_number=f"渝工校〔{since.year}〕{i + 1}号",
                approved_on=since,
            )
        )
    studios = Studio.objects.bulk_create(rows, batch_size=BATCH)
    ctx.studios = [(s.pk, s.master_id, s.department_id) for s in studios]
    if Membership is not None:
        staff = {}
        for pk, dept in ctx.users:
            staff.setdefault(dept, []).append(pk)
        members = []
        for studio in studios:
            members.append(
                Membership(studio=studio, user_id=studio.master_id, role="master", joined_on=studio.approved_on)
            )
            pool = staff[studio.department_id]
            cores = [pk for pk in ctx.rng.sample(pool, min(4, len(pool))) if pk != studio.master_id][:3]
            members += [
                Membership(studio=studio, user_id=pk, role="core", joined_on=studio.approved_on) for pk in cores
            ]
        Membership.objects.bulk_create(members, batch_size=BATCH)
        ctx.count("memberships", len(members))
    ctx.count("studios", len(studios))


PLAN_YEARS = 5  # the seeded studios' approved 年度工作计划: this year and the four before (the ledger's five years)


def step_plans(ctx):
    """An approved annual plan per seeded studio and year, with a target for every indicator of the year's set
    (the dictionary's default, sometimes doubled): what the school-wide plan-vs-actual reads at scale."""
    Plan, PlanTarget = _model("plans.Plan"), _model("plans.PlanTarget")
    if Plan is None or not getattr(ctx, "studios", None):
        return
    studios = [(pk, master) for pk, master, _dept in ctx.studios]
    plans, targets = [], []
    for year in range(ctx.now.year - PLAN_YEARS + 1, ctx.now.year + 1):
        indicator_set = indicator_set_for(year) or ensure_indicator_set(year)
        indicators = list(indicator_set.indicators.values_list("pk", "default_target"))
        year_plans = Plan.objects.bulk_create(
            (
                Plan(
                    studio_id=studio_pk,
                    kind="annual",
                    year=year,
                    status="approved",
                    indicator_set=indicator_set,
                    goals=f"{year}年度建设目标（规模测试）",
                    created_by_id=master_pk,
                    approved_on=dt.date(year, 2, 28),
                )
                for studio_pk, master_pk in studios
            ),
            batch_size=BATCH,
        )
        plans += year_plans
        targets += [
            PlanTarget(plan=plan, indicator_id=pk, target=default * ctx.rng.choice((1, 1, 2)))
            for plan in year_plans
            for pk, default in indicators
        ]
        if len(targets) >= 10 * BATCH:
            PlanTarget.objects.bulk_create(targets, batch_size=BATCH)
            ctx.count("plan_targets", len(targets))
            targets = []
    PlanTarget.objects.bulk_create(targets, batch_size=BATCH)
    ctx.count("plan_targets", len(targets))
    ctx.count("plans", len(plans))


# The evidence ledger: per studio and year (factor 1.0) 50 activities, 12 meetings, 4 mentorships with 2 progress
# notes each, 3 projects with their stages so far, 14 achievements — 100 rows; 2,000 studios × 5 years ≈ 1,000,000.
LEDGER_PER_YEAR = {"activity": 50, "meeting": 12, "mentorship": 4, "project": 3, "achievement": 14}
# Studios differ: the volume factor of studio i is LEDGER_FACTORS[i % 10] (mean 1.0); the first studio is the
# flagship with 5× (≈ 2,000 records over five years) — the studio page the benchmark measures.
LEDGER_FACTORS = (0.2, 0.4, 0.6, 0.8, 1.0, 1.0, 1.2, 1.4, 1.6, 1.8)
FLAGSHIP_FACTOR = 5.0
LEDGER_CHUNK = 40  # studios per round of bulk inserts (≈ 20,000 rows): bounded memory
# (status, weight) in past years and in the current year (more still waiting for the department)
PAST_STATUSES = (("confirmed", 90), ("submitted", 3), ("returned", 2), ("draft", 5))
CURRENT_STATUSES = (("confirmed", 60), ("submitted", 20), ("returned", 8), ("draft", 12))
EVIDENCE_MISSING = 0.05  # confirmed or submitted records without their required attachment (not countable)


def _weighted(rng, table):
    statuses, weights = zip(*table, strict=True)
    cum = list(itertools.accumulate(weights))
    return lambda: statuses[bisect.bisect(cum, rng.random() * cum[-1])]


class _Inserter:
    """INSERT … VALUES with executemany for one model: a million ledger rows through Model() and bulk_create() cost
    ~0.5 ms each in the ORM's SQL compiler; plain tuples cost a few µs. Rows are dicts by attname; missing fields take
    the field default; dates, datetimes and decimals are adapted for the database as Django does. `ids=True`: the rows
    get explicit primary keys (next_id()), so children can point at them without reading them back; the sequences are
    reset at the end (reset_sequences)."""

    def __init__(self, model, *, ids=False):
        ops, qn = connection.ops, connection.ops.quote_name
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if ids or not f.primary_key]
        self.defaults = [None if f.primary_key else f.get_default() for f in self.fields]
        self.adapters = [self._adapter(f, ops) for f in self.fields]
        self.names = [f.attname for f in self.fields]
        columns = ", ".join(qn(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = qn(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted model identifiers
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() if ids else None
        self.last_id = last or 0

    @staticmethod
    def _adapter(field, ops):
        if isinstance(field, DateTimeField):
            return functools.lru_cache(maxsize=64)(ops.adapt_datetimefield_value)  # a handful of distinct values
        if isinstance(field, DateField):
            return ops.adapt_datefield_value
        if isinstance(field, DecimalField):
            return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        if isinstance(field, FileField):
            return str
        if isinstance(field, JSONField):
            return lambda v: field.get_db_prep_value(v, connection)
        return None

    def next_id(self):
        self.last_id += 1
        return self.last_id

    def insert(self, rows):
        spec = list(zip(self.names, self.defaults, self.adapters, strict=True))
        plain = [(name, default) for name, default, adapt in spec if adapt is None]
        if len(plain) == len(spec):
            params = [tuple([row.get(name, default) for name, default in plain]) for row in rows]
        else:
            params = [
                tuple(
                    [
                        value if adapt is None or value is None else adapt(value)
                        for value, adapt in ((row.get(name, default), adapt) for name, default, adapt in spec)
                    ]
                )
                for row in rows
            ]
        with connection.cursor() as cursor:
            for start in range(0, len(params), 5 * BATCH):
                cursor.executemany(self.sql, params[start : start + 5 * BATCH])
        return len(params)


def reset_sequences(models):
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def step_ledger(ctx):
    """Five years of evidence-ledger records for every seeded studio, with a realistic status mix, the required
    evidence attachment (metadata only) on most confirmed and submitted records, mentorship notes and project stages.
    Inserted per chunk of studios with executemany (≈ 1,000,000 rows at scale 1.0); deterministic for a seed."""
    names = ("Activity", "Meeting", "Mentorship", "Project", "Achievement")
    models = {name: _model(f"ledger.{name}") for name in (*names, "MentorshipNote", "ProjectStageRecord", "Attachment")}
    if models["Activity"] is None or not getattr(ctx, "studios", None):
        return
    inserters = {name: _Inserter(model, ids=name in names) for name, model in models.items()}
    rng, now = ctx.rng, ctx.now
    today = now.date()
    years = list(range(today.year - PLAN_YEARS + 1, today.year + 1))
    past, current = _weighted(rng, PAST_STATUSES), _weighted(rng, CURRENT_STATUSES)
    activity_kinds = [k.value for k in ActivityKind]
    achievement_kinds = [k.value for k in AchievementKind]
    project_kinds = [k.value for k in ProjectKind]
    stages = [s.value for s in ProjectStage]
    levels = [str(v) for v in (Level.SCHOOL,) * 3 + (Level.CITY,) * 2 + (Level.PROVINCIAL, Level.NATIONAL)]
    reviewed_at = now - dt.timedelta(days=1)
    evidence = {}
    for key, rule in REQUIRED.items():
        if isinstance(rule, dict):
            evidence[key] = {str(kind): sorted(map(str, kinds))[0] for kind, kinds in rule.items()}
        else:
            evidence[key] = sorted(map(str, rule))[0]

    def day_in(year):
        first = dt.date(year, 1, 1)
        last = today if year == today.year else dt.date(year, 12, 31)
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    def common(name, studio, year, title):
        pk, master, dept = studio
        status = (current if year == today.year else past)()
        reviewed = status in ("confirmed", "returned")
        return {
            "id": inserters[name].next_id(),
            "created_at": now,
            "updated_at": now,
            "studio_id": pk,
            "date": day_in(year),
            "title": title,
            "description": "工作室建设记录（规模测试）。",
            "status": status,
            "created_by_id": master,
            "submitted_at": None if status == "draft" else reviewed_at,
            "reviewed_by_id": ctx.heads.get(dept) if reviewed else None,
            "reviewed_at": reviewed_at if reviewed else None,
            "return_reason": "佐证材料不清晰，请补充。" if status == "returned" else "",
        }

    def per_year(name, factor):
        base = LEDGER_PER_YEAR[name] * factor
        return int(base) + (1 if rng.random() < base - int(base) else 0)

    def attach(key, row, attachments):
        if row["status"] in ("draft", "returned") or rng.random() < EVIDENCE_MISSING:
            return
        if key == "meeting" and row["minutes"]:
            return
        kind = evidence[key].get(row["kind"]) if isinstance(evidence[key], dict) else evidence[key]
        if kind is None:
            return
        ext = "jpg" if kind == "photo" else "pdf"
        path = f"ledger/{row['date']:%Y}/scale-{key}-{row['id']}"
        attachments.append(
            {
                f"{key}_id": row["id"],
                "kind": kind,
                "file": f"{path}.{ext}",
                "thumbnail": f"ledger/thumbs/{row['date']:%Y}/scale-{key}-{row['id']}.jpg" if ext == "jpg" else "",
                "original_name": f"佐证{row['id']}.{ext}",
                "size": rng.randint(50_000, 3_000_000),
                "uploaded_by_id": row["created_by_id"],
                "created_at": now,
            }
        )

    for start in range(0, len(ctx.studios), LEDGER_CHUNK):
        rows = {name: [] for name in models}
        for offset, studio in enumerate(ctx.studios[start : start + LEDGER_CHUNK]):
            i = start + offset
            factor = FLAGSHIP_FACTOR if i == 0 else LEDGER_FACTORS[i % len(LEDGER_FACTORS)]
            master = studio[1]
            for year in years:
                for n in range(per_year("activity", factor)):
                    row = common("Activity", studio, year, f"{year}年活动{n + 1}")
                    row["kind"] = activity_kinds[n % len(activity_kinds)]
                    row["hours"] = Decimal(rng.choice((2, 4, 8, 16)))
                    row["participants"] = (
                        rng.randint(20, 200) if row["kind"] == "social_training" else rng.randint(5, 60)
                    )
                    rows["Activity"].append(row)
                for n in range(per_year("meeting", factor)):
                    row = common("Meeting", studio, year, f"{year}年第{n + 1}次例会")
                    row["minutes"] = "" if rng.random() < 0.2 else "讨论本月工作安排与成果整理。"
                    rows["Meeting"].append(row)
                for n in range(per_year("mentorship", factor)):
                    row = common("Mentorship", studio, year, f"{year}年师徒结对{n + 1}")
                    ended, upgraded = year < today.year - 1, year < today.year - 1 and n % 2 == 0
                    row.update(
                        mentor_id=master,
                        apprentice_type="student",
                        apprentice_name=f"徒弟{i:04d}{year}{n}",
                        end_on=dt.date(year + 1, 6, 30) if ended else None,
                        outcome_level="senior" if upgraded else "",
                        outcome_on=dt.date(year + 1, 6, 30) if upgraded else None,
                    )
                    rows["Mentorship"].append(row)
                    rows["MentorshipNote"] += [
                        {
                            "mentorship_id": row["id"],
                            "date": min(row["date"] + dt.timedelta(days=60 * (k + 1)), today),
                            "note": f"第{k + 1}次带徒进展：已完成阶段训练。",
                            "by_id": master,
                            "created_at": now,
                        }
                        for k in range(2)
                    ]
                for n in range(per_year("project", factor)):
                    row = common("Project", studio, year, f"{year}年项目{n + 1}")
                    row["kind"] = project_kinds[n % len(project_kinds)]
                    row["amount"] = Decimal(rng.randrange(0, 500) * 1000 if row["kind"] != "internal" else 0)
                    rows["Project"].append(row)
                    reached = 1 if row["status"] == "draft" else min(len(stages), 1 + (today - row["date"]).days // 200)
                    rows["ProjectStageRecord"] += [
                        {
                            "project_id": row["id"],
                            "stage": stage,
                            "date": min(row["date"] + dt.timedelta(days=200 * k), today),
                            "note": "阶段完成（规模测试）。",
                            "by_id": master,
                        }
                        for k, stage in enumerate(stages[:reached])
                    ]
                for n in range(per_year("achievement", factor)):
                    row = common("Achievement", studio, year, f"{year}年成果{n + 1}")
                    row.update(
                        kind=achievement_kinds[n % len(achievement_kinds)],
                        level=rng.choice(levels),
                        landmark=rng.random() < 0.05,
                    )
                    rows["Achievement"].append(row)
        for name in names:
            for row in rows[name]:
                attach(name.lower(), row, rows["Attachment"])
        for name, inserter in inserters.items():
            inserted = inserter.insert(rows[name])
            ctx.count(f"ledger_{name.lower()}", inserted)
            if name != "Attachment":
                ctx.count("ledger_rows", inserted)
    reset_sequences([models[name] for name in names])


def step_audit(ctx):
    """One audit event per application and user row made here, chained and sealed exactly as core.audit does it."""

    last_id, last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first() or (0, GENESIS_HASH)
    targets = [
        ("applications.application", pk, "applications.application.created") for pk in getattr(ctx, "applications", [])
    ]
    targets += [("accounts.user", pk, "accounts.user.created") for pk, _ in ctx.users]
    targets += getattr(ctx, "audited", [])  # rows of later steps whose service leaves an audit event
    events = []
    at = ctx.now - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / max(len(targets), 1)
    for object_type, pk, action in targets:
        at += step
        last_id += 1
        event = seal(
            AuditEvent(
                id=last_id,
                at=at,
                actor=None,
                actor_name="",
                action=action,
                object_type=object_type,
                object_id=str(pk),
                object_repr="",
                before=None,
                after=None,
                note="seed_scale",
                ip=None,
                prev_hash=last,
            )
        )
        last = event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    if events:
        transaction.on_commit(lambda: write_anchor(last_id, last), robust=True)
    ctx.count("audit_events", len(events))


def step_news(ctx):
    """宣传报道 and 通知公告: 2–4 posts a year per studio over the plan years (most published by the department head,
    some waiting, a few drafts), one post in ten with a photo (metadata only); notices from 教学工作部, a third to all
    staff, the rest to one department, one in five public. Inserted with executemany; deterministic for a seed."""
    post_model, photo_model, notice_model = (_model(f"news.{n}") for n in ("Post", "PostPhoto", "Notice"))
    if post_model is None or not getattr(ctx, "studios", None):
        return
    rng, now = ctx.rng, ctx.now
    today = now.date()
    posts, photos, notices = _Inserter(post_model, ids=True), _Inserter(photo_model), _Inserter(notice_model)
    years = list(range(today.year - PLAN_YEARS + 1, today.year + 1))
    for start in range(0, len(ctx.studios), LEDGER_CHUNK):
        post_rows, photo_rows = [], []
        for pk, master, dept in ctx.studios[start : start + LEDGER_CHUNK]:
            for year in years:
                for n in range(rng.randint(2, 4)):
                    status = "draft" if rng.random() < 0.05 else "submitted" if rng.random() < 0.1 else "published"
                    at = dt.datetime(
                        year, rng.randint(1, today.month if year == today.year else 12), 1, 9, tzinfo=dt.UTC
                    )
                    post_rows.append(
                        {
                            "id": posts.next_id(), "created_at": at, "updated_at": at, "studio_id": pk,
                            "title": f"{year}年工作室报道{n + 1}", "body": "工作室开展技能培训与交流（规模测试）。",
                            "status": status, "created_by_id": master,
                            "submitted_at": None if status == "draft" else at,
                            "published_at": at if status == "published" else None,
                            "reviewed_by_id": ctx.heads.get(dept) if status == "published" else None,
                        }
                    )  # fmt: skip
                    if rng.random() < 0.1:
                        photo_rows.append(
                            {
                                "post_id": post_rows[-1]["id"], "image": f"news/posts/scale-{post_rows[-1]['id']}.jpg",
                                "thumbnail": f"news/posts/scale-{post_rows[-1]['id']}-t.jpg", "caption": "活动现场",
                                "size": rng.randint(50_000, 900_000), "uploaded_at": at,
                            }
                        )  # fmt: skip
        ctx.count("news_posts", posts.insert(post_rows))
        ctx.count("news_photos", photos.insert(photo_rows))
    reset_sequences([post_model])
    publisher = next((pk for pk, _ in ctx.users), None)
    departments = list(ctx.heads)
    rows = []
    for n in range(max(1, int(200 * ctx.scale))):
        at = now - dt.timedelta(days=n)
        to_department = n % 3 != 0 and departments
        rows.append(
            {
                "created_at": at, "updated_at": at, "title": f"通知公告{n + 1}", "body": "请各部门按要求落实（规模测试）。",
                "audience": "department" if to_department else "all",
                "audience_department_id": rng.choice(departments) if to_department else None, "audience_role": "",
                "is_public": n % 5 == 0, "status": "published", "source": "", "created_by_id": publisher,
                "published_at": at, "withdraw_reason": "",
            }
        )  # fmt: skip
    ctx.count("news_notices", notices.insert(rows))


def step_oversight(ctx):
    """监督意见: one studio in twenty has a note of the inspector (half answered or closed with the office's answer),
    addressed to 教学工作部 or the studio's department head. Inserted with executemany; deterministic for a seed."""
    note_model, entry_model = _model("oversight.SupervisionNote"), _model("oversight.NoteEntry")
    if note_model is None or not getattr(ctx, "studios", None):
        return
    inspector = RoleAssignment.objects.filter(role=Role.INSPECTOR).values_list("user_id", flat=True).first()
    if inspector is None:
        return
    content_type = ContentType.objects.get_by_natural_key("studios", "studio").pk
    rng, now = ctx.rng, ctx.now
    notes, entries = _Inserter(note_model, ids=True), _Inserter(entry_model)
    note_rows, entry_rows = [], []
    for pk, _master, dept in ctx.studios[::20]:
        status = rng.choice(("open", "answered", "closed"))
        to_department = rng.random() < 0.5 and dept in ctx.heads
        at = now - dt.timedelta(days=rng.randint(1, 300))
        note_rows.append(
            {
                "id": notes.next_id(), "content_type_id": content_type, "object_id": pk,
                "object_repr": f"工作室：规模测试 {pk}", "stage": "operation",
                "office": "department" if to_department else "teaching_affairs",
                "department_id": dept if to_department else None, "subject": f"例会记录核查（规模测试 {pk}）",
                "status": status, "created_by_id": inspector, "created_at": at,
            }
        )  # fmt: skip
        entry_rows.append({"note_id": note_rows[-1]["id"], "kind": "note", "text": "请核实例会制度执行情况。",
                           "by_id": inspector, "at": at})  # fmt: skip
        if status != "open":
            answerer = ctx.heads[dept] if to_department else ctx.teaching_affairs
            entry_rows.append({"note_id": note_rows[-1]["id"], "kind": "answer", "text": "已核实并整改。",
                               "by_id": answerer, "at": at + dt.timedelta(days=3)})  # fmt: skip
    ctx.count("oversight_notes", notes.insert(note_rows))
    ctx.count("oversight_entries", entries.insert(entry_rows))
    reset_sequences([note_model])


def step_annual(ctx):
    """年度工作报告 on last year: nine studios in ten have one — most received (a few late), some waiting for the
    department or 教学工作部, a few returned or drafts. Inserted with executemany; deterministic for a seed."""
    model = _model("annual.AnnualReport")
    if model is None or not getattr(ctx, "studios", None):
        return
    rng, now = ctx.rng, ctx.now
    year = now.date().year - 1
    due = dt.datetime(year + 1, 1, 31, 17, tzinfo=dt.UTC)
    reports = _Inserter(model)
    pick = _weighted(rng, (("received", 70), ("checked", 8), ("submitted", 8), ("returned", 4), ("draft", 10)))
    rows = []
    for pk, master, dept in ctx.studios:
        if rng.random() < 0.1:
            continue
        status = pick()
        late = status != "draft" and rng.random() < 0.08
        at = due + dt.timedelta(days=rng.randint(1, 20)) if late else due - dt.timedelta(days=rng.randint(1, 25))
        sent = None if status == "draft" else at
        rows.append(
            {
                "studio_id": pk, "year": year, "status": status, "submitted_at": sent, "late": late,
                "last_submitted_at": sent, "achievements_summary": "完成年度建设任务（规模测试）。",
                "highlights": "校企合作（规模测试）。", "problems": "无（规模测试）。", "next_year_plan": "继续建设（规模测试）。",
                "created_by_id": master, "created_at": at - dt.timedelta(days=5), "updated_at": at,
                "checked_by_id": ctx.heads.get(dept) if status in ("checked", "received") else None,
                "checked_at": at + dt.timedelta(days=3) if status in ("checked", "received") else None,
                "received_by_id": ctx.teaching_affairs if status == "received" else None,
                "received_at": at + dt.timedelta(days=6) if status == "received" else None,
                "return_reason": "请补充标志性成果（规模测试）。" if status == "returned" else "",
            }
        )  # fmt: skip
    ctx.count("annual_reports", reports.insert(rows))


# 经费: per studio and year (factor 1.0) about 6 budget lines (source × category) and 20 expenditures against them.
FUNDS_LINES = 6
FUNDS_EXPENDITURES = 20
# (status, weight) of expenditures in past years and in the current year (more still 待财务确认)
FUNDS_PAST = (("confirmed", 90), ("submitted", 3), ("returned", 2), ("draft", 5))
FUNDS_CURRENT = (("confirmed", 55), ("submitted", 25), ("returned", 8), ("draft", 12))
FUNDS_OVERRUN = 0.03  # lines whose last expenditure overran the budget with 财务部's approval (OverrunApproval)
FUNDS_SPLIT = 0.04  # studio-years with three expenditures just under the approval threshold (纪检 flag split_spending)
PAYEES = (
    "重庆机电设备有限公司",
    "西南实训耗材经营部",
    "重庆职教培训中心",
    "山城差旅服务公司",
    "校外兼职教师",
    "重庆数控技术有限公司",
)
CENT = Decimal("0.01")


def step_funds(ctx):
    """经费 over the plan years: budget lines by 财务部 (source × category of the dictionary), expenditures by the
    master against them — Decimal to the fen, a realistic status mix (待财务确认 mostly this year), vouchers (metadata
    only), a few lines overrun with 财务部's approval and a few studio-years split just under the approval threshold
    (what 纪检's split_spending flags). Every line's confirmed + submitted stays within its budget except where an
    OverrunApproval covers it, as funds.services keeps it. Inserted with executemany; deterministic for a seed."""
    line_model, exp_model, overrun_model, category_model = (
        _model(f"funds.{n}") for n in ("BudgetLine", "Expenditure", "OverrunApproval", "SpendingCategory")
    )
    if line_model is None or not getattr(ctx, "studios", None):
        return
    finance = RoleAssignment.objects.filter(role=Role.FINANCE).order_by("pk").values_list("user_id", flat=True).first()
    ensure_default_categories()  # the dictionary the migration seeds (again after a test's flush); rows kept as they are
    categories = list(category_model.objects.filter(active=True).order_by("order", "pk").values_list("pk", flat=True))
    if finance is None or not categories:
        return
    rng, now = ctx.rng, ctx.now
    today = now.date()
    years = list(range(today.year - PLAN_YEARS + 1, today.year + 1))
    past, current = _weighted(rng, FUNDS_PAST), _weighted(rng, FUNDS_CURRENT)
    pairs = [
        (source, category) for source in ("school", "department", "government", "enterprise") for category in categories
    ]
    threshold = approval_threshold()
    lines, expenditures, overruns = (
        _Inserter(line_model, ids=True),
        _Inserter(exp_model, ids=True),
        _Inserter(overrun_model),
    )
    reviewed_at = now - dt.timedelta(days=1)

    def day_in(year):
        first = dt.date(year, 1, 1)
        last = today if year == today.year else dt.date(year, 12, 31)
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    def expenditure(line, master, amount, status, date=None):
        pk = expenditures.next_id()
        reviewed = status in ("confirmed", "returned")
        date = date or day_in(line["year"])
        return {
            "id": pk, "created_at": now, "updated_at": now, "studio_id": line["studio_id"], "budget_line_id": line["id"],
            "date": date, "amount": amount, "payee": rng.choice(PAYEES),
            "description": f"{date:%Y年%m月}工作室建设支出（规模测试）",
            "voucher": "" if status == "draft" else f"funds/{date:%Y}/scale-voucher-{pk}.pdf",
            "voucher_name": "" if status == "draft" else f"凭证{pk}.pdf", "status": status, "created_by_id": master,
            "submitted_at": None if status == "draft" else reviewed_at,
            "reviewed_by_id": finance if reviewed else None, "reviewed_at": reviewed_at if reviewed else None,
            "return_reason": "凭证不清晰，请重新上传。" if status == "returned" else "",
        }  # fmt: skip

    for start in range(0, len(ctx.studios), LEDGER_CHUNK):
        line_rows, exp_rows, overrun_rows = [], [], []
        for offset, (studio_pk, master, _dept) in enumerate(ctx.studios[start : start + LEDGER_CHUNK]):
            i = start + offset
            factor = FLAGSHIP_FACTOR if i == 0 else LEDGER_FACTORS[i % len(LEDGER_FACTORS)]
            for year in years:
                pick = current if year == today.year else past
                year_lines = []
                for source, category in rng.sample(pairs, min(FUNDS_LINES, len(pairs))):
                    budget = Decimal(rng.randrange(50, 400) * 1000 + rng.choice((0, 500)))
                    line = {
                        "id": lines.next_id(), "created_at": now, "updated_at": now, "studio_id": studio_pk,
                        "year": year, "source": source, "category_id": category, "amount": budget,
                        "note": "年度预算（规模测试）", "created_by_id": finance,
                    }  # fmt: skip
                    line_rows.append(line)
                    year_lines.append([line, Decimal(0)])  # [line, committed: confirmed + submitted]
                # three just under the approval threshold within a fortnight (a split_spending flag); the flagship's last year
                # always has them, so the flag list has rows at every scale
                if rng.random() < FUNDS_SPLIT or (i == 0 and year == today.year - 1):
                    slot = year_lines[0]
                    first = day_in(year) - dt.timedelta(days=20)
                    first = max(first, dt.date(year, 1, 1))
                    for k in range(3):
                        amount = (threshold * Decimal(rng.randrange(91, 100)) / 100).quantize(CENT)
                        exp_rows.append(
                            expenditure(slot[0], master, amount, "confirmed", first + dt.timedelta(days=5 * k))
                        )
                        slot[1] += amount
                n_exp = int(FUNDS_EXPENDITURES * factor) + (1 if rng.random() < FUNDS_EXPENDITURES * factor % 1 else 0)
                for _ in range(n_exp):
                    slot = rng.choice(year_lines)
                    line, committed = slot
                    status = pick()
                    amount = (Decimal(rng.randrange(5_000, 1_200_000)) / 100).quantize(CENT)  # 50.00 … 11,999.99
                    if status in ("confirmed", "submitted"):
                        if committed + amount > line["amount"]:
                            continue  # the line has no room: the service would have refused it
                        slot[1] = committed + amount
                    exp_rows.append(expenditure(line, master, amount, status))
                for n, (line, committed) in enumerate(year_lines):
                    if rng.random() >= FUNDS_OVERRUN and not (i == 0 and n == 0):  # the flagship: one a year
                        continue
                    over = (line["amount"] - committed + Decimal(rng.randrange(100, 500_000)) / 100).quantize(CENT)
                    row = expenditure(line, master, over, "confirmed" if year < today.year else "submitted")
                    exp_rows.append(row)
                    overrun_rows.append(
                        {
                            "expenditure_id": row["id"], "budget_line_id": line["id"], "amount": over,
                            "reason": "设备涨价，经财务部核准超支（规模测试）。", "approved_by_id": finance,
                            "approved_at": reviewed_at,
                        }
                    )  # fmt: skip
        ctx.count("funds_budget_lines", lines.insert(line_rows))
        ctx.count("funds_expenditures", expenditures.insert(exp_rows))
        ctx.count("funds_overruns", overruns.insert(overrun_rows))
    reset_sequences([line_model, exp_model])


# 档案: per studio and year, documents uploaded into the archive (the rest of a studio-year's archive is computed from
# the ledger, plans and vouchers above): the annual summary, rules, video metadata and scans of other categories.
ARCHIVE_EXTRA = ("meeting", "activity", "award", "research", "patent", "other")
ARCHIVE_FROZEN_OLD = 0.85  # studio-years two or more years back that are archived (归档)
ARCHIVE_FROZEN_LAST = 0.4  # last year's
ARCHIVE_PACKAGED = 0.6  # archived studio-years with a package built (a few failed)
ARCHIVE_MISSING = (
    ("unconfirmed", "活动记录有 3 条尚未经系部确认。"),
    ("no_evidence", "例会记录有 2 条缺少佐证材料。"),
    ("empty_category", "类别「专利」没有任何档案。"),
    ("letter", "没有覆盖该年度的已签订责任书。"),
)


def step_archive(ctx):
    """档案 over the plan years: documents uploaded into each studio-year's archive (files as metadata with a
    SHA-256, videos as their storage place), past years archived (归档 — the YearArchive row that studios.freeze reads,
    with the checklist's missing items and 教学工作部's override reason when something was missing, and its audit
    event, chained by step_audit), and archive packages of most archived years. Executemany; deterministic."""
    doc_model, year_model, package_model = (
        _model(f"archive.{n}") for n in ("ArchiveDocument", "YearArchive", "ArchivePackage")
    )
    if doc_model is None or not getattr(ctx, "studios", None):
        return
    rng, now = ctx.rng, ctx.now
    today = now.date()
    years = list(range(today.year - PLAN_YEARS + 1, today.year + 1))
    archivist = ctx.teaching_affairs
    docs, frozen, packages = _Inserter(doc_model), _Inserter(year_model, ids=True), _Inserter(package_model)
    audited = ctx.__dict__.setdefault("audited", [])

    def doc(studio_pk, master, year, category, title, *, media=False):
        date = dt.date(year, rng.randint(1, today.month if year == today.year else 12), rng.randint(1, 28))
        date = min(date, today)
        n = len(doc_rows)
        return {
            "created_at": now, "updated_at": now, "studio_id": studio_pk, "year": year, "category": category,
            "title": title, "description": f"{title}（规模测试）", "date": date,
            "file": "" if media else f"archive/{year}/scale-{studio_pk}-{n}.pdf",
            "original_name": "" if media else f"{title}.pdf", "size": 0 if media else rng.randint(40_000, 4_000_000),
            "sha256": "" if media else f"{rng.getrandbits(256):064x}",
            "media_location": "工作室资料柜（移动硬盘）" if media else "", "media_duration": "00:12:30" if media else "",
            "uploaded_by_id": master,
        }  # fmt: skip

    for start in range(0, len(ctx.studios), LEDGER_CHUNK):
        doc_rows, year_rows, package_rows = [], [], []
        for studio_pk, master, _dept in ctx.studios[start : start + LEDGER_CHUNK]:
            for year in years:
                doc_rows.append(doc(studio_pk, master, year, "rules", f"{year}年工作室管理制度"))
                if year < today.year or rng.random() < 0.3:
                    doc_rows.append(doc(studio_pk, master, year, "annual", f"{year}年度工作总结"))
                if rng.random() < 0.5:
                    doc_rows.append(doc(studio_pk, master, year, "media", f"{year}年技能展示视频", media=True))
                for k in range(rng.randint(0, 3)):
                    category = rng.choice(ARCHIVE_EXTRA)
                    doc_rows.append(doc(studio_pk, master, year, category, f"{year}年扫描件{k + 1}"))
                share = ARCHIVE_FROZEN_OLD if year < today.year - 1 else ARCHIVE_FROZEN_LAST if year < today.year else 0
                if rng.random() >= share:
                    continue
                missing = [{"code": c, "text": t} for c, t in ARCHIVE_MISSING if rng.random() < 0.15]
                at = dt.datetime(year + 1, 1, rng.randint(5, 25), 10, tzinfo=dt.UTC)
                pk = frozen.next_id()
                year_rows.append(
                    {
                        "id": pk, "studio_id": studio_pk, "year": year, "archived_at": at, "archived_by_id": archivist,
                        "missing": missing, "override_reason": "缺项已说明，同意归档（规模测试）。" if missing else "",
                    }
                )  # fmt: skip
                audited.append(
                    ("archive.yeararchive", pk, "archive.year.overridden" if missing else "archive.year.archived")
                )
                if rng.random() < ARCHIVE_PACKAGED:
                    failed = rng.random() < 0.05
                    total = rng.randint(40, 400)
                    package_rows.append(
                        {
                            "studio_id": studio_pk, "year": year, "status": "failed" if failed else "done",
                            "done": total // 3 if failed else total, "total": total,
                            "path": "" if failed else f"{studio_pk}/{year}/scale-{pk}.zip",
                            "size": 0 if failed else rng.randint(10_000_000, 600_000_000),
                            "sha256": "" if failed else f"{rng.getrandbits(256):064x}",
                            "error": "文件读取失败（规模测试）" if failed else "", "requested_by_id": archivist,
                            "created_at": at + dt.timedelta(hours=1), "finished_at": at + dt.timedelta(hours=1, minutes=2),
                        }
                    )  # fmt: skip
        ctx.count("archive_documents", docs.insert(doc_rows))
        ctx.count("archive_years", frozen.insert(year_rows))
        ctx.count("archive_packages", packages.insert(package_rows))
    reset_sequences([year_model])


def step_analyze(ctx):
    """PostgreSQL: statistics of the tables loaded so far, before the steps that read them with aggregates (the
    年度考核 round computes every indicator over every studio in one statement). Tables bulk-loaded inside this
    transaction have none yet. At scale 1.0 (with the funds and archive rows) the round's indicator statement ran past
    the 30 s statement timeout on a busy 2-core machine (2026-11-29); with statistics, and the timeout lifted for the
    seed's transaction (seed_scale), step_evaluation took 31 s there and step_analyze 2 s."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def step_evaluation(ctx):
    """年度考核 of last year over every scale studio (after the annual reports): created, started and so computed by
    evaluation.services — one indicator statement for the whole round — by the scale 发改室, with a timing in the
    counts ("evaluation_round_ms", what bench/evaluation_round.py reports)."""
    if _model("evaluation.EvaluationRound") is None or not getattr(ctx, "studios", None):
        return
    dev = User.objects.filter(username__startswith=PREFIX, role_assignments__role=Role.DEV_OFFICE).first()
    if dev is None:
        return
    year = ctx.now.date().year - 1
    _evaluation_vote(ctx, dev, year - 1)
    ensure_indicator_set(year)
    round_ = evaluation_services.create_round(by=dev, year=year, due_on=dt.date(year + 1, 3, 15))
    started = time.perf_counter()
    evaluation_services.start_round(round_, by=dev)
    ctx.count("evaluation_round_ms", round((time.perf_counter() - started) * 1000))
    ctx.count("evaluation_scorecards", round_.scorecards.count())


def step_recommendations(ctx):
    """推荐申报 for one studio in twenty (≈ 100 at scale 1.0), through recommendations.services by the scale 发改室: a
    市级 draft each; every second one submitted (its 需人工核实 lines confirmed, its 未满足 lines explained, the check
    frozen); every fourth then approved, which raises the studio's level to 市级 (studios.services.set_level)."""
    if _model("recommendations.Recommendation") is None or not getattr(ctx, "studios", None):
        return
    dev = User.objects.filter(username__startswith=PREFIX, role_assignments__role=Role.DEV_OFFICE).first()
    if dev is None:
        return
    ensure_default_requirements()
    year = ctx.now.date().year
    chosen = ctx.studios[::20][: _n(100, ctx.scale)]
    for i, (studio_pk, _master, _dept) in enumerate(chosen):
        rec = rec_services.create_recommendation(
            by=dev, studio=studio_pk, level="city", year=year, reason="工作室运行成效显著，推荐申报市级技能大师工作室。"
        )
        if i % 2:
            continue
        confirmations = {line["requirement_id"]: "已核实" for line in check_studio(studio_pk, "city")}
        rec = rec_services.submit(rec, by=dev, confirmations=confirmations, explanation="未满足条件的情况说明。")
        if i % 4 == 0:
            rec_services.record_outcome(rec, by=dev, approved=True, year=year, document=f"渝人社发〔{year}〕{i + 1}号",
                                        on=ctx.now.date())  # fmt: skip
            ctx.count("recommendations_approved", 1)
        ctx.count("recommendations_submitted", 1)
    ctx.count("recommendations", len(chosen))


def _evaluation_vote(ctx, dev, year):
    """The year before's round taken to the committee: submitted, a meeting with every scale committee member
    present, each voting through evaluation.services.cast_vote (one in ten 不同意 with a reason), so the round page
    shows a full tally at scale. Older than the round bench/evaluation_round.py recomputes (the latest)."""
    committee = list(User.objects.filter(username__startswith=PREFIX, role_assignments__role=Role.COMMITTEE))
    if not committee:
        return
    ensure_indicator_set(year)
    round_ = evaluation_services.create_round(by=dev, year=year, due_on=dt.date(year + 1, 3, 15))
    round_ = evaluation_services.submit_round(evaluation_services.start_round(round_, by=dev), by=dev)
    evaluation_services.record_meeting(round_, by=committee[0], held_on=dt.date(year + 1, 3, 20), members=committee)
    for i, member in enumerate(committee):
        disagree = i % 10 == 9
        evaluation_services.cast_vote(
            round_,
            by=member,
            decision="disagree" if disagree else "agree",
            reason="规模测试：等级偏高" if disagree else "",
        )
    ctx.count("evaluation_votes", len(committee))


# Order matters (later steps read what earlier ones made). A new app adds its step here.
STEPS = [
    step_org,
    step_people,
    step_applications,
    step_studios,
    step_plans,
    step_ledger,
    step_news,
    step_oversight,
    step_annual,
    step_funds,
    step_archive,
    step_analyze,
    step_evaluation,
    step_recommendations,
    step_audit,
]


def seed_scale(*, scale=1.0, seed=2026):
    ctx = Ctx(scale, seed)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # one long bulk-load transaction: the web requests' statement timeout (DB_STATEMENT_TIMEOUT_MS) is not for it
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        for step in STEPS:
            step(ctx)
    return ctx.counts
