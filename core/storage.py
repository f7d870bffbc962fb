"""The media storage: Django's FileSystemStorage that leaves nothing behind when the disk is full.

A write that fails with OSError (no space, quota, I/O error) removes the partial file and raises StorageFull, a
core.refusals.Refusal (HTTP 507 with a Chinese message on pages and in the API); the service's transaction rolls
back, so no row points to a missing or truncated file.

Each file saved while a person is signed in is recorded in core.StoredFile with its size; a file that would take
that person past UPLOAD_QUOTA_MB (default 500) in total is refused in Chinese before anything is written.
"""

import contextlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db.models import Sum

from core.middleware import current_request
from core.models import StoredFile
from core.refusals import StorageFull

__all__ = ["SafeFileSystemStorage", "StorageFull", "check_quota"]


def _uploader():
    """The signed-in person whose request is saving the file (None for commands, workers and tests without one)."""
    user = getattr(current_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


def check_quota(owner, size):
    """Refuse (ValidationError, Chinese) a file that would take `owner` past UPLOAD_QUOTA_MB in total."""
    quota = settings.UPLOAD_QUOTA_MB * 1024 * 1024
    used = StoredFile.objects.filter(owner=owner).aggregate(total=Sum("size"))["total"] or 0
    if used + size > quota:
        raise ValidationError(
            f"您已上传的文件共 {used / 1048576:.1f} MB，再上传此文件（{size / 1048576:.1f} MB）将超过每人 "
            f"{settings.UPLOAD_QUOTA_MB} MB 的上限。请先删除不再需要的文件，或联系系统管理员。",
            code="quota",
        )


class SafeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        owner = _uploader()
        size = content.size
        if owner is not None:
            check_quota(owner, size)
        saved = self._write(name, content)
        if owner is not None:
            StoredFile.objects.create(name=saved, owner=owner, size=size)
        return saved

    def delete(self, name):
        super().delete(name)
        StoredFile.objects.filter(name=name).delete()

    def _write(self, name, content):
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError:
            # super()._save creates the file under `name` (exclusively) before writing: remove what was written.
            # get_available_name ran before, so `name` is ours, not someone else's file.
            with contextlib.suppress(OSError):
                os.remove(self.path(name))
            raise StorageFull() from None
