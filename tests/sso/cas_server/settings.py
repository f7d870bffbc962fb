"""A throw-away CAS server (django-mama-cas) for tests/sso: run in its own process by the cas_server fixture, with
its own SQLite file (CAS_TEST_DB). It knows its own users and passwords; it issues and validates service tickets
(CAS 2.0 and 3.0, with attributes) and sends back-channel single-logout requests to the services that used them."""

import os

SECRET_KEY = "cas-test-server-only-not-a-secret"  # noqa: S105 (throw-away test server)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "mama_cas",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.sso.cas_server.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CAS_TEST_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
# Cookies are not kept apart by port: on 127.0.0.1 the CAS server's cookies must not be named like ours.
SESSION_COOKIE_NAME = "cas_sessionid"
CSRF_COOKIE_NAME = "cas_csrftoken"
# Every service may use this server; tickets carry the name attributes; single logout is sent to each service.
MAMA_CAS_SERVICES = [
    {
        "SERVICE": r"^https?://",
        "CALLBACKS": ["tests.sso.cas_server.callbacks.school_attributes"],
        "LOGOUT_ALLOW": True,
    }
]
MAMA_CAS_FOLLOW_LOGOUT_URL = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
