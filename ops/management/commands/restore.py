from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.audit import check_anchor, log_action, read_anchor, reset_anchor, verify_chain
from ops.snapshot import SnapshotError, restore


class Command(BaseCommand):
    help = (
        "把 backup 生成的快照恢复到空数据库与空上传目录：先核对清单签名（AUDIT_HMAC_KEY）与 SHA-256，恢复后核对行数，"
        "再校验审计日志并重新建立链头锚点。"
    )

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
        self._reanchor(manifest)
        call_command("verify_audit", stdout=self.stdout)

    def _reanchor(self, manifest):
        """The restored chain is authentic (signed manifest, verified MACs); the anchor outside the database may be
        missing (new server) or ahead of it (an older backup: the rows written after it are lost). Re-anchor on the
        restored head, and record the loss when the old anchor was ahead."""
        checked, broken, reason = verify_chain()
        if broken is not None:
            raise CommandError(f"恢复后的审计日志在第 {broken.pk} 号记录处校验失败：{reason}。")
        ok, message = check_anchor()
        if ok and read_anchor() is not None:
            return
        try:
            previous = read_anchor()
        except ValueError:
            previous = {"unreadable": True}
        if previous is not None:
            log_action(
                actor=None,
                action="ops.backup.restored",
                object_type="core.auditevent",
                before={"anchor": previous},
                after={"backup_created_at": manifest.get("created_at"), "rows": checked},
                note=f"从备份恢复后重新建立审计日志锚点。恢复前：{message}。",
            )
            self.stdout.write(self.style.WARNING(f"注意：{message}（备份之后写入的记录已不在恢复的数据库中）。"))
        reset_anchor()
