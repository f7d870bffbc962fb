"""Year-end archiving from a shell (cron at the start of January, see README): archive one studio's year or every
active studio's, then build each archived studio-year's package synchronously (the same builder as the page's
background task)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.enums import Role
from archive import services
from archive.models import PackageStatus, YearArchive
from archive.package import build_package, package_path
from studios.models import Studio


class Command(BaseCommand):
    help = "年度归档：归档指定年度（一个或全部工作室），并为每个已归档的工作室年度生成档案包。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2026")
        parser.add_argument("--studio", type=int, help="工作室编号（不填则为全部在建工作室）")
        parser.add_argument("--by", help="办理人工号（须为教学工作部；不填则取第一位教学工作部人员）")
        parser.add_argument("--override", default="", help="有缺项时的放行理由（不填则有缺项的工作室不归档）")
        parser.add_argument("--no-package", action="store_true", help="只归档，不生成档案包")

    def _actor(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
        else:
            user = users.filter(role_assignments__role=Role.TEACHING_AFFAIRS).order_by("pk").first()
        if user is None:
            raise CommandError("找不到办理人：请用 --by 指定教学工作部人员的工号。")
        return user

    def handle(self, *args, year, studio=None, by=None, override="", no_package=False, **options):
        actor = self._actor(by)
        try:
            if studio:
                target = Studio.objects.filter(pk=studio).first()
                if target is None:
                    raise CommandError(f"工作室 {studio} 不存在。")
                if not services.is_archived(target.pk, year):
                    services.archive_year(target, year, by=actor, override_reason=override)
                studios = [target.pk]
            else:
                archived, refused = services.archive_all(year, by=actor, override_reason=override)
                for name, reason in refused:
                    self.stderr.write(f"未归档：{name}：{reason}")
                studios = list(YearArchive.objects.filter(year=year).values_list("studio_id", flat=True))
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(f"{year}年度已归档的工作室：{len(studios)} 个。")
        if no_package:
            return
        failed = 0
        for studio_id in studios:
            package = services.start_package(studio_id, year, by=actor, run=False)
            package = build_package(package.pk)
            if package.status == PackageStatus.DONE:
                self.stdout.write(f"档案包：{package_path(package)}  SHA-256 {package.sha256}")
            else:
                failed += 1
                self.stderr.write(f"工作室 {studio_id} 的档案包{package.error}")
        if failed:
            raise CommandError(f"{failed} 个档案包生成失败。")
