import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from ops.scale import PREFIX, seed_scale


class Command(BaseCommand):
    help = "生成城市规模的测试数据（--scale 1 ≈ 100 所学校：2 万教职工、5 千份申报及评审、表决、异议、附件元数据）。仅用于基准测试。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数（默认 1.0）")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        if User.objects.filter(username__startswith=PREFIX, username__regex=r"^S[0-9]{6}$").exists():
            raise CommandError("数据库中已有规模测试数据（用户名 S000000 起）。请在空数据库上运行。")
        started = time.perf_counter()
        counts = seed_scale(scale=scale, seed=seed)
        summary = "，".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"规模数据已生成（{time.perf_counter() - started:.1f} 秒）：{summary}"))
