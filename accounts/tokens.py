"""One-time links that let a person set his password: first-login activation and 忘记密码.

Django's PasswordResetTokenGenerator pattern: the token is an HMAC (SECRET_KEY) over the user's id, password hash,
last sign-in and e-mail, with a timestamp. Setting the password changes the hash, so a link works once; each kind has
its own salt (an activation link is not a reset link) and its own lifetime.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode


class _TimedTokenGenerator(PasswordResetTokenGenerator):
    def lifetime_seconds(self) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def check_token(self, user, token):
        if not (user and token) or not isinstance(token, str) or len(token) > 64:
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= self.lifetime_seconds()


class ActivationTokenGenerator(_TimedTokenGenerator):
    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def lifetime_seconds(self):
        return settings.ACCOUNT_ACTIVATION_DAYS * 86400


class PasswordResetLinkGenerator(_TimedTokenGenerator):
    key_salt = "accounts.tokens.PasswordResetLinkGenerator"

    def lifetime_seconds(self):
        return settings.PASSWORD_RESET_MINUTES * 60


activation_tokens = ActivationTokenGenerator()
reset_tokens = PasswordResetLinkGenerator()


def encode_uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_for_uid(uidb64):
    """The active user a link's uid names, or None (bad encoding, huge number, unknown or disabled account)."""
    from .models import User

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
