"""The media storage: Django's FileSystemStorage that leaves nothing behind when the disk is full.

A write that fails with OSError (no space, quota, I/O error) removes the partial file and raises StorageFull, a
core.refusals.Refusal (HTTP 507 with a Chinese message on pages and in the API); the service's transaction rolls
back, so no row points to a missing or truncated file.
"""

import contextlib
import os

from django.core.files.storage import FileSystemStorage

from core.refusals import Refusal


class StorageFull(Refusal):
    status = 507
    title = "存储空间不足"

    def __init__(self):
        super().__init__("服务器存储空间不足，文件未保存，也未作任何更改。请稍后重试或联系系统管理员。")


class SafeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
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
