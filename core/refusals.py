"""Refusal: an operation refused for a reason the person should read (a Chinese message), with nothing changed.

A view may let it propagate: core.middleware.RequestContextMiddleware renders templates/refused.html with the
message and the status; the API (config/api.py) answers {"detail": message} with the status. Used where the refusal
is found deep below the view, e.g. a document that takes too long to generate (reports.pdf.DocumentTimeout).
"""


class Refusal(Exception):
    status = 409
    title = "无法完成"

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class StorageFull(Refusal):
    """The disk (or quota) is full: the partial file was removed, nothing was saved (core/storage.py)."""

    status = 507
    title = "存储空间不足"

    def __init__(self):
        super().__init__("服务器存储空间不足，文件未保存，也未作任何更改。请稍后重试或联系系统管理员。")
