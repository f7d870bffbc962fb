from django.core.management.base import BaseCommand, CommandError

from core.audit import anchor_path, check_anchor, log_action, read_anchor, reset_anchor, verify_chain


class Command(BaseCommand):
    help = (
        "显示或重新建立审计日志的链头锚点（保存在数据库之外的文件中）。"
        "--reset 仅在哈希链完好时执行，并把旧锚点记入审计日志（如恢复较早的备份之后）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="以当前最后一条记录重新建立锚点")

    def handle(self, *args, reset=False, **options):
        if not reset:
            ok, message = check_anchor()
            self.stdout.write(f"锚点文件：{anchor_path()}\n{message}")
            if not ok:
                raise CommandError("链头锚点与审计日志不一致。")
            return
        checked, broken, reason = verify_chain()
        if broken is not None:
            raise CommandError(f"哈希链在第 {broken.pk} 号记录处断裂（{reason}），拒绝重新建立锚点。")
        try:
            previous = read_anchor()
        except ValueError:
            previous = {"unreadable": True}
        log_action(
            actor=None,
            action="core.audit.reanchored",
            object_type="core.auditevent",
            before=previous,
            note="运维人员以当前链头重新建立审计日志锚点。",
        )
        head = reset_anchor()
        self.stdout.write(self.style.SUCCESS(f"已重新建立锚点：第 {head[0]} 号记录（共 {checked + 1} 条）。"))
