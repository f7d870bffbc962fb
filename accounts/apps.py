from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与组织"

    def ready(self):
        from core import roles as role_rules
        from core.navigation import NavItem, register_nav

        from . import (
            cas,  # noqa: F401  (its receiver keeps single logout working when a session id is renewed)
            ldap,  # noqa: F401  (its system check accounts.E101 vets LDAP_GROUP_ROLES)
            otp,  # noqa: F401  (its user_logged_in receiver starts the second sign-in step)
            signals,  # noqa: F401  (every sign-in, failure and sign-out is audited there)
        )
        from .enums import READ_ONLY_ROLES, Role
        from .models import Department, Major, User
        from .permissions import (
            READ_ONLY_MESSAGE,
            DepartmentPolicy,
            UserPolicy,
            has_role,
            is_read_only,
            register_policy,
        )

        # core asks its role questions (workflow moves, the side menu) through core.roles: the answers are ours.
        role_rules.install(
            role_rules.RoleRules(
                has_role=has_role,
                is_read_only=is_read_only,
                read_only_message=READ_ONLY_MESSAGE,
                read_only_roles=READ_ONLY_ROLES,
                role_label=lambda code: Role(code).label if code in Role.values else code,
            )
        )
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
