from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.snapshot import SnapshotError, backup


class Command(BaseCommand):
    help = "生成一致的备份快照：数据库 + 上传文件 + 含 SHA-256 的清单（manifest.json）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份目录（须为空或不存在）；默认 var/backups/<时间>/")

    def handle(self, *args, output=None, **options):
        target = output or settings.VAR_DIR / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S")
        try:
            manifest = backup(target)
        except SnapshotError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["database"]["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{target}（{manifest['vendor']}，{len(manifest['database']['rows'])} 张表 {rows} 行，"
                f"{len(manifest['files'])} 个上传文件）。"
            )
        )
