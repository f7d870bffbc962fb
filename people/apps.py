from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "人员与资历"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav

        from . import checks, models  # noqa: F401  (checks registers itself)
        from .inbox import inbox
        from .permissions import (
            AffiliationPolicy,
            DictionaryPolicy,
            EnterprisePolicy,
            EvidencePolicy,
            StaffProfilePolicy,
        )

        register_policy(models.StaffProfile, StaffProfilePolicy())
        register_policy(models.WorkPeriod, EvidencePolicy())
        register_policy(models.Honor, EvidencePolicy())
        register_policy(models.Enterprise, EnterprisePolicy())
        register_policy(models.ExternalAffiliation, AffiliationPolicy())
        register_policy(models.HonorKind, DictionaryPolicy())
        register_policy(models.PolicyVersion, DictionaryPolicy())

        register_inbox(inbox)
        register_nav(
            NavItem(
                "我的资历", "people:my_record", "person-vcard", frozenset({Role.STAFF}), order=40, group="人员与资历"
            )
        )
        register_nav(
            NavItem(
                "教职工档案",
                "people:staff_list",
                "person-lines-fill",
                frozenset(
                    {
                        Role.HR,
                        Role.DEPT_HEAD,
                        Role.TEACHING_AFFAIRS,
                        Role.DEV_OFFICE,
                        Role.INSPECTOR,
                        Role.LEADERSHIP,
                        Role.ADMIN,
                    }
                ),
                order=60,
                group="人员与资历",
            )
        )
        register_nav(
            NavItem(
                "合作企业",
                "people:enterprise_list",
                "buildings",
                frozenset(
                    {
                        Role.COOP_OFFICE,
                        Role.TEACHING_AFFAIRS,
                        Role.DEV_OFFICE,
                        Role.INSPECTOR,
                        Role.LEADERSHIP,
                        Role.ADMIN,
                    }
                ),
                order=65,
                group="人员与资历",
            )
        )
