"""我的工作台: expenditures waiting for 财务部 (待确认支出): a queryset, counted by core.navigation.inbox_for."""

from django.urls import reverse

from core.navigation import InboxEntry

from .enums import ExpenditureStatus
from .models import Expenditure
from .permissions import is_finance


def finance_inbox(user):
    if not is_finance(user):
        return []
    count = Expenditure.objects.filter(status=ExpenditureStatus.SUBMITTED)
    return [
        InboxEntry("待确认的经费支出", count, reverse("funds:expenditures") + "?status=submitted", icon="cash-coin")
    ]
