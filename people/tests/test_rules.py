"""Table-driven boundary tests of the eligibility engine (issue 3 "Done when")."""

from datetime import date

import pytest

from people.enums import HonorLevel, HonorRank, WorkKind
from people.models import HonorRule, PolicyVersion
from people.policy import ensure_policy_version, policy_in_force
from people.rules import (
    MemberSpec,
    Verdict,
    age_on,
    check_master_eligibility,
    check_studio_name,
    check_team_composition,
    merge_periods,
    months_in_periods,
)
from tests.factories import MajorFactory, UserFactory

from .factories import (
    EnterpriseFactory,
    ExternalAffiliationFactory,
    HonorFactory,
    StaffProfileFactory,
    WorkPeriodFactory,
    honor_kind,
)

ON = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1981, 3, 1), date(2026, 3, 1), 44),  # 45th birthday: 45 周岁 from the day after
        (date(1981, 3, 1), date(2026, 3, 2), 45),
        (date(1980, 3, 1), date(2026, 3, 1), 45),  # 46th birthday itself: still 45
        (date(1980, 3, 1), date(2026, 3, 2), 46),  # the day after: 46
        (date(1980, 2, 29), date(2026, 2, 28), 45),  # leap-day birthday, non-leap year
        (date(1980, 2, 29), date(2026, 3, 1), 46),
    ],
)
def test_age_in_full_years(birth, on, age):
    assert age_on(birth, on) == age


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("birth", "verdict", "fragment"),
    [
        (date(1981, 3, 2), Verdict.PASS, "为44周岁"),
        (date(1980, 3, 2), Verdict.PASS, "为45周岁"),  # 45 on the day
        (date(1980, 3, 1), Verdict.PASS, "为45周岁"),  # on the 46th birthday
        (date(1980, 2, 29), Verdict.FAIL, "年龄：截至2026-03-01为46周岁，超过《建设方案》三(1)5规定的45周岁"),
    ],
)
def test_r4_age_boundaries(birth, verdict, fragment):
    profile = StaffProfileFactory(birth_date=birth)
    result = check_master_eligibility(profile.user, on=ON).get("R4")
    assert result.verdict == verdict
    assert fragment in result.message


@pytest.mark.django_db
def test_r4_one_day_past_46th_birthday_fails():
    profile = StaffProfileFactory(birth_date=date(1980, 2, 28))
    result = check_master_eligibility(profile.user, on=date(2026, 3, 1)).get("R4")
    assert result.verdict == Verdict.FAIL
    assert result.message == "年龄：截至2026-03-01为46周岁，超过《建设方案》三(1)5规定的45周岁。"


@pytest.mark.django_db
def test_r4_missing_birth_date_names_the_evidence():
    profile = StaffProfileFactory(birth_date=None)
    result = check_master_eligibility(profile.user, on=ON).get("R4")
    assert result.verdict == Verdict.FAIL
    assert "缺少：出生日期" in result.evidence


@pytest.mark.parametrize(
    ("periods", "months_days"),
    [
        ([(date(2020, 1, 1), date(2022, 12, 31))], (36, 0)),
        ([(date(2020, 1, 1), date(2022, 11, 30))], (35, 0)),
        ([(date(2024, 7, 1), date(2024, 8, 15)), (date(2024, 7, 15), date(2024, 8, 31))], (2, 0)),
        ([(date(2024, 7, 1), date(2024, 7, 31)), (date(2024, 8, 1), date(2024, 9, 30))], (3, 0)),  # touching
        ([(date(2024, 1, 1), date(2024, 1, 20)), (date(2024, 3, 1), date(2024, 3, 20))], (1, 10)),
    ],
)
def test_months_in_merged_periods(periods, months_days):
    assert months_in_periods(merge_periods(periods)) == months_days


def _periods(user, rows):
    for kind, start, end in rows:
        WorkPeriodFactory(user=user, kind=kind, start=start, end=end)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "verdict"),
    [
        # 2 years 11 months of work + 2 months of practice: neither threshold reached, and they do not add up.
        (
            [
                (WorkKind.WORK, date(2010, 1, 1), date(2012, 11, 30)),
                (WorkKind.PRACTICE, date(2024, 7, 1), date(2024, 8, 31)),
            ],
            Verdict.FAIL,
        ),
        ([(WorkKind.WORK, date(2010, 1, 1), date(2012, 12, 31))], Verdict.PASS),  # exactly 3 years
        # Practice periods overlapping in August: union July–September = 3 months → pass.
        (
            [
                (WorkKind.PRACTICE, date(2024, 7, 1), date(2024, 8, 31)),
                (WorkKind.PRACTICE, date(2024, 8, 1), date(2024, 9, 30)),
            ],
            Verdict.PASS,
        ),
        # 1.5 + 1.5 months naively, but they overlap: union is 2 months → fail (overlap counted once).
        (
            [
                (WorkKind.PRACTICE, date(2024, 7, 1), date(2024, 8, 15)),
                (WorkKind.PRACTICE, date(2024, 7, 16), date(2024, 8, 31)),
            ],
            Verdict.FAIL,
        ),
        # Practice after the checked date does not count yet.
        ([(WorkKind.PRACTICE, date(2026, 1, 1), date(2026, 6, 30))], Verdict.FAIL),
        ([], Verdict.FAIL),
    ],
)
def test_r5_experience(rows, verdict):
    profile = StaffProfileFactory()
    _periods(profile.user, rows)
    result = check_master_eligibility(profile.user, on=ON).get("R5")
    assert result.verdict == verdict, result.message
    assert "《建设方案》三(1)3" in result.message


@pytest.mark.django_db
def test_r5_message_names_the_totals():
    profile = StaffProfileFactory()
    _periods(
        profile.user,
        [
            (WorkKind.WORK, date(2010, 1, 1), date(2012, 11, 30)),
            (WorkKind.PRACTICE, date(2024, 7, 1), date(2024, 8, 31)),
        ],
    )
    result = check_master_eligibility(profile.user, on=ON).get("R5")
    assert "企业工作经历合计2年11个月，企业实践累计2个月" in result.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("honors", "verdict"),
    [
        ([("skill_master", HonorLevel.CITY, "", True)], Verdict.PASS),
        ([("skill_master", HonorLevel.SCHOOL, "", True)], Verdict.FAIL),  # below city level
        ([("skill_master", HonorLevel.PROVINCE, "", True)], Verdict.PASS),  # province satisfies a city rule
        ([("may_day", HonorLevel.NATIONAL, "", True)], Verdict.PASS),
        ([("skill_master", HonorLevel.NATIONAL, "", False)], Verdict.FAIL),  # no certificate: not counted
        ([("competition_personal", HonorLevel.CITY, HonorRank.FIRST, True)], Verdict.PASS),
        ([("competition_personal", HonorLevel.CITY, HonorRank.SECOND, True)], Verdict.FAIL),
        ([("competition_personal", HonorLevel.PROVINCE, HonorRank.FIRST, True)], Verdict.PASS),
        ([("competition_guided", HonorLevel.CITY, HonorRank.FIRST, True)], Verdict.FAIL),  # once
        (
            [
                ("competition_guided", HonorLevel.CITY, HonorRank.FIRST, True),
                ("competition_guided", HonorLevel.PROVINCE, HonorRank.SPECIAL, True),
            ],
            Verdict.PASS,
        ),  # twice (a better prize at a higher level counts)
        (
            [
                ("competition_guided", HonorLevel.CITY, HonorRank.FIRST, True),
                ("competition_guided", HonorLevel.CITY, HonorRank.FIRST, False),
            ],
            Verdict.FAIL,
        ),  # second one uncertified
        ([("other", HonorLevel.NATIONAL, "", True)], Verdict.FAIL),  # a kind that does not qualify
        ([], Verdict.FAIL),
    ],
)
def test_r6_honours(honors, verdict):
    profile = StaffProfileFactory()
    for code, level, rank, certified in honors:
        HonorFactory(
            user=profile.user,
            kind=honor_kind(code),
            level=level,
            rank=rank,
            certificate=HonorFactory.certificate.function() if certified else "",
        )
    result = check_master_eligibility(profile.user, on=ON).get("R6")
    assert result.verdict == verdict, result.message
    assert "《建设方案》三(1)4" in result.message


@pytest.mark.django_db
def test_r6_uncertified_honour_is_named():
    profile = StaffProfileFactory()
    HonorFactory(user=profile.user, title="重庆市技术能手", certificate="")
    result = check_master_eligibility(profile.user, on=ON).get("R6")
    assert result.verdict == Verdict.FAIL
    assert "另有1次未上传证书" in result.message
    assert any("未上传证书，不计入" in e and "重庆市技术能手" in e for e in result.evidence)


@pytest.mark.django_db
def test_r7_needs_majors_then_human_judgement():
    profile = StaffProfileFactory()
    assert check_master_eligibility(profile.user, on=ON).get("R7").verdict == Verdict.FAIL
    profile.majors.add(MajorFactory(name="数控技术应用"))
    result = check_master_eligibility(profile.user, on=ON).get("R7")
    assert result.verdict == Verdict.HUMAN
    assert "数控技术应用" in result.message


@pytest.mark.django_db
def test_r8_is_always_human():
    profile = StaffProfileFactory()
    assert check_master_eligibility(profile.user, on=ON).get("R8").verdict == Verdict.HUMAN


@pytest.mark.django_db
def test_eligible_person_report_is_ok():
    profile = StaffProfileFactory(birth_date=date(1985, 6, 15))
    profile.majors.add(MajorFactory())
    WorkPeriodFactory(user=profile.user)
    HonorFactory(user=profile.user)
    report = check_master_eligibility(profile.user, on=ON)
    assert report.ok, [r.message for r in report.failures]
    assert [r.code for r in report.results] == ["R4", "R5", "R6", "R7", "R8"]
    assert report.policy_year == 2026


@pytest.mark.django_db
def test_no_profile_fails_with_a_note():
    user = UserFactory()
    report = check_master_eligibility(user, on=ON)
    assert not report.ok
    assert any("尚未建立教职工档案" in n for n in report.notes)


# --- Policy versions ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_policy_year_changes_verdicts_only_from_that_year():
    """Max age 50 from 2027: a 47-year-old fails in 2026 and passes in 2027, without code changes."""
    ensure_policy_version(2027, master_max_age=50)
    profile = StaffProfileFactory(birth_date=date(1979, 6, 1))
    in_2026 = check_master_eligibility(profile.user, on=date(2026, 12, 31)).get("R4")
    in_2027 = check_master_eligibility(profile.user, on=date(2027, 1, 1)).get("R4")
    assert in_2026.verdict == Verdict.FAIL and "45周岁" in in_2026.message
    assert in_2027.verdict == Verdict.PASS and "50周岁" in in_2027.message


@pytest.mark.django_db
def test_honour_rules_are_policy_data():
    """A new year may drop a qualifying honour: the 2026 pass becomes a 2027 fail."""
    version = ensure_policy_version(2027)
    HonorRule.objects.filter(policy=version, kind__code="skill_master").delete()
    profile = StaffProfileFactory()
    HonorFactory(user=profile.user)
    assert check_master_eligibility(profile.user, on=date(2026, 6, 1)).get("R6").verdict == Verdict.PASS
    assert check_master_eligibility(profile.user, on=date(2027, 6, 1)).get("R6").verdict == Verdict.FAIL


@pytest.mark.django_db
def test_fallback_policy_when_no_row_covers_the_date():
    PolicyVersion.objects.all().delete()
    policy = policy_in_force(date(2026, 1, 1))
    assert policy.is_fallback and policy.master_max_age == 45 and policy.min_core_teachers == 3
    profile = StaffProfileFactory()
    HonorFactory(user=profile.user)
    report = check_master_eligibility(profile.user, on=date(2026, 1, 1))
    assert report.policy_year is None
    assert any("默认参数" in n for n in report.notes)
    assert report.get("R6").verdict == Verdict.PASS


@pytest.mark.django_db
def test_policy_in_force_picks_latest_year_not_after_date():
    ensure_policy_version(2028, master_max_age=48)
    assert policy_in_force(date(2027, 12, 31)).year == 2026
    assert policy_in_force(date(2028, 1, 1)).year == 2028
    assert policy_in_force(date(2030, 5, 1)).year == 2028


# --- Team composition -----------------------------------------------------------------------------------------------


def _core(n, **kwargs):
    return [MemberSpec(user=UserFactory(**kwargs), role="core") for _ in range(n)]


@pytest.mark.django_db
@pytest.mark.parametrize(("cores", "verdict"), [(2, Verdict.FAIL), (3, Verdict.PASS)])
def test_r1_team_of_one_plus_n(cores, verdict):
    master = UserFactory()
    report = check_team_composition(master, _core(cores), "school", on=ON)
    r1 = report.get("R1")
    assert r1.verdict == verdict, r1.message
    if verdict == Verdict.FAIL:
        assert "骨干教师2人，少于规定的3人" in r1.message


@pytest.mark.django_db
def test_r1_master_cannot_be_a_member_too():
    master = UserFactory()
    members = [*_core(3), MemberSpec(user=master, role="member")]
    r1 = check_team_composition(master, members, "school", on=ON).get("R1")
    assert r1.verdict == Verdict.FAIL and "不能同时作为工作室成员" in r1.message


@pytest.mark.django_db
def test_r1_ordinary_members_do_not_count_as_core():
    master = UserFactory()
    members = [*_core(2), MemberSpec(user=UserFactory(), role="member")]
    assert check_team_composition(master, members, "school", on=ON).get("R1").verdict == Verdict.FAIL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("enterprise_kwargs", "verdict", "fragment"),
    [
        ({}, Verdict.PASS, ""),
        ({"is_partner": False}, Verdict.FAIL, "未登记为学校合作企业"),
        ({"agreement_end": date(2025, 12, 31)}, Verdict.FAIL, "没有有效的合作协议"),
        ({"agreement_start": None, "agreement_end": None}, Verdict.FAIL, "没有有效的合作协议"),
        ({"high_influence": False}, Verdict.FAIL, "较高行业影响力"),
    ],
)
def test_r2_external_member_enterprise(enterprise_kwargs, verdict, fragment):
    major = MajorFactory()
    master = StaffProfileFactory().user
    master.profile.majors.add(major)
    enterprise = EnterpriseFactory(**enterprise_kwargs)
    enterprise.majors.add(major)
    external = ExternalAffiliationFactory(enterprise=enterprise).user
    members = [*_core(3), MemberSpec(user=external, role="member")]
    r2 = check_team_composition(master, members, "school", on=ON).get("R2")
    assert r2.verdict == verdict, r2.message
    assert fragment in r2.message


@pytest.mark.django_db
def test_r2_external_without_affiliation_fails():
    external = UserFactory(is_external=True, department=None)
    r2 = check_team_composition(UserFactory(), [*_core(3), MemberSpec(external, "member")], "school", on=ON).get("R2")
    assert r2.verdict == Verdict.FAIL and "未登记所在企业" in r2.message


@pytest.mark.django_db
def test_r2_unrelated_majors_need_human_judgement():
    master = StaffProfileFactory().user
    master.profile.majors.add(MajorFactory())
    enterprise = EnterpriseFactory()
    enterprise.majors.add(MajorFactory())
    external = ExternalAffiliationFactory(enterprise=enterprise).user
    r2 = check_team_composition(master, [*_core(3), MemberSpec(external, "member")], "school", on=ON).get("R2")
    assert r2.verdict == Verdict.HUMAN


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("external_role", "partner", "verdict"),
    [
        ("core", True, Verdict.PASS),
        ("member", True, Verdict.FAIL),  # external, but not a core teacher
        ("core", False, Verdict.FAIL),  # core, but from a non-partner enterprise
        (None, None, Verdict.FAIL),  # no external member at all
    ],
)
def test_r3_joint_studio_needs_external_core_member(external_role, partner, verdict):
    members = _core(3)
    if external_role:
        enterprise = EnterpriseFactory(is_partner=partner)
        members.append(MemberSpec(ExternalAffiliationFactory(enterprise=enterprise).user, external_role))
    r3 = check_team_composition(UserFactory(), members, "joint", on=ON).get("R3")
    assert r3.verdict == verdict, r3.message
    assert "《建设方案》四(三)“设立方式”" in r3.message


@pytest.mark.django_db
def test_r3_school_mode_and_bad_mode():
    assert check_team_composition(UserFactory(), _core(3), "school", on=ON).get("R3").verdict == Verdict.PASS
    assert check_team_composition(UserFactory(), _core(3), "mixed", on=ON).get("R3").verdict == Verdict.FAIL


@pytest.mark.django_db
def test_min_core_teachers_comes_from_the_policy():
    ensure_policy_version(2027, min_core_teachers=4)
    master, members = UserFactory(), _core(3)
    assert check_team_composition(master, members, "school", on=date(2026, 12, 1)).ok
    assert not check_team_composition(master, members, "school", on=date(2027, 1, 1)).ok


# --- Studio name ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "verdict"),
    [
        ("数控车工技能大师工作室", Verdict.PASS),
        ("  工业机器人系统运维员技能大师工作室 ", Verdict.PASS),
        ("数控工作室", Verdict.FAIL),
        ("技能大师工作室", Verdict.FAIL),
        ("车技能大师工作室", Verdict.FAIL),
        ("数控车工技能大师工作室（一）", Verdict.FAIL),
        ("数控<b>技能大师工作室", Verdict.FAIL),
        ("", Verdict.FAIL),
    ],
)
def test_r9_studio_name(name, verdict):
    report = check_studio_name(name)
    assert report.results[0].code == "R9"
    assert report.results[0].verdict == verdict
    assert report.ok == (verdict == Verdict.PASS)
    if verdict == Verdict.FAIL:
        assert "职业工种名称+技能大师工作室" in report.results[0].message
