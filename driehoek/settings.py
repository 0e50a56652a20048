"""Settings come from the environment; the defaults are safe for a laptop and strict elsewhere."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("DRIEHOEK_TESTING"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for development).")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Domain apps: one per part of the product. Later capabilities add themselves here.
DOMAIN_APPS = [
    "apps.core",
    "apps.backups",
    "apps.accounts",
    "apps.organisations",
    "apps.circles",
    "apps.consent",
    "apps.access",
    "apps.audit",
    "apps.notifications",
    "apps.demo",
    "apps.timeline",
    "apps.plans",
    "apps.conversations",
    "apps.planner",
    "apps.messaging",
    "apps.helpguide",
    "apps.meetings",
    "apps.casereview",
    "apps.enrolment",
    "apps.schooloffice",
    "apps.referrals",
    "apps.attendance",
    "apps.privacy",
    "apps.knowledge",
    "apps.monitor",
    "apps.translation",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.PersonLanguageMiddleware",  # the account's language (docs/languages.md)
    "apps.access.middleware.PolicyMemoMiddleware",  # one policy memo per request (docs/performance.md)
    "apps.accounts.middleware.ClearSiteDataOnLogoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.SessionTimeoutMiddleware",
    "apps.accounts.middleware.UserSessionActivityMiddleware",  # allauth's UserSessionsMiddleware, once a minute
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.accounts.middleware.RequireTwoFactorMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "driehoek.urls"
WSGI_APPLICATION = "driehoek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "apps.notifications.context_processors.unread_count",
            ],
        },
    },
]
# Form fields render as NL Design System form fields (docs/web-app.md, "Components").
FORM_RENDERER = "apps.core.forms.DriehoekFormRenderer"

# Database: SQLite (WAL) unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'driehoek.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# An optional read replica (PostgreSQL streaming replica) for the few pages marked `replica_reads`.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["apps.core.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.validators.ContextWordsValidator"},
]

# django-allauth: e-mail log-in, no open sign-up (people are invited), TOTP for professionals.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# The log-in throttle (SEC-03, apps/accounts/throttle.py, docs/security.md): failures per account and address,
# and a looser limit per address, so nobody can lock the real user out.
LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", "5/15m")
LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20/15m")
# Re-authentication (SEC-10, apps/accounts/limits.py): changing the e-mail address, exporting a file and ending
# other sessions ask for the password or code again unless given in the last five minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = int(os.environ.get("REAUTHENTICATION_TIMEOUT", "300"))
# Per-user limits on exports and searches (SEC-38, apps/accounts/limits.py), in the shared cache.
# A youth-care organisation is asked to answer a referral within this many working days (docs/youth-care.md).
REFERRAL_RESPONSE_WORKING_DAYS = int(os.environ.get("REFERRAL_RESPONSE_WORKING_DAYS", "10"))
DRIEHOEK_RATE_LIMITS = {
    "export": os.environ.get("EXPORT_RATE_LIMIT", "10/1h/user"),
    "search": os.environ.get("SEARCH_RATE_LIMIT", "300/1h/user"),
    "join_request": os.environ.get("JOIN_REQUEST_RATE_LIMIT", "10/1h/user"),
    # Wrong children's codes of the partnership monitor, per address (a class shares one): docs/learning.md.
    "monitor_code": os.environ.get("MONITOR_CODE_RATE_LIMIT", "60/1h/ip"),
}
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_PER_ADDRESS}/ip,{LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS}/key",
}
# Which address is the client's. By default the peer address: X-Forwarded-For is ignored, because anyone can send
# it. Behind reverse proxies of your own, TRUSTED_PROXY_COUNT says how many (X-Forwarded-For is then read from the
# right, past them), or TRUSTED_CLIENT_IP_HEADER names a header your proxy always overwrites (e.g. X-Real-IP).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
# The login throttle counts in the cache. A per-process memory cache would multiply the limit by the number of
# gunicorn workers, so the default is a table in the database every worker shares (`createcachetable`, run by
# `make run` and by the test runner); or point CACHE_BACKEND/CACHE_LOCATION at a shared Redis.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "driehoek_cache"),
    },
    # The API's request-rate throttle: abuse protection, not a security control, so per process is fine.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Driehoek"
# Users see and end their own sessions (SEC-09); tracking records last-seen time and IP per session.
USERSESSIONS_TRACK_ACTIVITY = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Sessions and cookies (SEC-07/08/11).
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", SESSION_COOKIE_AGE))
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# `__Host-` makes the browser refuse these cookies unless Secure, Path=/ and without Domain (no subdomain can set them).
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of Driehoek uses, switched off for every page (apps.core.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes from the load balancer speak plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)  # set it once the domain may be on the preload list
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "nl"
# The interface languages (docs/languages.md). Each is named in its own language, wherever one is chosen, so a
# parent finds theirs whatever language the page is in. Django, allauth and DRF ship catalogues for all of them;
# the few gaps are filled in our own catalogues (apps/core/upstream_gaps.py).
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("uk", "Українська"),
]
LANGUAGES_BIDI = ["ar"]
# Our own additions to Django's date formats per language (driehoek/formats/<code>/formats.py).
FORMAT_MODULE_PATH = ["driehoek.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# /readyz reports "not ready" below this share of free disk where uploads are written (REL-14).
READY_MIN_FREE_DISK_PERCENT = float(os.environ.get("READY_MIN_FREE_DISK_PERCENT", "5"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Backups: set BACKUP_DIR to a mount of another machine (or swap in a bucket backend) to keep them off-host.
    "backups": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("BACKUP_DIR", str(BASE_DIR / "var" / "backups"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("DRIEHOEK_TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Malware scanning of uploads (SEC-25): every upload stays in quarantine until clamd calls it clean.
# On by default. Only when DEBUG is on and VIRUS_SCAN is not set is it off, so `make run` works on a
# laptop without clamd; a warning is logged at start-up then. Uploads made while it is off are not scanned.
VIRUS_SCAN = env_bool("VIRUS_SCAN", not DEBUG)
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "/var/run/clamav/clamd.ctl")  # used unless CLAMD_HOST is set
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "60"))

# The menu's counts cached per person and read with one query (apps/notifications/menu_counts.py).
MENU_COUNTS_CACHE = env_bool("MENU_COUNTS_CACHE", True)
# Translated content (docs/translation.md): off unless TRANSLATION_BACKEND=libretranslate and a self-hosted
# LibreTranslate server's URL are set. The text goes to that server only.
TRANSLATION_BACKEND = os.environ.get("TRANSLATION_BACKEND", "none").strip().lower()
LIBRETRANSLATE_URL = os.environ.get("LIBRETRANSLATE_URL", "")
LIBRETRANSLATE_API_KEY = os.environ.get("LIBRETRANSLATE_API_KEY", "")
TRANSLATION_TIMEOUT = float(os.environ.get("TRANSLATION_TIMEOUT", "2"))
TRANSLATION_LANGUAGES = env_list("TRANSLATION_LANGUAGES", "en,ar,tr,pl,uk")
TRANSLATION_CACHE = os.environ.get("TRANSLATION_CACHE", "default")
TRANSLATION_CACHE_SECONDS = int(os.environ.get("TRANSLATION_CACHE_SECONDS", str(30 * 24 * 3600)))

# E-mail: console in development, SMTP (or anything) through the environment.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a hanging mail server counts as down; the outbox retries later (REL-10).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Driehoek <noreply@driehoek.example>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Background work through the Tasks API (django-tasks backport, database backend).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Periodic jobs: (task, every N seconds). `manage.py run_scheduler` enqueues them; `db_worker` runs them.
# Encrypted nightly backups (REL-01): a Fernet key, and how many archives to keep.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
BACKUP_MAX_AGE_HOURS = int(os.environ.get("BACKUP_MAX_AGE_HOURS", "26"))  # the RPO: nightly, plus slack

# The access log's protection (docs/audit-log.md). AUDIT_HMAC_KEY keys every entry's hash; it lives outside the
# database so that someone who can write the database cannot recompute the chain. AUDIT_ANCHOR_DIR receives the
# chain head every hour and at every backup: point it at storage the database's users cannot write (another host).
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
if not AUDIT_HMAC_KEY:
    if not DEBUG and not env_bool("DRIEHOEK_TESTING"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set AUDIT_HMAC_KEY in the environment (at least 32 random characters).")
    AUDIT_HMAC_KEY = "insecure-development-audit-key-not-for-production"  # noqa: S105
elif len(AUDIT_HMAC_KEY) < 32 and not DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("AUDIT_HMAC_KEY is too short: use at least 32 random characters.")
AUDIT_ANCHOR_DIR = os.environ.get("AUDIT_ANCHOR_DIR", str(BASE_DIR / "var" / "audit-anchors"))
# Every AUDIT_CHECKPOINT_DAYS the hourly anchor task also writes a checkpoint of every chain head; `audit_prune`
# removes what lies before the newest checkpoint older than AUDIT_RETENTION_DAYS (5 years, R9).
AUDIT_CHECKPOINT_DAYS = int(os.environ.get("AUDIT_CHECKPOINT_DAYS", "30"))
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(5 * 365 + 1)))
# The family's log folds repeats (same person, action and object) within this many minutes into one line
# (docs/audit-log.md, "How the family reads the log").
AUDIT_LOG_FOLD_MINUTES = int(os.environ.get("AUDIT_LOG_FOLD_MINUTES", "10"))

# The family's rights and retention (docs/inspection-and-retention.md; docs/domain-rules.md R5-R7). An inspection
# request is answered within a month, extendable by two; a correction is decided within 4 weeks. Retention periods in
# years, per kind of record.
INSPECTION_ANSWER_MONTHS = int(os.environ.get("INSPECTION_ANSWER_MONTHS", "1"))
INSPECTION_MAX_EXTENSION_MONTHS = 2
CORRECTION_ANSWER_WEEKS = 4
RETENTION_YEARS = {
    "school_file": int(os.environ.get("RETENTION_SCHOOL_FILE_YEARS", "2")),  # after leaving (R6)
    "absence_and_enrolment": int(os.environ.get("RETENTION_ABSENCE_YEARS", "5")),  # after leaving (R6)
    "youth_care": int(os.environ.get("RETENTION_YOUTH_CARE_YEARS", "20")),  # after the last change (R7)
    "access_log": int(os.environ.get("RETENTION_ACCESS_LOG_YEARS", "5")),  # per entry (R9)
}
RETENTION_BATCH_SIZE = int(os.environ.get("RETENTION_BATCH_SIZE", "200"))

PERIODIC_TASKS = [
    ("apps.audit.tasks.anchor_audit_chain", 60 * 60),
    ("apps.backups.tasks.nightly_backup", 24 * 60 * 60),
    ("apps.backups.tasks.check_backup_freshness", 60 * 60),
    ("apps.plans.tasks.send_plan_reminders_task", 60 * 60),
    ("apps.planner.tasks.send_reminders", 60 * 60),
    ("apps.conversations.tasks.daily", 60 * 60),
    ("apps.helpguide.tasks.escalate_help_questions_task", 15 * 60),
    ("apps.messaging.tasks.send_message_digests_task", 10 * 60),
    ("apps.messaging.tasks.rescan_pending_attachments_task", 5 * 60),
    ("apps.meetings.tasks.send_due_reminders", 60 * 60),
    ("apps.meetings.tasks.flag_stalled_actions", 24 * 60 * 60),
    ("apps.monitor.tasks.send_due_monitor_reminders", 60 * 60),
    ("apps.notifications.tasks.retry_outgoing_mail_task", 5 * 60),
    ("apps.attendance.tasks.evaluate_absence_rules", 60 * 60),
    ("apps.privacy.tasks.daily_retention", 24 * 60 * 60),
]

REST_FRAMEWORK = {
    # Token first: DRF takes the WWW-Authenticate header of the first class, so a call without (valid)
    # credentials gets 401 with "WWW-Authenticate: Token" instead of a bare 403 (session has no header).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.access.api.ProfessionalsHaveTwoFactor"],
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # The load bench (bench/load.py) raises the per-user rate: a few people ask the API list many times a second.
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_USER_RATE", "600/min"), "anon": "60/min"},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # DRF would otherwise count per X-Forwarded-For, which a client can vary
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.access.api.UserRateThrottle",
        "apps.access.api.AnonRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Driehoek API",
    "DESCRIPTION": "Ouders, school en jeugdhulp rond één kind. Elke lees- en schrijfactie gaat door "
    "hetzelfde toegangsbeleid en komt in het logboek.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs map every endpoint: only for people who are logged in (issue 16 item 8).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Several apps have a "kind" or "status"; name each enum after its model so clients get stable names.
    "ENUM_NAME_OVERRIDES": {
        "ConversationKindEnum": "apps.conversations.models.Kind",
        "ConversationStatusEnum": "apps.conversations.models.Status",
        "MeetingKindEnum": "apps.meetings.models.Meeting.Kind",
        "MeetingActionStatusEnum": "apps.meetings.models.ActionItem.Status",
        "CaseReviewStatusEnum": "apps.casereview.models.CaseReview.Status",
        "CaseReviewFactorKindEnum": "apps.casereview.models.Factor.Kind",
        "HelpQuestionStatusEnum": "apps.helpguide.models.HelpQuestion.Status",
        "LeaveKindEnum": "apps.attendance.models.LeaveRequest.Kind",
        "LeaveStatusEnum": "apps.attendance.models.LeaveRequest.Status",
        "CategoryEnum": "apps.consent.models.Category",
        "ParentViewCategoryEnum": "apps.consent.models.PARENT_VIEW_CATEGORIES",
    },
}

# Security events as one JSON line each, UTC (SEC-29/30); Django's own security warnings (CSRF, bad host) too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "driehoek.security": {"handlers": ["console"], "level": "INFO"},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Demo accounts may skip two-factor set-up only while DEBUG is on (never in production).
DEMO_SKIP_TWO_FACTOR = DEBUG
