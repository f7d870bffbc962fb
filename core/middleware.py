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
