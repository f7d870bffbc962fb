from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与组织"

    def ready(self):
        from core.navigation import NavItem, register_nav

        from . import signals  # noqa: F401  (every sign-in, failure and sign-out is audited there)
        from .enums import Role
        from .models import Department, Major, User
        from .permissions import DepartmentPolicy, UserPolicy, register_policy

        register_policy(User, UserPolicy())
        register_policy(Department, DepartmentPolicy())
        register_policy(Major, DepartmentPolicy())

        register_nav(
            NavItem(
                "用户与组织",
                "accounts:user_list",
                "people",
                frozenset(
                    {Role.ADMIN, Role.HR, Role.TEACHING_AFFAIRS, Role.DEPT_HEAD, Role.INSPECTOR, Role.LEADERSHIP}
                ),
                order=80,
                group="系统管理",
            )
        )
        register_nav(
            NavItem(
                "审计日志",
                "core:audit_list",
                "shield-check",
                frozenset({Role.ADMIN, Role.INSPECTOR}),
                order=90,
                group="监督",
            )
        )
