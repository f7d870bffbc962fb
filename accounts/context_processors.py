from .permissions import may_use_api_tokens


def self_service(request):
    """Whether the header's menu offers 「API 令牌」 (core's processor knows nothing of roles)."""
    user = getattr(request, "user", None)
    return {"may_use_api_tokens": user is not None and user.is_authenticated and may_use_api_tokens(user)}
