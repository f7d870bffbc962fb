from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_report


class Command(BaseCommand):
    help = (
        "校验审计日志：哈希链（覆盖每条记录的全部字段）、每条记录的密钥签名，以及链头锚点（发现末尾记录被删除）。"
        "报告第一条被篡改、删除或插入的记录。"
    )

    def handle(self, *args, **options):
        ok, message, _broken = audit_report()
        if not ok:
            raise CommandError(message)
        self.stdout.write(self.style.SUCCESS(message))
