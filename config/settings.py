"""One settings module, read from typed environment variables.

Zero configuration gives the embedded default: SQLite, jobs run in-process,
files on local disk under var/. Production sets DATABASE_URL (PostgreSQL),
PLANWATCH_REDIS_URL (cache + Celery broker) and a real SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from celery.schedules import crontab

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from e


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "planwatch",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": envstr("PLANWATCH_TEST_DB_NAME", "test_planwatch")},
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path or ":memory:"}
    raise ImproperlyConfigured(f"DATABASE_URL scheme not supported: {parsed.scheme!r}")


DEBUG = envbool("DEBUG", False)
_default_secret = "planwatch-embedded-demo-secret-not-for-production"
SECRET_KEY = envstr("SECRET_KEY", _default_secret)
if not DEBUG and SECRET_KEY == _default_secret and envbool("PLANWATCH_PRODUCTION", False):
    raise ImproperlyConfigured("Set SECRET_KEY in production")
ALLOWED_HOSTS = envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "planwatch.orgs",
    "planwatch.plans",
    "planwatch.reporting",
    "planwatch.notifications",
    "simple_history",
    "planwatch.audit",
    "planwatch.monitoring",
    "planwatch.documents",
    "planwatch.api",
    "planwatch.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "planwatch.web.context_processors.nav",
            ],
            "builtins": ["planwatch.web.templatetags.vn"],
        },
    }
]

VAR_DIR = Path(envstr("PLANWATCH_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "planwatch.sqlite3",
            # WAL lets pages read while a background export or a save writes; IMMEDIATE takes
            # the write lock at BEGIN so two writers queue (timeout) instead of failing.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not shared-cache memory: the live-server tests run background export
            # threads, and shared-cache SQLite fails them at once with "table is locked".
            "TEST": {"NAME": VAR_DIR / f"{envstr('PLANWATCH_TEST_DB_NAME', 'test_planwatch')}.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("PLANWATCH_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Parallel test workers (pytest-xdist) each get their own key space.
            "KEY_PREFIX": envstr("PLANWATCH_CACHE_PREFIX", "planwatch") + os.environ.get("PYTEST_XDIST_WORKER", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with a broker, real workers; without, tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = envbool("PLANWATCH_JOBS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# `celery -A config beat` in production. The embedded default has no beat: a dashboard that
# finds yesterday's indicator assessments assesses those rows in memory for itself and starts
# a background thread to store today's (monitoring.services.schedule_reassessment); export
# housekeeping runs when export pages are viewed. No page view ever rebuilds the roll-ups.
CELERY_BEAT_SCHEDULE = {
    "monitoring-refresh-for-today": {"task": "monitoring.refresh_for_today", "schedule": crontab(hour=0, minute=5)},
    "monitoring-repair-rollups": {"task": "monitoring.repair_rollups", "schedule": crontab(minute="*/5")},
    "documents-housekeeping": {"task": "documents.housekeeping", "schedule": crontab(minute=17)},
    "documents-import-housekeeping": {"task": "documents.import_housekeeping", "schedule": crontab(hour=2, minute=41)},
    "reporting-notify-deadlines": {"task": "reporting.notify_deadlines", "schedule": crontab(hour=7, minute=0)},
}

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "planwatch@localhost")
# Absolute deep links in e-mails (notifications) start with this.
PLANWATCH_BASE_URL = envstr("PLANWATCH_BASE_URL", "http://127.0.0.1:8000")
# "Sắp đến hạn nộp báo cáo" is sent this many days before a report's due date.
PLANWATCH_DEADLINE_NOTICE_DAYS = int(envstr("PLANWATCH_DEADLINE_NOTICE_DAYS", "3"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Change history (planwatch.audit): a reason may quote a whole amending document's title.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is browsed on the "Lịch sử thay đổi" pages; the admin must not revert rows behind
# the services' backs.
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "files"  # outside the web root; served only through access-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

PLANWATCH_UPLOAD_MAX_BYTES = envint("PLANWATCH_UPLOAD_MAX_MB", 20) * 1024 * 1024
# Documents brought in through "Nhập văn bản" / import_document (plans, amendments, unit reports).
PLANWATCH_IMPORT_MAX_BYTES = envint("PLANWATCH_IMPORT_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Serve app static files straight from the apps when collectstatic has not run (tests,
# a fresh checkout); ./run still collects them for production-like serving.
WHITENOISE_USE_FINDERS = True
