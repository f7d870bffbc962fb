"""Background tasks of the archive (django-tasks-db worker)."""

from django.tasks import task

from .package import build_package


@task()
def build_package_task(*, package_id):
    """Build one archive package (archive.package.build_package); progress is written on the ArchivePackage row."""
    build_package(package_id)
