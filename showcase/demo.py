"""Demo (manage.py seed_demo): the demo master T2001 刘洋 marks his first honour public on the showcase (through
showcase.services, audited); the ledger demo already has a public landmark achievement. Idempotent."""

from accounts.models import User
from people.models import Honor

from . import services


def seed_demo(password):
    master = User.objects.filter(username="T2001").first()
    if master is None:
        return
    honor = Honor.objects.filter(user=master).select_related("user").order_by("-date", "pk").first()
    if honor is not None and not honor.is_public:
        services.set_honor_public(honor, by=master, public=True)
