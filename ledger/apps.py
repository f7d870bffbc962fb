from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "建设记录"

    def ready(self):
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav

        from . import workflow  # noqa: F401  (attaches WORKFLOW to each record model)
        from .inbox import review_inbox
        from .permissions import LedgerRecordPolicy
        from .types import TYPES

        policy = LedgerRecordPolicy()
        for record_type in TYPES.values():
            register_policy(record_type.model, policy)
        register_nav(NavItem("建设记录", "ledger:index", "journal-check", order=35, group="工作室建设"))
        register_inbox(review_inbox)
        from . import panels

        panels.register()
