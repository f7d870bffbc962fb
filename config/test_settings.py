"""Test settings: the real database engine of DATABASE_URL, a fast password hasher, no real mail or queue."""

import os

os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

from config.settings import *  # noqa: E402,F403
from config.settings import STATIC_ROOT, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / f"test-media{os.environ.get('TEST_DB_SUFFIX', '')}"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflowapp"]  # noqa: F405
# Forked worker processes in race tests must not share pooled sockets with their parent.
DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
# Serve static files from the finders in tests (live_server, browser tests) without needing collectstatic first.
WHITENOISE_USE_FINDERS = True
# Two-factor off for the suite: its sessions come from force_login, not the sign-in page. The OTP tests
# (accounts/tests/test_otp.py) switch the production default back on (settings.OTP_REQUIRED_FOR).
OTP_REQUIRED_FOR = frozenset()
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(exist_ok=True)
