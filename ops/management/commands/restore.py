from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ops.snapshot import SnapshotError, restore


class Command(BaseCommand):
    help = "把 backup 生成的快照恢复到空数据库与空上传目录，核对清单中的 SHA-256 与行数，再校验审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup 生成的目录")
        parser.add_argument("--force", action="store_true", help="目标不为空时仍然覆盖")

    def handle(self, *args, source, force, **options):
        try:
            manifest = restore(source, force=force)
        except SnapshotError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["database"]["rows"].values())
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{rows} 行，{len(manifest['files'])} 个上传文件。"))
        call_command("verify_audit", stdout=self.stdout)
