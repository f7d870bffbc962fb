import errno
from contextvars import ContextVar

_current_request = ContextVar("current_request", default=None)


def current_request():
    """The request being served in this thread/task, or None (management commands, workers)."""
    return _current_request.get()


def client_ip(request):
    if request is None:
        return None
    # REMOTE_ADDR is set by gunicorn from the proxy's X-Forwarded-For only for trusted proxies (forwarded_allow_ips).
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Makes the request available to the audit log (IP address) without passing it through every service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        """A core.refusals.Refusal raised below a view becomes a Chinese page with its status (nothing was changed)."""
        from django.shortcuts import render

        from core.refusals import Refusal

        if isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT):
            from core.storage import StorageFull

            exception = StorageFull()  # e.g. the upload's temporary file could not be written
        if isinstance(exception, Refusal):
            context = {"title": exception.title, "message": exception.message}
            return render(request, "refused.html", context, status=exception.status)
        return None
