"""Studio.level where people see it: the studio list (column, filter, xlsx), the studio API and the public showcase
studio page."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from studios.services import set_level
from tests.factories import DepartmentFactory, UserFactory

from .helpers import city_ready_studio

pytestmark = pytest.mark.django_db


def test_level_on_list_filter_export_api_and_showcase(client, teaching_affairs):
    dept = DepartmentFactory(code="RLV", name="级别测试系")
    dev = UserFactory(department=None, roles=[Role.DEV_OFFICE])
    city, _m, _ = city_ready_studio(dept, name="市级工作室甲")
    school, _m2, _ = city_ready_studio(dept, name="校级工作室乙")
    set_level(city, by=dev, level="city", reason="市级认定文件")
    client.force_login(teaching_affairs)
    page = client.get(reverse("studios:list") + "?level=city").content.decode()
    assert "市级工作室甲" in page and "校级工作室乙" not in page and "全部级别" in page
    export = client.get(reverse("studios:list_export") + "?level=city")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "级别" in r)
    data = [r for r in rows if "市级工作室甲" in r]
    assert len(data) == 1 and data[0][header.index("级别")] == "市级"
    assert not [r for r in rows if "校级工作室乙" in r]
    body = client.get(f"/api/v1/studios/{city.pk}").json()
    assert body["level"] == "city" and body["level_label"] == "市级"
    client.logout()
    public = client.get(reverse("showcase:studio", args=[city.pk])).content.decode()
    assert "市级技能大师工作室" in public
    assert school.level == "school"
