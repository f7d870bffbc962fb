"""Objects the permission matrix requests by id, one builder per target name (TARGETS in matrix.py).

Each builder returns URL kwargs for "own" (persona staff's object, department A) or "other" (department B), making
the rows on first use and caching them on the world. Adding a model: one builder here and one TARGETS entry.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _cached(world, key, make):
    if key not in world.objects:
        world.objects[key] = make()
    return world.objects[key]


def _owner(world, which):
    return world.users["staff"] if which == "own" else world.owner_other


def _department(world, which):
    return world.departments["A" if which == "own" else "B"]


def call(world, past=False):
    """The open call; past=True: last year's closed call (studios come from it)."""
    from applications.models import Call, Rubric, RubricCriterion

    def make():
        rubric = Rubric.objects.get_or_create(name="矩阵评分标准")[0]
        RubricCriterion.objects.get_or_create(
            rubric=rubric, code="master", defaults={"label": "技能大师水平", "weight": 1, "max_score": 10}
        )
        now = timezone.now() - dt.timedelta(days=365 if past else 0)
        return Call.objects.create(
            year=now.year,
            title="矩阵往年批次" if past else "矩阵申报批次",
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=30),
            policy_year=now.year,
            rubric=rubric,
            status="closed" if past else "open",
            created_by=world.users["teaching_affairs"],
        )

    return _cached(world, "past_call" if past else "call", make)


def application(world, which):
    from applications.models import Application

    def make():
        return Application.objects.create(
            call=call(world),
            applicant=_owner(world, which),
            department=_department(world, which),
            status="submitted",
            submitted_at=timezone.now(),
            studio_name=f"矩阵{which}技能大师工作室",
        )

    return _cached(world, f"application_{which}", make)


def attachment(world, which):
    from applications.models import Attachment

    def make():
        row = Attachment(
            application=application(world, which),
            kind="form_scan",
            original_name="申报表.pdf",
            uploaded_by=_owner(world, which),
        )
        row.file.save("x.pdf", ContentFile(PDF), save=False)
        row.save()
        return row

    return _cached(world, f"attachment_{which}", make)


def review(world, which):
    """own: the expert persona's assignment on the own application; other: someone else's, on the other one."""
    from accounts.enums import Role
    from applications.models import ReviewAssignment
    from tests.factories import UserFactory

    def make():
        expert = world.users["expert"] if which == "own" else UserFactory(roles=[Role.EXPERT], department=None)
        return ReviewAssignment.objects.create(
            application=application(world, which), expert=expert, assigned_by=world.users["teaching_affairs"]
        )

    return _cached(world, f"review_{which}", make)


def meeting(world, which):
    """own: a meeting the committee persona attends, own application on the agenda; other: one it does not."""
    from applications.models import CommitteeMeeting

    def make():
        row = CommitteeMeeting.objects.create(
            call=call(world),
            title=f"矩阵审议{which}",
            held_on=timezone.localdate(),
            quorum=1,
            created_by=world.users["teaching_affairs"],
        )
        if which == "own":
            # inspector_staff is present too: his vote must be refused by the read-only rule, not by his absence
            row.members_present.add(world.users["committee"], world.users["inspector_staff"])
        row.agenda.add(application(world, which))
        return row

    return _cached(world, f"meeting_{which}", make)


def publicity(world):
    from applications.models import Publicity

    def make():
        now = timezone.now()
        return Publicity.objects.create(
            call=call(world),
            title="矩阵公示",
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(days=3),
            days=3,
            working_days=True,
            published_by=world.users["teaching_affairs"],
        )

    return _cached(world, "publicity", make)


def objection(world, which):
    """own: raised by persona staff (against the other department's application); other: raised by owner_other."""
    from applications.models import Objection

    def make():
        against = application(world, "other" if which == "own" else "own")
        return Objection.objects.create(
            publicity=publicity(world), application=against, raised_by=_owner(world, which), content="矩阵异议"
        )

    return _cached(world, f"objection_{which}", make)


def work_period(world, which):
    from people.models import WorkPeriod

    def make():
        row = WorkPeriod(
            user=_owner(world, which),
            kind="work",
            enterprise_name="矩阵企业",
            start=dt.date(2010, 1, 1),
            end=dt.date(2014, 1, 1),
        )
        row.proof.save("p.pdf", ContentFile(PDF), save=False)
        row.save()
        return row

    return _cached(world, f"work_{which}", make)


def honor(world, which):
    from people.models import Honor, HonorKind

    def make():
        row = Honor(
            user=_owner(world, which),
            kind=HonorKind.objects.order_by("id").first(),
            title="矩阵荣誉",
            level="city",
            date=dt.date(2020, 1, 1),
            issuer="矩阵颁发单位",
        )
        row.certificate.save("c.pdf", ContentFile(PDF), save=False)
        row.save()
        return row

    return _cached(world, f"honor_{which}", make)


def enterprise(world):
    from people.models import Enterprise

    def make():
        row = Enterprise(name="矩阵合作企业", is_partner=True)
        row.agreement_file.save("a.pdf", ContentFile(PDF), save=False)
        row.save()
        return row

    return _cached(world, "enterprise", make)


def studio(world, which):
    from applications.models import Application
    from studios.models import Studio

    def make():
        approved = Application.objects.create(
            call=call(world, past=True),
            applicant=_owner(world, which),
            department=_department(world, which),
            status="approved",
            studio_name=f"矩阵{which}认定工作室",
        )
        return Studio.objects.create(
            application=approved,
            official_name=approved.studio_name,
            plaque_name="重庆市工业学校（矩阵）技能大师工作室",
            master=_owner(world, which),
            mode="school",
            department=_department(world, which),
            status="active",
            document_number="矩阵〔2026〕1号",
            approved_on=timezone.localdate(),
        )

    return _cached(world, f"studio_{which}", make)


def affiliation(world, which):
    """An external person registered at the partner enterprise (R2); school-wide, like the enterprise."""
    from people.models import ExternalAffiliation
    from tests.factories import UserFactory

    def make():
        outsider = UserFactory(display_name="企业技师（矩阵）", department=None, is_external=True)
        return ExternalAffiliation.objects.create(user=outsider, enterprise=enterprise(world), position="高级技师")

    return _cached(world, "affiliation", make)


def studio_member(world, which):
    """A core teacher of the studio (issue 10: members over time)."""
    from studios.models import Membership
    from tests.factories import UserFactory

    def make():
        s = studio(world, which)
        return Membership.objects.create(
            studio=s, user=UserFactory(display_name=f"矩阵{which}骨干"), role="core", joined_on=s.approved_on
        )

    return _cached(world, f"studio_member_{which}", make)


def studio_exception(world, which):
    from studios.models import StudioException

    def make():
        return StudioException.objects.create(
            studio=studio(world, which),
            reason="矩阵临时例外",
            deadline=timezone.localdate() + timezone.timedelta(days=30),
            created_by=world.users["teaching_affairs"],
        )

    return _cached(world, f"studio_exception_{which}", make)


def studio_letter(world, which):
    """An unsigned 责任书 of the studio (its template made here: transactional tests flush the migration's row)."""
    from studios.models import ResponsibilityLetter, ResponsibilityLetterTemplate

    def make():
        template = ResponsibilityLetterTemplate.objects.order_by("-id").first() or (
            ResponsibilityLetterTemplate.objects.create(school_duties="学校职责", studio_duties="工作室职责")
        )
        today = timezone.localdate()
        return ResponsibilityLetter.objects.create(
            studio=studio(world, which),
            template=template,
            term_start=today,
            term_end=today + timezone.timedelta(days=1000),
            generated_by=world.users["teaching_affairs"],
        )

    return _cached(world, f"studio_letter_{which}", make)


def plan(world, which):
    """A draft 年度工作计划 of the studio (its master is persona staff for "own"), targets from the dictionary."""
    from plans.models import Plan, PlanTarget
    from plans.services import ensure_indicator_set

    def make():
        indicator_set = ensure_indicator_set(timezone.localdate().year)
        row = Plan.objects.create(
            studio=studio(world, which),
            kind="annual",
            year=indicator_set.year,
            indicator_set=indicator_set,
            created_by=_owner(world, which),
        )
        PlanTarget.objects.bulk_create(
            PlanTarget(plan=row, indicator=i, target=i.default_target) for i in indicator_set.indicators.all()
        )
        return row

    return _cached(world, f"plan_{which}", make)


def indicator_set(world):
    from plans.services import ensure_indicator_set

    return _cached(world, "indicator_set", lambda: ensure_indicator_set(timezone.localdate().year))


# --- ledger (issue 10: 建设记录) ---------------------------------------------------------------------------------


def ledger_studio(world, which):
    """The studio of studio(); its master also holds the master membership row, as approval or 历史登记 leave it."""
    from studios.enums import MembershipRole
    from studios.models import Membership

    def make():
        s = studio(world, which)
        Membership.objects.get_or_create(
            studio=s, user=s.master, role=MembershipRole.MASTER, defaults={"joined_on": s.approved_on}
        )
        return s

    return _cached(world, f"ledger_studio_{which}", make)


def _ledger_record(world, which, model, status, **fields):
    return model.objects.create(
        studio=ledger_studio(world, which),
        date=timezone.localdate() - dt.timedelta(days=2),
        status=status,
        created_by=_owner(world, which),
        **fields,
    )


def ledger_activity(world, which, status="submitted"):
    """An activity of the studio of persona staff (own, department A) or of department B (other), in `status`."""
    from ledger.models import Activity

    return _cached(
        world,
        f"ledger_activity_{status}_{which}",
        lambda: _ledger_record(world, which, Activity, status, title=f"矩阵活动{status}{which}", kind="exchange"),
    )


def ledger_mentorship(world, which):
    from ledger.models import Mentorship

    return _cached(
        world,
        f"ledger_mentorship_{which}",
        lambda: _ledger_record(
            world,
            which,
            Mentorship,
            "submitted",
            title=f"矩阵带徒{which}",
            mentor=_owner(world, which),
            apprentice_type="student",
            apprentice_name="矩阵徒弟",
        ),
    )


def ledger_project(world, which):
    from ledger.models import Project

    return _cached(
        world,
        f"ledger_project_{which}",
        lambda: _ledger_record(world, which, Project, "submitted", title=f"矩阵项目{which}", kind="internal"),
    )


def ledger_attachment(world, which):
    """A photo (with its thumbnail) on the submitted activity."""
    from ledger.models import Attachment

    def make():
        row = Attachment(
            activity=ledger_activity(world, which),
            kind="photo",
            original_name="现场.jpg",
            uploaded_by=_owner(world, which),
        )
        row.file.save("x.pdf", ContentFile(PDF), save=False)
        row.thumbnail.save("x.jpg", ContentFile(b"\xff\xd8\xff\xe0thumb"), save=False)
        row.save()
        return row

    return _cached(world, f"ledger_attachment_{which}", make)


# --- funds (issue 11: 经费) ---------------------------------------------------------------------------------------


def funds_category(world, code="equipment"):
    from funds.services import ensure_default_categories

    def make():
        from funds.models import SpendingCategory

        ensure_default_categories()
        return SpendingCategory.objects.get(code=code)

    return _cached(world, f"funds_category_{code}", make)


def funds_budget(world, which):
    """A 学校运行经费 · 设备 line of 1000.00 for this year on the studio of persona staff (own) or department B."""
    from funds.models import BudgetLine

    def make():
        return BudgetLine.objects.create(
            studio=ledger_studio(world, which),
            year=timezone.localdate().year,
            source="school",
            category=funds_category(world),
            amount="1000.00",
            created_by=world.users["finance"],
        )

    return _cached(world, f"funds_budget_{which}", make)


def funds_expenditure(world, which, status="submitted"):
    """An expenditure of 10.00 on that line, in `status`; the submitted one carries a voucher scan."""
    from funds.models import Expenditure

    def make():
        line = funds_budget(world, which)
        row = Expenditure(
            studio_id=line.studio_id,
            budget_line=line,
            date=timezone.localdate() - dt.timedelta(days=1) if timezone.localdate().day > 1 else timezone.localdate(),
            amount="10.00",
            payee=f"矩阵供应商{which}",
            description="矩阵支出",
            status=status,
            created_by=_owner(world, which),
        )
        if status == "submitted":
            row.voucher.save("voucher.pdf", ContentFile(PDF), save=False)
            row.voucher_name = "凭证.pdf"
        row.save()
        return row

    return _cached(world, f"funds_expenditure_{status}_{which}", make)


# --- archive (issue 11 items 1-3) --------------------------------------------------------------------------------


def archive_year():
    """The year the archive rows name: last year (a closed year that may be archived)."""
    return timezone.localdate().year - 1


def archive_doc(world, which):
    """A document uploaded into the archive of ledger_studio(which), last year."""
    from archive.models import ArchiveDocument

    def make():
        doc = ArchiveDocument(
            studio=ledger_studio(world, which),
            year=archive_year(),
            category="rules",
            title=f"矩阵制度{which}",
            date=dt.date(archive_year(), 6, 1),
            original_name="制度.pdf",
            size=len(PDF),
            uploaded_by=_owner(world, which),
        )
        doc.file.save("制度.pdf", ContentFile(PDF), save=False)
        doc.save()
        return doc

    return _cached(world, f"archive_doc_{which}", make)


def archive_package(world, which):
    """A finished archive package of ledger_studio(which), last year (built without the PDF index, for speed)."""
    from archive.models import ArchivePackage
    from archive.package import build_package

    def make():
        archive_doc(world, which)
        package = ArchivePackage.objects.create(
            studio=ledger_studio(world, which), year=archive_year(), requested_by=world.users["teaching_affairs"]
        )
        return build_package(package.pk, index_pdf=False)

    return _cached(world, f"archive_package_{which}", make)


# --- oversight (issue 13: 纪检监督) -----------------------------------------------------------------------------------


def ov_note(world, which):
    """A supervision note of persona inspector on the own (department A) or other (department B) application, addressed
    to that department's head; open (unanswered)."""
    from oversight import services

    def make():
        return services.create_note(
            by=world.users["inspector"],
            type_key="applications.application",
            object_id=application(world, which).pk,
            office="department",
            subject=f"矩阵监督意见{which}",
            text="矩阵意见内容",
        )

    return _cached(world, f"ov_note_{which}", make)


# --- news (issue 13: 通知公告、宣传报道) and the public showcase -----------------------------------------------------


def news_notice(world, which, status="published"):
    """A notice of persona teaching_affairs to the department of persona staff (own, A) or to department B (other);
    published (with an attachment), a draft to all staff, or "public": published to all staff and on the showcase."""
    from news.models import Notice, NoticeAttachment

    def make():
        to_department = status == "published"
        notice = Notice.objects.create(
            title=f"矩阵通知{which}{status}",
            body="矩阵通知正文",
            audience="department" if to_department else "all",
            audience_department=_department(world, which) if to_department else None,
            is_public=status == "public",
            status="draft" if status == "draft" else "published",
            published_at=None if status == "draft" else timezone.now(),
            created_by=world.users["teaching_affairs"],
        )
        row = NoticeAttachment(notice=notice, original_name="附件.pdf", size=len(PDF))
        row.file.save("x.pdf", ContentFile(PDF), save=False)
        row.save()
        return notice

    return _cached(world, f"news_notice_{status}_{which}", make)


def news_post(world, which, status="submitted"):
    """A post of the studio of persona staff (own, its master) or of department B (other), in `status`, with a photo."""
    from news.models import Post, PostPhoto

    def make():
        post = Post.objects.create(
            studio=ledger_studio(world, which),
            title=f"矩阵报道{which}{status}",
            body="矩阵报道正文",
            status=status,
            created_by=_owner(world, which),
            submitted_at=timezone.now() if status != "draft" else None,
            published_at=timezone.now() if status == "published" else None,
        )
        photo = PostPhoto(post=post, caption="矩阵照片")
        photo.image.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0photo"), save=False)
        photo.thumbnail.save("t.jpg", ContentFile(b"\xff\xd8\xff\xe0thumb"), save=False)
        photo.save()
        return post

    return _cached(world, f"news_post_{status}_{which}", make)


def news_honor(world, which):
    """An honour of the master of the own (persona staff) or other studio, not public."""
    from people.models import Honor, HonorKind

    def make():
        kind = HonorKind.objects.get_or_create(code="matrix_honor", defaults={"name": "矩阵荣誉"})[0]
        return Honor.objects.create(
            user=_owner(world, which), kind=kind, title=f"矩阵荣誉{which}", level="city",
            date=timezone.localdate() - dt.timedelta(days=30), issuer="矩阵颁发单位",
        )  # fmt: skip

    return _cached(world, f"news_honor_{which}", make)


def news_achievement(world, which):
    """A confirmed landmark achievement of the own or other studio, not public."""
    from ledger.models import Achievement

    return _cached(
        world,
        f"news_achievement_{which}",
        lambda: _ledger_record(
            world,
            which,
            Achievement,
            "confirmed",
            title=f"矩阵成果{which}",
            kind="patent",
            level="city",
            landmark=True,
        ),  # fmt: skip
    )


# --- evaluation (issue 12: 年度考核) -----------------------------------------------------------------------------------


def ev_round(world, which):
    """own: this year's round, 评分中, holding the own and other studios (created and started by persona dev_office);
    other: last year's round, already confirmed, with one frozen scorecard of the other studio (department B)."""
    from evaluation import services
    from evaluation.models import EvaluationRound, Scorecard

    def make():
        dev = world.users["dev_office"]
        today = timezone.localdate()
        if which == "own":
            ledger_studio(world, "own")
            ledger_studio(world, "other")
            round_ = services.create_round(by=dev, year=today.year, due_on=today + dt.timedelta(days=30))
            return services.start_round(round_, by=dev)
        round_ = EvaluationRound.objects.create(
            year=today.year - 1, title="矩阵已认定考核", status="confirmed", due_on=today - dt.timedelta(days=200),
            created_by=dev, confirmed_at=timezone.now(),
        )  # fmt: skip
        Scorecard.objects.create(
            round=round_, studio=ledger_studio(world, "other"), total=80, suggested_grade="good",
            proposed_grade="good", confirmed_grade="good", frozen_at=timezone.now(),
            snapshot={"lines": [], "evidence": {}, "total": "80.00"},
        )  # fmt: skip
        return round_

    return _cached(world, f"ev_round_{which}", make)


def ev_card(world, which):
    """own: the own studio's scorecard in the own (评分中) round; other: the other studio's frozen scorecard."""
    from evaluation.models import Scorecard

    return _cached(
        world,
        f"ev_card_{which}",
        lambda: Scorecard.objects.get(round=ev_round(world, which), studio=ledger_studio(world, which)),
    )


# --- annual (issue 12: 年度工作报告) ---------------------------------------------------------------------------------


def annual_report(world, which, status="submitted"):
    """A filled-in report of the studio of persona staff (own) or of department B (other), in `status`: the draft on
    this year (the matrix studio is approved today, so it may be written), the submitted one on last year, the
    checked one on the year before (one report per studio-year)."""
    from annual.models import AnnualReport

    def make():
        now = timezone.now()
        studio = ledger_studio(world, which)
        back = {"draft": 0, "submitted": 1, "checked": 2}[status]
        return AnnualReport.objects.create(
            studio=studio,
            year=timezone.localdate().year - back,
            status=status,
            created_by=studio.master,
            achievements_summary="矩阵完成情况",
            highlights="矩阵特色",
            problems="矩阵问题",
            next_year_plan="矩阵计划",
            submitted_at=None if status == "draft" else now,
            last_submitted_at=None if status == "draft" else now,
        )

    return _cached(world, f"annual_report_{status}_{which}", make)


# --- recommendations (issue 12 item 5: 推荐申报, R22) ------------------------------------------------------------------


def recommendation(world, which):
    """own: a 草稿 市级 recommendation of the own studio (department A); other: the other studio's, 已推荐上报 (its
    需人工核实 lines confirmed, its 未满足 lines explained) — both made by persona dev_office through the services."""
    from recommendations import services
    from recommendations.checking import check_studio
    from recommendations.defaults import ensure_default_requirements

    def make():
        ensure_default_requirements()
        dev = world.users["dev_office"]
        studio = ledger_studio(world, which)
        rec = services.create_recommendation(
            by=dev, studio=studio, level="city", year=timezone.localdate().year, reason=f"矩阵{which}推荐理由"
        )
        if which == "other":
            confirmations = {line["requirement_id"]: "矩阵核实" for line in check_studio(studio.pk, "city")}
            rec = services.submit(rec, by=dev, confirmations=confirmations, explanation="矩阵未满足说明")
        return rec

    return _cached(world, f"recommendation_{which}", make)
