"""manage.py send_reminders [--date YYYY-MM-DD]: send the reminders due today (annual/reminders.py). Run daily by
cron (README "定时任务"); idempotent — a second run on the same day sends nothing new."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from annual.reminders import run


class Command(BaseCommand):
    help = "发送到期提醒（年度工作报告截止前 14、7、1 天及逾期时提醒技能大师和联系人；其他模块登记的提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）计算提醒，用于测试或补发。")

    def handle(self, *args, **options):
        raw = options.get("date")
        if raw:
            try:
                today = dt.date.fromisoformat(raw)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        else:
            today = timezone.localdate()
        sent = run(today)
        total = sum(sent.values())
        detail = "，".join(f"{kind} {n} 条" for kind, n in sorted(sent.items()))
        self.stdout.write(f"{today:%Y-%m-%d}：已发送提醒 {total} 条" + (f"（{detail}）" if detail else "") + "。")
