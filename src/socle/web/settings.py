"""Django settings of Socle's web platform. Everything a deployment changes comes from the environment
(see :mod:`socle.web.config` and ``docs/plateforme.md``)."""

from __future__ import annotations

import os

from socle.web import config

STATE = config.home()
SECRET_KEY = config.secret_key(STATE)
DEBUG = config.flag("SOCLE_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SOCLE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SOCLE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "socle.web.territories",
    "socle.web.accounts",
    "socle.web.datasets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "socle.web.limits.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "socle.web.urls"
WSGI_APPLICATION = "socle.web.wsgi.application"

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
            ],
            "builtins": [],
        },
    }
]
# The project's own templates and static files live in socle/web/templates and socle/web/static.
TEMPLATES[0]["DIRS"] = [config.package_dir() / "templates"]
STATICFILES_DIRS = [config.package_dir() / "static"]
STATIC_URL = "/static/"
STATIC_ROOT = STATE / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = STATE / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the static files are served from the package, no collectstatic needed

DATABASES = {"default": config.database(STATE)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "connexion"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# E-mail (invitations, password resets): printed on the console unless an SMTP server is given.
if os.environ.get("SOCLE_SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SOCLE_SMTP_HOST"],
                "port": int(os.environ.get("SOCLE_SMTP_PORT", "587")),
                "username": os.environ.get("SOCLE_SMTP_USER", ""),
                "password": os.environ.get("SOCLE_SMTP_PASSWORD", ""),
                "use_tls": config.flag("SOCLE_SMTP_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("SOCLE_EMAIL_FROM", "Socle <ne-pas-repondre@socle.localhost>")

# Background jobs (docs/taches.md): in the database by default, on RQ and Redis with SOCLE_TASKS=rq.
_tasks = os.environ.get("SOCLE_TASKS", "db").strip().lower()
if _tasks == "rq":
    TASKS = {
        "default": {
            "BACKEND": "socle.web.jobs.rq_backend.RQBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"url": os.environ.get("SOCLE_REDIS_URL", "redis://127.0.0.1:6379/0")},
        }
    }
elif _tasks in ("db", ""):
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise config.ImproperlyConfigured(f"SOCLE_TASKS : « {_tasks} » inconnu (db, par défaut, ou rq).")

SOCLE_MAX_UPLOAD_BYTES = int(os.environ.get("SOCLE_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
"""Largest file an import accepts (larger: a 413 page in French)."""
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOCLE_LOG_LEVEL", "WARNING")},
}
