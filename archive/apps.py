from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """档案管理 (R15): the studio archive by the policy's categories, computed from the ledger and plans plus documents
    uploaded directly; year-end archiving (归档) that freezes a studio-year; addenda; verifiable zip packages."""

    name = "archive"
    verbose_name = "档案管理"

    def ready(self):
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_nav
        from studios.freeze import register_freeze_check

        from . import filing, indicators
        from .models import Addendum, ArchiveDocument, ArchivePackage, YearArchive
        from .permissions import ArchivePolicy, StudioYear
        from .services import frozen_check

        policy = ArchivePolicy()
        for model in (StudioYear, ArchiveDocument, ArchivePackage, YearArchive, Addendum):
            register_policy(model, policy)
        register_freeze_check(frozen_check)
        filing.register()
        indicators.register()
        register_nav(NavItem("工作室档案", "archive:index", "archive", order=60, group="档案管理"))
