"""Services of 年度工作报告: the due date, the state of every studio's report for a year, and every write (create,
update a draft, nominate landmark achievements). Status moves are in annual/workflow.py."""

from datetime import date

from people.policy import policy_in_force

from .models import AnnualReport


def due_date(year: int) -> date:
    """The due date of the report ON `year`: the policy's 年度报告截止月/日 (default 31 January) of year + 1, read
    from the policy parameters in force on 1 January of year + 1 (people.PolicyVersion)."""
    policy = policy_in_force(date(year + 1, 1, 1))
    month, day = policy.annual_report_due_month, policy.annual_report_due_day
    while True:
        try:
            return date(year + 1, month, day)
        except ValueError:  # e.g. 31 April: the last day of that month
            day -= 1


def report_states(studio_ids, year) -> dict:
    """{studio_id: AnnualReport} for the studios of `studio_ids` that have a report on `year` (one query); a studio
    missing from the answer has no report."""
    rows = AnnualReport.objects.filter(studio_id__in=list(studio_ids), year=year)
    return {r.studio_id: r for r in rows}
