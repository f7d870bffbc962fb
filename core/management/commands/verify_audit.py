from django.core.management.base import BaseCommand, CommandError

from core.audit import check_anchor, verify_chain


class Command(BaseCommand):
    help = (
        "校验审计日志：哈希链（覆盖每条记录的全部字段）、每条记录的密钥签名，以及链头锚点（发现末尾记录被删除）。"
        "报告第一条被篡改、删除或插入的记录。"
    )

    def handle(self, *args, **options):
        checked, broken, reason = verify_chain()
        if broken is not None:
            raise CommandError(
                f"审计日志校验失败：第 {broken.pk} 号记录（{broken.action}，{broken.at:%Y-%m-%d %H:%M:%S}）{reason}。"
                f"此前 {checked} 条记录完好。"
            )
        ok, message = check_anchor()
        if not ok:
            raise CommandError(f"审计日志校验失败：{message}。哈希链本身完好（{checked} 条记录）。")
        self.stdout.write(self.style.SUCCESS(f"审计日志完好：共校验 {checked} 条记录；{message}。"))
