"""Settings, read from the environment. See README "配置" for every variable."""

import ipaddress
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key():
    """Use SECRET_KEY from the environment, else one generated once into var/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SCHOOL_NAME = os.environ.get("SCHOOL_NAME", "重庆市工业学校")
PLATFORM_NAME = "技能大师工作室管理平台"
# 个人中心 offers API tokens to the officer roles only (accounts/self_service.py); 1 opens it to everybody.
API_TOKENS_FOR_EVERYONE = env_bool("API_TOKENS_FOR_EVERYONE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "django_otp",  # two-factor (accounts/otp.py): TOTP devices and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Our apps, in dependency order (docs/domain.md §6 layout). Each may have api.py (router) and demo.py (seed_demo()).
PROJECT_APPS = [
    "core",
    "accounts",
    "people",
    "applications",
    "studios",
    "ledger",
    "plans",
    "archive",
    "funds",
    "news",
    "annual",
    "evaluation",
    "recommendations",
    "oversight",
    "showcase",
    "insights",
    "integrations",
    "ops",
    "reports",
    "workspace",
    "administration",
]
INSTALLED_APPS += PROJECT_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.otp.OTPRequiredMiddleware",  # a password-only session of an OTP role goes to the second step
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
                "accounts.context_processors.self_service",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------------
# SQLite (embedded default): WAL + BEGIN IMMEDIATE + a 20 s busy timeout. Measured here: Django's default SQLite settings
# fail ~40% of concurrent writes with "database is locked"; WAL + IMMEDIATE fails none.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA cache_size=-64000;PRAGMA busy_timeout=20000;"
    ),
}
# Lets several test runs (CI, helpers, benchmarks) use separate file-based test databases side by side.
TEST_DB_SUFFIX = os.environ.get("TEST_DB_SUFFIX", "")

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = dict(SQLITE_OPTIONS)
    # A file, not :memory:, so tests that start several processes share one database.
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test_db{TEST_DB_SUFFIX}.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # jit=off: PostgreSQL's JIT compiles a statement whose estimated cost passes jit_above_cost; the indicator
    # UNION of a plan-vs-actual page (plans/indicators.py, ~1,800 expressions) spent 9.7 s compiling to run in 50 ms.
    # Our statements are short OLTP reads; JIT never pays for itself here. DB_JIT=1 turns it back on.
    _timeouts = (
        f"-c jit={'on' if env_bool('DB_JIT', False) else 'off'} "
        f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30000)} "
        f"-c lock_timeout={env_int('DB_LOCK_TIMEOUT_MS', 10000)} "
        f"-c idle_in_transaction_session_timeout={env_int('DB_IDLE_TX_TIMEOUT_MS', 60000)}"
    )
    _db["OPTIONS"] = {"options": _timeouts}
    if env_bool("DB_POOL", True):
        _db["OPTIONS"]["pool"] = {
            "min_size": env_int("DB_POOL_MIN", 1),
            "max_size": env_int("DB_POOL_MAX", 10),
            "timeout": 10,
        }
        _db["CONN_MAX_AGE"] = 0
    if TEST_DB_SUFFIX:
        _db["TEST"] = {"NAME": f"test_{_db['NAME']}{TEST_DB_SUFFIX}"}
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security (等保2.0 第三级 expectations; see docs/security.md) -------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CHAR_CLASSES = env_int("PASSWORD_MIN_CHAR_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHAR_CLASSES},
    },
]
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
# Failures of one 工号 from all addresses together: from the Nth on, each further attempt waits 1, 2, 4 … seconds
# (capped), a growing delay rather than a lockout (docs/security.md "Sign-in throttling").
LOGIN_ACCOUNT_DELAY_AFTER = env_int("LOGIN_ACCOUNT_DELAY_AFTER", 10)
LOGIN_ACCOUNT_MAX_DELAY_SECONDS = env_int("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 60)
# Every way in goes through accounts:login; this backend refuses a locked/delayed 工号 before any password hash.
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]
# 统一身份认证 (issue 14; README "统一身份认证（CAS）" and "LDAP / Active Directory 登录"). Off unless set; accounts/sso.py.
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "").strip()  # e.g. https://ids.school.example/cas
CAS_VERSION = os.environ.get("CAS_VERSION", "3").strip()  # "3" (/p3/serviceValidate, attributes) or "2"
CAS_SERVICE_BASE_URL = os.environ.get("CAS_SERVICE_BASE_URL", "").strip()  # our public address, e.g. behind nginx
CAS_STAFF_NO_ATTRIBUTE = os.environ.get("CAS_STAFF_NO_ATTRIBUTE", "").strip()  # empty: <cas:user> is the 工号
CAS_NAME_ATTRIBUTE = os.environ.get("CAS_NAME_ATTRIBUTE", "").strip()
CAS_EMAIL_ATTRIBUTE = os.environ.get("CAS_EMAIL_ATTRIBUTE", "").strip()
CAS_CREATE_UNKNOWN = env_bool("CAS_CREATE_UNKNOWN", False)  # unknown 工号: a disabled account for 人事部 to complete
CAS_SINGLE_LOGOUT = env_bool("CAS_SINGLE_LOGOUT", True)  # our 退出 also signs out of the CAS server
CAS_TIMEOUT_S = env_int("CAS_TIMEOUT_S", 10)
if CAS_SERVER_URL and not CAS_SERVER_URL.startswith(("https://", "http://")):
    raise ValueError("CAS_SERVER_URL must be an https:// (or http://) address")
LDAP_SERVER_URI = os.environ.get("LDAP_SERVER_URI", "").strip()  # ldap://dc.school.example or ldaps://…:636
LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
LDAP_TLS_CA_FILE = os.environ.get("LDAP_TLS_CA_FILE", "").strip()
LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "").strip()  # empty: anonymous search
LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")
LDAP_USER_SEARCH_BASE = os.environ.get("LDAP_USER_SEARCH_BASE", "").strip()
LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "(uid=%(user)s)").strip()
LDAP_STAFF_NO_ATTRIBUTE = os.environ.get("LDAP_STAFF_NO_ATTRIBUTE", "uid").strip()
LDAP_NAME_ATTRIBUTE = os.environ.get("LDAP_NAME_ATTRIBUTE", "cn").strip()
LDAP_EMAIL_ATTRIBUTE = os.environ.get("LDAP_EMAIL_ATTRIBUTE", "mail").strip()
LDAP_GROUP_SEARCH_BASE = os.environ.get("LDAP_GROUP_SEARCH_BASE", "").strip()
LDAP_GROUP_FILTER = os.environ.get("LDAP_GROUP_FILTER", "(&(objectClass=groupOfNames)(member=%(dn)s))").strip()
LDAP_GROUP_ROLES = os.environ.get("LDAP_GROUP_ROLES", "").strip()  # JSON: {"cn=…,ou=groups,…": "finance", …}
if LDAP_GROUP_ROLES:  # checked in full (known role codes) by the accounts.E101 system check
    _group_roles = json.loads(LDAP_GROUP_ROLES)
    if not isinstance(_group_roles, dict) or {"admin", "dept_head", "staff"} & set(map(str, _group_roles.values())):
        raise ValueError(
            "LDAP_GROUP_ROLES: a JSON object of group DN → role; admin is never granted from the directory"
        )
LDAP_CREATE_UNKNOWN = env_bool("LDAP_CREATE_UNKNOWN", False)
LDAP_TIMEOUT_S = env_int("LDAP_TIMEOUT_S", 10)
# Who still signs in with a password kept here: "all", or "admin-only" (系统管理员; the way in when CAS/LDAP is down).
LOCAL_LOGIN = os.environ.get("LOCAL_LOGIN", "admin-only" if CAS_SERVER_URL or LDAP_SERVER_URI else "all").strip()
if LOCAL_LOGIN not in ("all", "admin-only"):
    raise ValueError("LOCAL_LOGIN must be 'all' or 'admin-only'")
if CAS_SERVER_URL or LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS = [
        "accounts.sso.LocalPasswordBackend",  # throttle first, then a local password where LOCAL_LOGIN allows it
        *(["accounts.ldap.LdapBackend"] if LDAP_SERVER_URI else []),
        *(["accounts.cas.CasBackend"] if CAS_SERVER_URL else []),
    ]
# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated; core.middleware.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ValueError(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
# One-time links: first-login activation (issued by an officer) and 忘记密码 (requested by the owner).
ACCOUNT_ACTIVATION_DAYS = env_int("ACCOUNT_ACTIVATION_DAYS", 7)
PASSWORD_RESET_MINUTES = env_int("PASSWORD_RESET_MINUTES", 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# Sliding idle timeout: accounts.middleware.SessionLifetimeMiddleware saves the session again (moving its expiry) at
# most once per SESSION_REFRESH_SECONDS, instead of an UPDATE on every request.
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# API list pages: an unbounded ?limit= reaches the database as LIMIT <huge> (a 500 on PostgreSQL, found by
# schemathesis); larger values are refused with 422.
NINJA_PAGINATION_MAX_LIMIT = env_int("API_MAX_LIMIT", 500)

# --- Internationalisation -------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end files copied out of node_modules by `make` (only what pages load; see the Makefile's vendor target).
VENDOR_DIR = BASE_DIR / "assets"
STATICFILES_DIRS = [BASE_DIR / "static", *([VENDOR_DIR] if VENDOR_DIR.exists() else [])]
STORAGES = {
    # FileSystemStorage that removes a partial file and refuses in Chinese when the disk is full (core/storage.py).
    "default": {"BACKEND": "core.storage.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# Uploaded files are never served from a public URL: downloads go through views that check permission.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
# The CJK font used in generated PDFs (Noto Sans SC TTF from npm).
CJK_FONT_DIR = NODE_MODULES / "@expo-google-fonts" / "noto-sans-sc"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
# Total size of the files one person may have uploaded (all their attachments, proofs, certificates), in MB.
UPLOAD_QUOTA_MB = env_int("UPLOAD_QUOTA_MB", 500)
# A generated PDF that takes longer than this is stopped and refused (reports/pdf.py), in seconds.
DOCUMENT_TIMEOUT_S = env_int("DOCUMENT_TIMEOUT_S", 30)

# --- Email and background tasks -------------------------------------------------------------------------------------
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@school.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Logging: one line per event; CR/LF in user input is escaped by core.logging.SafeFormatter ----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "safe": {"()": "core.logging.SafeFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "safe"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Audit retention: 网络安全法 第21条 requires network logs to be kept for at least six months.
AUDIT_RETENTION_DAYS = max(env_int("AUDIT_RETENTION_DAYS", 365), 180)

# 纪检监督's anomaly rule "支出金额集中在审批限额以下" (oversight/flags.py): the approval threshold in yuan. funds has no
# amount threshold of its own (its 超支审批 is by the budget line's room), so the school sets it here.
OVERSIGHT_APPROVAL_THRESHOLD = os.environ.get("OVERSIGHT_APPROVAL_THRESHOLD", "5000")

# 成果展示 (showcase/views.py): each process keeps a public page it rendered this many seconds (0: off). Within the
# Cache-Control max-age (60 s) the public pages already carry; the tests turn it off (conftest.py).
SHOWCASE_CACHE_SECONDS = max(env_int("SHOWCASE_CACHE_SECONDS", 30), 0)


def _generated_key(name):
    """A key from the environment variable `name`; for development one generated once into var/ (never committed).
    `manage.py check --deploy` refuses production without the environment variable (core/checks.py)."""
    if os.environ.get(name):
        return os.environ[name]
    path = VAR_DIR / name.lower()
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


# Audit integrity (docs/security.md): each audit row and the chain-head anchor are signed with this key, kept outside
# the database; backup manifests too. The anchor file (last id + hash) lives outside the database as well.
AUDIT_HMAC_KEY = _generated_key("AUDIT_HMAC_KEY")
AUDIT_ANCHOR_PATH = os.environ.get("AUDIT_ANCHOR_PATH") or None  # default: var/audit_anchor/<database>.json
AUDIT_ANCHOR_REQUIRED = env_bool("AUDIT_ANCHOR_REQUIRED", True)

# --- Integrations (issue 14; README "集成"): two-factor, work messages, calendar feeds -------------------------------
# Roles whose sign-in needs a TOTP code after the password (or CAS/LDAP) step. 系统管理员 always does, whatever is set.
OTP_REQUIRED_FOR = frozenset({"admin", *env_list("OTP_REQUIRED_FOR")})
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", PLATFORM_NAME)
# accounts.security's throttle (per 工号 + address, shared with the password) is the one limit on wrong codes.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# 企业微信/钉钉 group robots (integrations/webhooks.py): off unless WORK_MESSAGES=1; targets are set in 系统管理.
WORK_MESSAGES = env_bool("WORK_MESSAGES", False)
WORK_MESSAGE_MAX_ATTEMPTS = env_int("WORK_MESSAGE_MAX_ATTEMPTS", 5)
WORK_MESSAGE_RETRY_SECONDS = env_int("WORK_MESSAGE_RETRY_SECONDS", 60)
WORK_MESSAGE_TIMEOUT_S = env_int("WORK_MESSAGE_TIMEOUT_S", 10)
# Hosts a robot URL may name besides the platforms' own (e.g. an outbound proxy); http is allowed only for these.
WORK_MESSAGE_EXTRA_HOSTS = env_list("WORK_MESSAGE_EXTRA_HOSTS")
# The address links in work messages and calendar entries point to, e.g. https://studio.school.example
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

ADMINS = []
SILENCED_SYSTEM_CHECKS = []
