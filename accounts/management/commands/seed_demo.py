"""Idempotent demo data: departments and majors of an industrial school, and one demo user per role."""

import os

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.enums import Role
from accounts.models import Department, Major, RoleAssignment, User
from core.audit import log_action

DEPARTMENTS = [
    ("JX", "机械工程系", [("JX01", "数控技术应用"), ("JX02", "机械加工技术"), ("JX03", "模具制造技术")]),
    ("DQ", "电气工程系", [("DQ01", "电气运行与控制"), ("DQ02", "机电技术应用"), ("DQ03", "工业机器人技术应用")]),
    ("XX", "信息技术系", [("XX01", "计算机应用"), ("XX02", "软件与信息服务"), ("XX03", "网络信息安全")]),
    ("QC", "汽车工程系", [("QC01", "汽车运用与维修"), ("QC02", "新能源汽车运用与维修")]),
    ("JG", "经济管理系", [("JG01", "会计事务"), ("JG02", "电子商务")]),
]

# (username, name, department code, roles); the demo password is printed, never a production default.
DEMO_USERS = [
    ("T1001", "张明", "JX", [Role.STAFF]),
    ("T1002", "李华", "JX", [Role.STAFF]),
    ("T1003", "王强", "JX", [Role.STAFF]),
    ("T1004", "赵磊", "JX", [Role.STAFF]),
    ("T2001", "刘洋", "DQ", [Role.STAFF]),
    ("H1001", "陈建国", "JX", [Role.DEPT_HEAD]),
    ("H2001", "周立新", "DQ", [Role.DEPT_HEAD]),
    ("J0001", "孙丽", None, [Role.TEACHING_AFFAIRS]),
    ("E0001", "吴教授", "XX", [Role.EXPERT]),
    ("E0002", "郑工程师", "QC", [Role.EXPERT]),
    ("C0001", "冯委员", "DQ", [Role.COMMITTEE]),
    ("C0002", "何委员", "XX", [Role.COMMITTEE]),
    ("C0003", "许委员", "JG", [Role.COMMITTEE]),
    # Five or more members: the meeting form's default quorum is 5.
    ("C0004", "曹委员", "QC", [Role.COMMITTEE]),
    ("C0005", "彭委员", "XX", [Role.COMMITTEE]),
    ("C0006", "韩委员", "JG", [Role.COMMITTEE]),
    ("F0001", "钱会计", None, [Role.FINANCE]),
    ("D0001", "马研究员", None, [Role.DEV_OFFICE]),
    ("R0001", "林人事", None, [Role.HR]),
    ("Q0001", "高主任", None, [Role.COOP_OFFICE]),
    ("K0001", "罗纪检", None, [Role.INSPECTOR]),
    ("L0001", "黄校长", None, [Role.LEADERSHIP]),
    ("admin", "系统管理员", None, [Role.ADMIN]),
]


class Command(BaseCommand):
    help = "写入演示数据（可重复执行）：系部、专业、每个角色一个演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "Demo@2026"))
        parser.add_argument("--quiet", action="store_true")

    @transaction.atomic
    def handle(self, *args, password, quiet, **options):
        departments = {}
        for code, name, majors in DEPARTMENTS:
            dept, _ = Department.objects.get_or_create(code=code, defaults={"name": name})
            departments[code] = dept
            for major_code, major_name in majors:
                Major.objects.get_or_create(code=major_code, defaults={"name": major_name, "department": dept})
        created = 0
        for username, name, dept_code, roles in DEMO_USERS:
            dept = departments.get(dept_code)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username, display_name=name, department=dept, email=f"{username.lower()}@school.example"
                )
                user.set_password(password)
                if Role.ADMIN in roles:
                    user.is_staff = True
                    user.is_superuser = True
                user.save()
                created += 1
                log_action(actor=None, action="accounts.user.created", obj=user, note="seed_demo")
            for role in roles:
                if role == Role.STAFF:
                    continue  # every internal user is staff
                head_of = dept if role == Role.DEPT_HEAD else None
                _, new = RoleAssignment.objects.get_or_create(user=user, role=role, department=head_of)
                if new:
                    log_action(
                        actor=None,
                        action="accounts.role.assigned",
                        obj=user,
                        after={"role": role.value},
                        note="seed_demo",
                    )
        self._extend(password)
        if not quiet:
            self.stdout.write(f"演示数据就绪（新建用户 {created} 个）。演示账号（密码均为 {password}）：")
            for username, name, dept_code, roles in DEMO_USERS:
                labels = "、".join(Role(r).label for r in roles)
                dept = departments[dept_code].name if dept_code else ""
                self.stdout.write(f"  {username:<8} {name:<6} {labels} {dept}")

    def _extend(self, password):
        """Hook for later apps' demo rows (enterprises, calls…): each adds a `seed_demo` function to its module."""
        from importlib import import_module

        from django.conf import settings

        for name in settings.PROJECT_APPS:
            try:
                module = import_module(f"{name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{name}.demo":
                    raise
                continue
            module.seed_demo(password=password)
