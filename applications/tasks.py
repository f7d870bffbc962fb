"""Background tasks of the application process (django-tasks-db worker)."""

from django.tasks import task


@task()
def announce_publicity_task(*, publicity_id):
    """At the start of a 公示 published ahead of time: tell every staff member (once, see announce_publicity)."""
    from .services.publicity import announce_publicity

    announce_publicity(publicity_id)
