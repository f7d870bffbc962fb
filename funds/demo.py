"""Demo rows (manage.py seed_demo): the demo studio of T2001 刘洋 gets this year's budget (学校运行经费 for 设备, 材料
and 培训 entered by 财务部 F0001; a 系部配套 share for 材料 entered by the head of 电气工程系 H2001) and four expenditures:
two confirmed, one waiting for 财务部 (待确认支出), one draft — all through funds.services (audited, budget-checked).
Idempotent: nothing is added when the studio already has budget lines for the year."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from studios.models import Studio

from . import services
from .models import BudgetLine, SpendingCategory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUDGET = (
    ("school", "equipment", "50000.00", "实训设备更新"),
    ("school", "materials", "12000.00", "实训耗材"),
    ("school", "training", "8000.00", "师资培训"),
)
SPENDING = (
    ("equipment", "18600.00", "重庆某数控设备有限公司", "数控车床刀塔维修与更换", "confirmed"),
    ("materials", "2345.60", "某五金机电商行", "实训用棒料、刀片", "confirmed"),
    ("training", "3200.00", "市职业技能鉴定中心", "骨干教师技师研修培训费", "submitted"),
    ("materials", "860.00", "某电子元器件商行", "技能竞赛集训用元器件", "draft"),
)


def seed_demo(password):
    master = User.objects.filter(username="T2001").first()
    finance = User.objects.filter(username="F0001").first()
    head = User.objects.filter(username="H2001").first()
    studio = Studio.objects.filter(master=master, status="active").order_by("pk").first() if master else None
    if studio is None or finance is None:
        return
    today = timezone.localdate()
    if BudgetLine.objects.filter(studio=studio, year=today.year).exists():
        return
    services.ensure_default_categories()
    categories = {c.code: c for c in SpendingCategory.objects.all()}
    for source, code, amount, note in BUDGET:
        services.create_budget_line(
            by=finance, studio=studio, year=today.year, source=source, category=categories[code], amount=amount,
            note=note,
        )  # fmt: skip
    if head is not None and studio.department_id == head.department_id:
        services.create_budget_line(
            by=head, studio=studio, year=today.year, source="department", category=categories["materials"],
            amount="5000.00", note="系部专业建设经费配套",
        )  # fmt: skip
    for i, (code, amount, payee, description, status) in enumerate(SPENDING):
        on = max(today - dt.timedelta(days=40 - 10 * i), dt.date(today.year, 1, 1))
        expenditure = services.create_expenditure(
            by=master,
            studio=studio,
            data={"date": on, "amount": amount, "source": "school", "category": categories[code], "payee": payee,
                  "description": description},
            voucher=SimpleUploadedFile(f"发票{i + 1}.pdf", PDF, content_type="application/pdf"),
            submit=status != "draft",
        )  # fmt: skip
        if status == "confirmed":
            services.confirm_expenditure(expenditure, by=finance)
