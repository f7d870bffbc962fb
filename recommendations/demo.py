"""Demo rows (manage.py seed_demo, after evaluation's): the best demo studio (last year's 优秀 with its support flag,
else the best confirmed result) has a 市级 推荐申报 of last year, submitted with its 需人工核实 lines confirmed and
approved (so its level is 市级), and a 省级 草稿 of this year showing the checker. 发改室 D0001 acts, every step
through recommendations.services (audited). Idempotent: nothing is done when the studio has a recommendation."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from evaluation.enums import GRADE_RANK, RoundStatus
from evaluation.models import Scorecard, SupportFlag
from studios.enums import StudioStatus

from . import services
from .checking import check_studio
from .defaults import ensure_default_requirements
from .enums import Verdict
from .models import Recommendation


def _best_studio_id():
    flagged = SupportFlag.objects.filter(studio__status=StudioStatus.ACTIVE).order_by("-year", "pk").first()
    if flagged is not None:
        return flagged.studio_id
    cards = Scorecard.objects.filter(round__status=RoundStatus.CONFIRMED, studio__status=StudioStatus.ACTIVE).exclude(
        confirmed_grade=""
    )
    best = sorted(cards.values_list("studio_id", "confirmed_grade", "total"), key=lambda r: GRADE_RANK[r[1]])
    return best[0][0] if best else None


def _submit(rec, dev, level):
    lines = check_studio(rec.studio_id, level)
    confirmations = {
        line["requirement_id"]: "已取得行业协会与合作企业的推荐意见（演示）"
        for line in lines
        if line["verdict"] == Verdict.MANUAL
    }
    unmet = any(line["verdict"] == Verdict.UNMET for line in lines)
    explanation = "部分条件的佐证材料正在补录，已附情况说明（演示）。" if unmet else ""
    return services.submit(rec, by=dev, confirmations=confirmations, explanation=explanation)


def seed_demo(password):
    dev = User.objects.filter(username="D0001").first()
    studio_id = _best_studio_id()
    if dev is None or studio_id is None or Recommendation.objects.filter(studio_id=studio_id).exists():
        return
    ensure_default_requirements()
    this_year = timezone.localdate().year
    last = this_year - 1
    city = services.create_recommendation(
        by=dev, studio=studio_id, level="city", year=last,
        reason="工作室年度考核优秀，带徒与技术交流成效显著，推荐申报市级技能大师工作室。",
    )  # fmt: skip
    city = _submit(city, dev, "city")
    services.record_outcome(
        city, by=dev, approved=True, level="city", year=last, document=f"渝人社发〔{last}〕128号",
        on=dt.date(last, 12, 10), note="市人力社保局公布市级技能大师工作室名单。",
    )  # fmt: skip
    services.create_recommendation(
        by=dev, studio=studio_id, level="province", year=this_year,
        reason="已获市级认定，拟推荐申报省级技能大师工作室（草稿，待核实条件）。",
    )  # fmt: skip
