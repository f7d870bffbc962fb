"""Demo rows (manage.py seed_demo): the demo studio of T2001 gets a year and more of evidence ledger records — activities
of several kinds with photos, 名师带徒 with agreements, progress notes and an outcome, 例会 with minutes, projects with
their R17 stages, achievements (a patent, awards, a textbook, a landmark result) — so that the plan-vs-actual shows real
numbers and the department head (H2001) has records waiting in his inbox.

Every record goes through ledger.services with `by=` the demo person who would do it (the master or a member records
and submits, the department head confirms or returns), so each step is audited and `verify_audit` passes. The photos
and scans are small real JPEGs drawn with Pillow (the scans carry Chinese text when the Noto Sans SC font from npm is
present). Dates are placed relative to today: in the studio's first year (after its approval) and in this year up to
today, never in the future. Idempotent: a record whose title already exists in the studio is skipped whole.
"""

import datetime as dt
import functools
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from people.models import Enterprise
from studios.models import Studio

from . import services
from .enums import (
    AchievementKind,
    ActivityKind,
    ApprenticeType,
    AttachmentKind,
    AwardWho,
    Level,
    ProjectKind,
    ProjectStage,
    RecordStatus,
    SkillLevel,
)
from .types import TYPES

MASTER, HEAD = "T2001", "H2001"
TEAM = ("T2002", "T2003", "T2004", "T2005")

# --- images -----------------------------------------------------------------------------------------------------------


@functools.cache
def _font(size):
    path = settings.CJK_FONT_DIR / "400Regular" / "NotoSansSC_400Regular.ttf"
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # fonts not fetched (npm): the images still work, without Chinese glyphs
        return ImageFont.load_default()


def _jpeg(image, quality=82):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def demo_photo(caption, seed=0, size=(640, 480)):
    """A small real JPEG that looks like a photo of a training workshop: a wall, a floor, machines, a robot arm and
    people, with a caption strip."""
    rnd = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.58)
    wall = (rnd.randint(170, 215), rnd.randint(185, 225), rnd.randint(200, 235))
    for y in range(horizon):  # the lit wall, darker towards the ceiling
        shade = 0.75 + 0.25 * y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c * shade) for c in wall))
    draw.rectangle([0, horizon, width, height], fill=(120, 124, 128))
    for x in range(-height, width, 60):  # floor tiles in perspective
        draw.line([(width // 2, horizon), (x, height)], fill=(105, 108, 112), width=1)
    for i in range(rnd.randint(2, 4)):  # machines along the wall
        left = 20 + i * width // 4 + rnd.randint(0, 30)
        top = horizon - rnd.randint(70, 140)
        colour = rnd.choice([(230, 140, 40), (60, 110, 170), (210, 210, 205), (70, 140, 90)])
        draw.rectangle([left, top, left + rnd.randint(90, 140), horizon + 25], fill=colour, outline=(40, 40, 40))
        draw.rectangle([left + 12, top + 12, left + 52, top + 42], fill=(30, 50, 60))
    base = (int(width * rnd.uniform(0.45, 0.6)), horizon + 40)  # an orange robot arm
    elbow = (base[0] + rnd.randint(-60, 40), base[1] - rnd.randint(110, 150))
    wrist = (elbow[0] + rnd.randint(50, 110), elbow[1] + rnd.randint(10, 60))
    draw.rectangle([base[0] - 30, base[1] - 10, base[0] + 30, base[1] + 20], fill=(60, 60, 60))
    draw.line([base, elbow, wrist], fill=(240, 120, 20), width=18, joint="curve")
    draw.ellipse([elbow[0] - 12, elbow[1] - 12, elbow[0] + 12, elbow[1] + 12], fill=(60, 60, 60))
    for _ in range(rnd.randint(3, 6)):  # people in blue work clothes
        x = rnd.randint(20, width - 40)
        y = rnd.randint(horizon + 30, height - 90)
        draw.ellipse([x, y - 26, x + 22, y - 4], fill=(235, 200, 170))
        draw.rectangle([x - 4, y, x + 26, y + 55], fill=(40, 70, 140))
    draw.rectangle([0, height - 36, width, height], fill=(20, 20, 20))
    draw.text((12, height - 31), caption, fill=(255, 255, 255), font=_font(20))
    return _jpeg(image)


def demo_scan(title, lines, seed=0):
    """A small real JPEG that looks like a scanned document (certificate, agreement, contract…) with a red seal."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (620, 860), (250, 249, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle([18, 18, 602, 842], outline=(160, 40, 40), width=3)
    heading = _font(34)
    box = draw.textbbox((0, 0), title, font=heading)
    draw.text(((620 - (box[2] - box[0])) // 2, 60), title, fill=(20, 20, 20), font=heading)
    body = _font(19)
    y = 150
    for line in lines:
        draw.text((60, y), line, fill=(35, 35, 35), font=body)
        y += 38
    for _ in range(6):  # scanner noise
        x = rnd.randint(30, 590)
        draw.line([(x, 30), (x + rnd.randint(-3, 3), 830)], fill=(238, 236, 230))
    centre = (430, 700)
    draw.ellipse([centre[0] - 70, centre[1] - 70, centre[0] + 70, centre[1] + 70], outline=(200, 30, 30), width=5)
    draw.text((centre[0] - 13, centre[1] - 20), "★", fill=(200, 30, 30), font=_font(30))
    return _jpeg(image, quality=75)


# --- the records ------------------------------------------------------------------------------------------------------


@dataclass
class Spec:
    """One demo record. Dates are (year index, month, day): year 0 is the studio's first year, 1 is this year."""

    slug: str
    title: str
    on: tuple
    data: dict
    by: str = MASTER
    members: tuple = ()
    photos: tuple = ()  # captions; one real JPEG each
    scans: tuple = ()  # (attachment kind, title, lines)
    end: str = RecordStatus.CONFIRMED
    reason: str = ""  # the department's return reason when end is RETURNED
    notes: tuple = ()  # ((year index, month, day), text) — 带徒进展
    stages: tuple = ()  # (stage, (year index, month, day), note) — project stages in order
    later: dict = field(default_factory=dict)  # dates inside `data`: name → (year index, month, day)


SPECS = (
    # --- the studio's first year (after its approval) ---
    Spec(
        "meetings",
        "工作室成立暨第一次工作例会",
        (0, 9, 22),
        {
            "description": "宣读认定文件，明确成员分工，讨论建设方案初稿。",
            "minutes": "一、刘洋介绍工作室建设目标与三年建设方案思路；二、王芳负责师带徒与培训组织，陈晨负责技术攻关，"
            "杨帆负责实训教学资源，邓雪负责档案与联络；三、每月第二周周三下午召开例会。",
        },
        members=(MASTER, *TEAM),
        photos=("工作室成立暨第一次工作例会",),
    ),
    Spec(
        "mentorships",
        "刘洋—王芳 师徒结对（工业机器人系统集成）",
        (0, 10, 8),
        {"apprentice_type": ApprenticeType.TEACHER, "mentor": MASTER, "apprentice_user": "T2002"},
        later={"end_on": (2, 7, 31)},
        members=(MASTER, "T2002"),
        scans=((AttachmentKind.AGREEMENT, "师徒结对协议书", ("师傅：刘洋", "徒弟：王芳", "期限：两年", "目标：技师")),),
        notes=(
            ((0, 12, 20), "完成 ABB 机器人示教编程培训，能独立完成搬运工作站编程。"),
            ((1, 4, 15), "参与企业工装攻关项目，负责离线仿真。"),
        ),
    ),
    Spec(
        "mentorships",
        "刘洋—李想 师徒结对（学生，工业机器人操作）",
        (0, 10, 12),
        {
            "apprentice_type": ApprenticeType.STUDENT,
            "apprentice_name": "李想",
            "mentor": MASTER,
            "outcome_level": SkillLevel.SENIOR,
        },
        later={"end_on": (1, 6, 30), "outcome_on": (1, 6, 20)},
        members=(MASTER,),
        scans=((AttachmentKind.AGREEMENT, "师徒结对协议书", ("师傅：刘洋", "徒弟：李想（学生）", "目标：高级工")),),
        notes=(((1, 3, 18), "通过工业机器人操作与运维高级工理论考试。"),),
    ),
    Spec(
        "activities",
        "工业机器人离线编程技术交流会",
        (0, 10, 20),
        {"kind": ActivityKind.EXCHANGE, "hours": Decimal("3"), "participants": 45, "place_detail": "智能制造实训中心"},
        members=(MASTER, "T2002", "T2003"),
        photos=("离线编程技术交流会", "交流会现场演示"),
    ),
    Spec(
        "projects",
        "新能源汽车电机装配线机器人工装技术攻关",
        (0, 11, 1),
        {"kind": ProjectKind.HORIZONTAL, "amount": Decimal("180000.00"), "partner": "重庆长安汽车股份有限公司"},
        members=(MASTER, "T2002", "T2003"),
        scans=(
            (
                AttachmentKind.CONTRACT,
                "技术开发合同",
                ("委托方：重庆长安汽车股份有限公司", "受托方：重庆市工业学校", "合同金额：180,000 元"),
            ),
        ),
        stages=(
            (ProjectStage.APPROVAL, (0, 11, 10), "校企联合立项评审通过。"),
            (ProjectStage.DEVELOPMENT, (1, 1, 15), "完成工装样机与机器人程序。"),
            (ProjectStage.TEACHING, (1, 5, 20), "将工装调试过程转化为两个实训项目。"),
        ),
    ),
    Spec(
        "activities",
        "企业职工工业机器人操作培训（第一期）",
        (0, 11, 15),
        {"kind": ActivityKind.SOCIAL_TRAINING, "hours": Decimal("16"), "participants": 38},
        members=(MASTER, "T2002"),
        photos=("企业职工培训（第一期）",),
        scans=((AttachmentKind.SIGN_IN, "培训签到表", ("第一期 共 38 人", "2 天 16 学时")),),
    ),
    Spec(
        "achievements",
        "指导学生获重庆市职业院校技能大赛工业机器人技术应用赛项一等奖",
        (0, 12, 5),
        {"kind": AchievementKind.AWARD, "level": Level.CITY, "rank": "一等奖", "who": AwardWho.STUDENTS},
        members=(MASTER, "T2003"),
        scans=((AttachmentKind.CERTIFICATE, "获奖证书", ("工业机器人技术应用赛项", "一等奖", "指导教师：刘洋 陈晨")),),
    ),
    # --- this year ---
    Spec(
        "meetings",
        "一月工作例会：年度工作计划讨论",
        (1, 1, 10),
        {"minutes": "讨论本年度工作计划草案：社会培训不少于 100 人次，完成 1 项企业技术攻关，申报 1 项专利。"},
        members=(MASTER, *TEAM),
    ),
    Spec(
        "activities",
        "工业机器人实训课程教学实践",
        (1, 3, 20),
        {"kind": ActivityKind.PRACTICE_TEACHING, "hours": Decimal("32"), "participants": 40},
        by="T2004",
        members=("T2004", MASTER),
        photos=("实训课程教学实践",),
    ),
    Spec(
        "meetings",
        "三月工作例会：技术攻关进展",
        (1, 3, 12),
        {"minutes": "陈晨汇报工装攻关进展；确定竞赛集训安排；邓雪整理上年度档案。"},
        members=(MASTER, "T2002", "T2003", "T2005"),
    ),
    Spec(
        "mentorships",
        "陈晨—周强 师徒结对（企业职工，焊接机器人）",
        (1, 3, 1),
        {"apprentice_type": ApprenticeType.WORKER, "apprentice_name": "周强", "mentor": "T2003"},
        by="T2003",
        members=("T2003",),
        scans=((AttachmentKind.AGREEMENT, "师徒结对协议书", ("师傅：陈晨", "徒弟：周强（企业职工）")),),
        notes=(((1, 6, 1), "掌握焊接机器人轨迹示教。"),),
    ),
    Spec(
        "activities",
        "指导学生参加工业机器人技术应用赛项集训",
        (1, 4, 10),
        {"kind": ActivityKind.COMPETITION, "hours": Decimal("40"), "participants": 12},
        members=(MASTER, "T2003"),
        photos=("竞赛集训",),
    ),
    Spec(
        "projects",
        "实训室机器人工作站升级改造",
        (1, 4, 18),
        {"kind": ProjectKind.INTERNAL, "amount": Decimal("50000.00")},
        by="T2004",
        members=("T2004", "T2003"),
        scans=((AttachmentKind.CONTRACT, "校内项目立项书", ("项目：实训室机器人工作站升级改造", "经费：50,000 元")),),
        stages=((ProjectStage.APPROVAL, (1, 5, 6), "学校立项。"),),
    ),
    Spec(
        "activities",
        "工业机器人操作社会培训班（第二期）",
        (1, 5, 18),
        {"kind": ActivityKind.SOCIAL_TRAINING, "hours": Decimal("24"), "participants": 52},
        members=(MASTER, "T2002", "T2005"),
        photos=("社会培训班（第二期）", "学员实操"),
    ),
    Spec(
        "achievements",
        "一种工业机器人末端快换夹具",
        (1, 6, 8),
        {"kind": AchievementKind.PATENT, "level": Level.NATIONAL, "number": "ZL 2025 2 1234567.8"},
        members=(MASTER, "T2003"),
        scans=((AttachmentKind.CERTIFICATE, "实用新型专利证书", ("一种工业机器人末端快换夹具", "发明人：刘洋 陈晨")),),
    ),
    Spec(
        "meetings",
        "六月工作例会：半年工作小结",
        (1, 6, 15),
        {"minutes": "小结上半年：培训 52 人次，专利授权 1 项；下半年重点为全国赛备赛与教材编写。"},
        members=(MASTER, *TEAM),
        photos=("半年工作小结",),
    ),
    Spec(
        "achievements",
        "指导学生获全国职业院校技能大赛工业机器人技术应用赛项二等奖",
        (1, 7, 20),
        {
            "kind": AchievementKind.AWARD,
            "level": Level.NATIONAL,
            "rank": "二等奖",
            "who": AwardWho.STUDENTS,
            "landmark": True,
            "public": True,
        },
        members=(MASTER, "T2003"),
        scans=((AttachmentKind.CERTIFICATE, "获奖证书", ("全国职业院校技能大赛", "工业机器人技术应用赛项 二等奖")),),
        photos=("全国赛颁奖现场",),
    ),
    Spec(
        "activities",
        "与重庆机床集团开展机器人上下料技术交流",
        (1, 8, 22),
        {"kind": ActivityKind.EXCHANGE, "hours": Decimal("4"), "participants": 26, "place": "other"},
        members=(MASTER, "T2002", "T2004"),
        photos=("机器人上下料技术交流",),
        scans=((AttachmentKind.SIGN_IN, "技术交流签到表", ("与会 26 人",)),),
    ),
    Spec(
        "activities",
        "赴合作企业开展工艺调研",
        (1, 9, 5),
        {"kind": ActivityKind.ENTERPRISE, "hours": Decimal("6"), "participants": 5},
        by="T2002",
        members=("T2002", "T2003"),
        end=RecordStatus.RETURNED,
        reason="缺少现场照片或签到表，请补充佐证材料后重新提交。",
    ),
    Spec(
        "activities",
        "职业教育活动周工业机器人展示",
        (1, 5, 10),
        {"kind": ActivityKind.PROMOTION, "hours": Decimal("4"), "participants": 300},
        members=(MASTER, "T2004"),
        photos=("职业教育活动周展示",),
        end=RecordStatus.SUBMITTED,
    ),
    Spec(
        "achievements",
        "《工业机器人现场编程》校本教材",
        (1, 9, 1),
        {"kind": AchievementKind.TEXTBOOK, "level": Level.SCHOOL},
        by="T2004",
        members=("T2004", MASTER),
        scans=((AttachmentKind.PUBLICATION, "校本教材出版证明", ("《工业机器人现场编程》", "主编：刘洋 杨帆")),),
        end=RecordStatus.SUBMITTED,
    ),
    Spec(
        "mentorships",
        "王芳—赵婷 师徒结对（学生，机器人运维）",
        (1, 9, 15),
        {"apprentice_type": ApprenticeType.STUDENT, "apprentice_name": "赵婷", "mentor": "T2002"},
        by="T2002",
        members=("T2002",),
        scans=((AttachmentKind.AGREEMENT, "师徒结对协议书", ("师傅：王芳", "徒弟：赵婷（学生）")),),
        end=RecordStatus.SUBMITTED,
    ),
    Spec(
        "activities",
        "社区居民安全用电与智能家居培训",
        (1, 10, 25),
        {"kind": ActivityKind.SOCIAL_TRAINING, "hours": Decimal("3"), "participants": 30, "place": "other"},
        members=(MASTER, "T2005"),
        photos=("社区培训",),
        end=RecordStatus.SUBMITTED,
    ),
)


def _date(first_year, floor, today, on):
    """(year index, month, day) → a date in [floor, today]."""
    index, month, day = on
    return min(max(dt.date(first_year + index, month, day), floor), today)


def _data(spec, users, first_year, floor, today):
    data = {**spec.data, "title": spec.title}
    for name in ("mentor", "apprentice_user"):
        if name in data:
            data[name] = users[data[name]]
    if "partner" in data:
        data["partner"] = Enterprise.objects.filter(name=data["partner"], is_partner=True).first()
        if data["partner"] is None:
            del data["partner"]
    for name, (index, month, day) in spec.later.items():
        on = dt.date(first_year + index, month, day)  # an end or outcome date; an end may lie ahead
        data[name] = max(on, floor) if name == "end_on" else min(max(on, floor), today)
    data["date"] = _date(first_year, floor, today, spec.on)
    if data.get("kind") in (AchievementKind.PATENT, AchievementKind.AWARD):
        data["grant_date"] = data["date"]
    data.setdefault("description", "")
    data.setdefault("place", "school")
    return data


def _file(name, content):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def _record(spec, seq, studio, users, first_year, floor, today):
    model = TYPES[spec.slug].model
    by = users[spec.by]
    data = _data(spec, users, first_year, floor, today)
    member_ids = [users[u].pk for u in spec.members]
    record = services.create_record(model, studio=studio, by=by, data=data, member_ids=member_ids)
    for n, caption in enumerate(spec.photos):
        services.add_attachment(
            record,
            by=by,
            kind=AttachmentKind.PHOTO,
            upload=_file(f"IMG_{20250000 + seq * 10 + n}.jpg", demo_photo(caption, seed=seq * 10 + n)),
        )
    for n, (kind, title, lines) in enumerate(spec.scans):
        upload = _file(f"{title}.jpg", demo_scan(title, lines, seed=seq * 10 + n))
        services.add_attachment(record, by=by, kind=kind, upload=upload)
    for on, text in spec.notes:
        services.add_progress_note(record, by=by, date=_date(first_year, record.date, today, on), note=text)
    for stage, on, note in spec.stages:
        services.record_stage(record, by=by, stage=stage, date=_date(first_year, record.date, today, on), note=note)
    if spec.end == RecordStatus.DRAFT:
        return record
    services.submit_record(record, by=by)
    record.refresh_from_db()
    if spec.end == RecordStatus.CONFIRMED:
        services.confirm_record(record, by=users[HEAD], note="佐证材料齐全，确认。")
    elif spec.end == RecordStatus.RETURNED:
        services.return_record(record, by=users[HEAD], reason=spec.reason)
    return record


def seed_demo(password):
    users = {u.username: u for u in User.objects.filter(username__in=[MASTER, HEAD, *TEAM])}
    studio = Studio.objects.filter(master=users.get(MASTER), status="active").order_by("pk").first()
    if studio is None or len(users) < 2 + len(TEAM):
        return
    today = timezone.localdate()
    floor = studio.approved_on
    first_year = today.year - 1  # year index 0: last year (dates before the approval move up to it), 1: this year
    existing = {
        (slug, title)
        for slug, record_type in TYPES.items()
        for title in record_type.model.objects.filter(studio=studio).values_list("title", flat=True)
    }
    for seq, spec in enumerate(SPECS):
        if (spec.slug, spec.title) not in existing:
            _record(spec, seq, studio, users, first_year, floor, today)
