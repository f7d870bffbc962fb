"""Builders for oversight tests: an application of a call (rows made directly: the flags only read them)."""

from applications.models import Application


def make_application(call, applicant, name="数控车工技能大师工作室"):
    return Application.objects.create(call=call, applicant=applicant, department=applicant.department, studio_name=name)
