from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "经费管理"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav

        from . import (
            indicators,
            panels,
            workflow,  # noqa: F401  (attaches WORKFLOW to Expenditure)
        )
        from .inbox import finance_inbox
        from .models import BudgetLine, Expenditure
        from .permissions import BudgetLinePolicy, ExpenditurePolicy

        register_policy(BudgetLine, BudgetLinePolicy())
        register_policy(Expenditure, ExpenditurePolicy())
        register_nav(NavItem("经费支出", "funds:expenditures", "cash-coin", order=50, group="经费管理"))
        register_nav(NavItem("经费预算", "funds:budgets", "wallet2", order=51, group="经费管理"))
        register_nav(
            NavItem(
                "预算执行情况",
                "funds:overview",
                "bar-chart",
                order=52,
                group="经费管理",
                roles=frozenset(
                    {
                        Role.FINANCE,
                        Role.TEACHING_AFFAIRS,
                        Role.DEV_OFFICE,
                        Role.DEPT_HEAD,
                        Role.INSPECTOR,
                        Role.LEADERSHIP,
                        Role.ADMIN,
                        Role.HR,
                        Role.COOP_OFFICE,
                    }
                ),
            )  # fmt: skip
        )
        register_nav(
            NavItem(
                "支出类别",
                "funds:categories",
                "tags",
                order=53,
                group="经费管理",
                roles=frozenset({Role.FINANCE, Role.ADMIN}),
            )  # fmt: skip
        )
        register_inbox(finance_inbox)
        panels.register()
        indicators.register()
        from archive.sources import register_source

        from .archive import vouchers

        register_source("funds.voucher", "other", vouchers, label="经费支出凭证")
