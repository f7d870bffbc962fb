"""Every write a page offers is in the API too (issue 8, "also from the same review").

The page writes are the permission matrix's rows of kind `write` with method POST on a page (not the API, not the
Django admin site; `self` rows — one's own session, password, tokens, notifications — are not business writes).
Each must be mapped below to the API operation(s) that do the same through the same service. A new page write
without a mapping fails `test_every_page_write_has_an_api_operation`; a mapping to an operation that does not exist
(or is not a write) fails `test_mapped_operations_exist_and_write`.
"""

import fnmatch

import pytest

from .matrix import WRITE_METHODS, _api_methods, load_matrix

# page URL name → the API operation names ("api:<url name>") that offer the same write.
PAGE_TO_API = {
    # people: own records (我的资历), staff records (人事部), enterprises (校企办)
    "people:my_profile_edit": ["api:patch_person"],
    "people:work_create": ["api:create_work_period", "api:upload_proof"],
    "people:work_edit": ["api:update_work_period", "api:upload_proof"],
    "people:work_delete": ["api:delete_work_period"],
    "people:honor_create": ["api:create_honor", "api:upload_certificate"],
    "people:honor_edit": ["api:update_honor", "api:upload_certificate"],
    "people:honor_delete": ["api:delete_honor"],
    "people:staff_edit": ["api:patch_person"],
    "people:roster_import": ["api:import_roster"],
    "people:enterprise_create": ["api:create_enterprise", "api:upload_agreement"],
    "people:enterprise_edit": ["api:update_enterprise", "api:upload_agreement"],
    "people:affiliation_add": ["api:set_affiliation"],
    "people:affiliation_remove": ["api:remove_affiliation"],
    # applications: calls, drafts, department and expert steps, committee, publicity, approval
    "applications:call_create": ["api:create_call"],
    "applications:call_open": ["api:open_call"],
    "applications:call_close": ["api:close_call"],
    "applications:create": ["api:create_application"],
    "applications:edit": ["api:save_draft"],
    "applications:attachment_upload": ["api:upload_attachment"],
    "applications:attachment_delete": ["api:delete_attachment"],
    "applications:attachment_replace": ["api:replace_attachment"],
    "applications:transition": ["api:post_transition"],
    "applications:assign": ["api:post_assignments"],
    "applications:assign_batch": ["api:post_batch_assignments"],
    "applications:review_detail": ["api:declare", "api:recuse", "api:submit_review", "api:save_review_draft"],
    "applications:meeting_create": ["api:create_meeting"],
    "applications:meeting_vote": ["api:vote"],
    "applications:meeting_close": ["api:close_meeting"],
    "applications:publicity_create": ["api:publish"],
    "applications:objection_lodge": ["api:object_to", "api:object_with_evidence"],
    "applications:objection_detail": ["api:resolve"],
    "applications:objection_investigate": ["api:investigate_objection"],
    "applications:objection_investigation_evidence": ["api:upload_investigation_evidence"],
    "applications:approve": ["api:approve"],
    "applications:disqualify": ["api:disqualify"],
    "applications:withdraw": ["api:withdraw"],
    "applications:meeting_revote": ["api:meeting_revote"],
    "applications:meeting_cancel": ["api:meeting_cancel"],
    # 系统管理 (administration/api.py, /api/v1/system/) and the accounts page's activation link
    "administration:user_create": ["api:system_create_user"],
    "administration:user_set_active": ["api:system_set_active"],
    "administration:user_reset_password": ["api:system_reset_password"],
    "administration:role_grant": ["api:system_grant_role"],
    "administration:role_revoke": ["api:system_revoke_role"],
    "administration:work_create": ["api:create_work_period", "api:upload_proof"],
    "administration:honor_create": ["api:create_honor", "api:upload_certificate"],
    "administration:expert_list": ["api:system_add_expert"],
    "administration:expert_remove": ["api:system_remove_expert"],
    "administration:policy_copy": ["api:system_copy_policy"],
    "administration:policy_edit": ["api:system_update_policy"],
    "administration:rubric_create": ["api:system_create_rubric"],
    "administration:rubric_edit": ["api:system_update_rubric"],
    "administration:criterion_create": ["api:system_create_criterion"],
    "administration:criterion_edit": ["api:system_update_criterion"],
    "administration:criterion_delete": ["api:system_delete_criterion"],
    "administration:holiday_create": ["api:system_create_holiday"],
    "administration:holiday_edit": ["api:system_update_holiday"],
    "administration:holiday_delete": ["api:system_delete_holiday"],
    "administration:department_create": ["api:system_create_department"],
    "administration:department_edit": ["api:system_update_department"],
    "administration:major_create": ["api:system_create_major"],
    "administration:major_edit": ["api:system_update_major"],
    "administration:honor_kind_create": ["api:system_create_honor_kind"],
    "administration:honor_kind_edit": ["api:system_update_honor_kind"],
    "accounts:issue_activation": ["api:system_issue_activation"],
    # studios (issue 10)
    "studios:register": ["api:studio_register"],
    "studios:register_import": ["api:studio_register_import"],
    "studios:letter_template": ["api:studio_letter_template_save"],
    "studios:member_add": ["api:studio_member_add"],
    "studios:member_remove": ["api:studio_member_leave"],
    "studios:contacts": ["api:studio_contacts"],
    "studios:exception_new": ["api:studio_exception_add"],
    "studios:exception_resolve": ["api:studio_exception_resolve"],
    "studios:letter_generate": ["api:studio_letter_generate"],
    "studios:letter_sign": ["api:studio_letter_sign"],
    # plans (issue 10): 建设方案与年度计划, review moves, new versions, 建设指标体系 (plans/api.py, same services)
    "plans:create": ["api:plans_list"],
    "plans:edit": ["api:plans_detail"],
    "plans:move": ["api:plans_transition"],
    "plans:new_version": ["api:plans_new_version"],
    "plans:indicator_sets": ["api:plans_indicator_sets"],
    "plans:indicator_set_edit": ["api:plans_indicator_set"],
    # ledger (issue 10): 建设记录 and 系部审核 (ledger/api.py calls the same services)
    "ledger:new": ["api:ledger_create", "api:ledger_upload", "api:ledger_submit"],
    "ledger:edit": ["api:ledger_update"],
    "ledger:submit": ["api:ledger_submit"],
    "ledger:confirm": ["api:ledger_confirm"],
    "ledger:return": ["api:ledger_return"],
    "ledger:attachment_upload": ["api:ledger_upload"],
    "ledger:batch_confirm": ["api:ledger_batch_confirm"],
    "ledger:spot_check": ["api:ledger_spot_check"],
    "ledger:note": ["api:ledger_note"],
    "ledger:stage": ["api:ledger_stage"],
    # archive: documents, 归档 (one studio-year or the whole school), addenda, packages
    "archive:upload": ["api:archive_upload"],
    "archive:archive": ["api:archive_archive"],
    "archive:archive_all": ["api:archive_archive_all"],
    "archive:addendum": ["api:archive_addendum"],
    "archive:package_start": ["api:archive_package_start"],
    # funds (issue 11): budgets, expenditures, 财务部's decisions, the category dictionary (funds/api.py, same services)
    "funds:budget_new": ["api:funds_budget_create"],
    "funds:budget_edit": ["api:funds_budget_update"],
    "funds:expenditure_new": ["api:funds_expenditure_create", "api:funds_voucher_upload"],
    "funds:expenditure_edit": ["api:funds_expenditure_update", "api:funds_voucher_upload"],
    "funds:expenditure_submit": ["api:funds_expenditure_submit"],
    "funds:voucher_upload": ["api:funds_voucher_upload"],
    "funds:expenditure_decide": ["api:funds_expenditure_confirm", "api:funds_expenditure_return"],
    "funds:expenditure_overrun": ["api:funds_expenditure_overrun"],
    "funds:categories": ["api:funds_category_create"],
    "funds:category_edit": ["api:funds_category_update"],
    # news (issue 13): 通知公告 and 宣传报道
    "news:notice_new": ["api:news_notice_create"],
    "news:notice_edit": ["api:news_notice_update"],
    "news:notice_publish": ["api:news_notice_publish"],
    "news:notice_withdraw": ["api:news_notice_withdraw"],
    "news:notice_attachment_upload": ["api:news_notice_attach"],
    "news:post_new": ["api:news_post_create"],
    "news:post_edit": ["api:news_post_update"],
    "news:post_photo_upload": ["api:news_post_photo"],
    "news:post_submit": ["api:news_post_submit"],
    "news:post_decide": ["api:news_post_publish", "api:news_post_return"],
    "news:post_delete": ["api:news_post_delete"],
    # evaluation: 年度考核 (rounds, evaluators, adjustments, veto, submission, meeting, committee decisions)
    "evaluation:round_create": ["api:evaluation_round_create"],
    "evaluation:round_start": ["api:evaluation_round_start"],
    "evaluation:round_recompute": ["api:evaluation_round_recompute"],
    "evaluation:round_assign": ["api:evaluation_round_assign"],
    "evaluation:round_submit": ["api:evaluation_round_submit"],
    "evaluation:round_meeting": ["api:evaluation_round_meeting"],
    "evaluation:round_vote": ["api:evaluation_round_vote"],
    "evaluation:round_decide": ["api:evaluation_round_confirm", "api:evaluation_round_return"],
    "evaluation:scorecard_adjust": ["api:evaluation_scorecard_adjust"],
    "evaluation:scorecard_veto": ["api:evaluation_scorecard_veto"],
    "evaluation:scorecard_assign": ["api:evaluation_scorecard_assign"],
    "evaluation:scorecard_grade": ["api:evaluation_scorecard_grade"],
    # annual: 年度工作报告 (write, submit, check / return / receive)
    "annual:studio_year": ["api:annual_report_create", "api:annual_report_update"],
    "annual:submit": ["api:annual_report_submit"],
    "annual:decide": ["api:annual_report_check", "api:annual_report_return", "api:annual_report_receive"],
    # recommendations: 推荐申报 (new, draft, submit with confirmations, withdraw, outcome)
    "recommendations:new": ["api:recommendations_create"],
    "recommendations:edit": ["api:recommendations_update"],
    "recommendations:submit": ["api:recommendations_submit"],
    "recommendations:withdraw": ["api:recommendations_withdraw"],
    "recommendations:outcome": ["api:recommendations_outcome"],
    # oversight: the office's answer (the inspector's own note writes are `self` rows, mapped in oversight/api.py too)
    "oversight:note_answer": ["api:oversight_note_answer"],
    # integrations (issue 14): 工作消息机器人 and 重置两步验证 (integrations/api.py, administration/api.py, same services).
    # The second sign-in step, the authenticator and the calendar link are `self` rows (one's own account), not mapped.
    "integrations:webhook_create": ["api:create_webhook"],
    "integrations:webhook_detail": ["api:update_webhook"],
    "integrations:webhook_delete": ["api:delete_webhook"],
    "integrations:webhook_test": ["api:test_webhook"],
    "administration:user_reset_otp": ["api:system_reset_otp"],
}

# Page writes that have NO API operation yet, each with the reason — a known gap, listed so that it is visible (and
# reported), not silently exempt. Globs allowed. Remove an entry when its operations exist (then map it above).
KNOWN_GAPS: dict[str, str] = {}


def _gap(url):
    return any(fnmatch.fnmatchcase(url, pattern) for pattern in KNOWN_GAPS)


def _page_writes():
    return sorted(
        {
            row.url
            for row in load_matrix()
            if row.kind == "write"
            and row.method == "POST"
            and not row.url.startswith(("api:", "admin:"))
            and "*" not in row.url
        }
    )


def test_every_page_write_has_an_api_operation():
    missing = [url for url in _page_writes() if url not in PAGE_TO_API and not _gap(url)]
    assert not missing, (
        "Page writes with no API operation (add the operation, calling the same service, and map it in "
        "tests/security/test_api_parity.py PAGE_TO_API):\n" + "\n".join(missing)
    )


def test_the_mapping_names_only_page_writes_of_the_matrix():
    """A stale entry (a page that no longer exists or is no longer a write) is removed, not kept as decoration."""
    stale = sorted(set(PAGE_TO_API) - set(_page_writes()))
    assert not stale, "PAGE_TO_API names pages that are not page writes in permission_matrix.csv:\n" + "\n".join(stale)


@pytest.mark.django_db
def test_mapped_operations_exist_and_write():
    operations = _api_methods()
    wrong = [
        f"{page} → {op}: {sorted(operations.get(op, ())) or 'no such operation'}"
        for page, ops in PAGE_TO_API.items()
        for op in ops
        if not (operations.get(op, set()) & WRITE_METHODS)
    ]
    assert not wrong, "Mapped API operations that do not exist or do not write:\n" + "\n".join(wrong)
