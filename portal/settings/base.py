"""Settings for every environment; each value can be set from the environment (see .env.example)."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.database import app_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def origin_of(url: str) -> str:
    """scheme://host[:port] of an address, as a Content-Security-Policy source names it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# A run on a developer's machine (`make run`, `make test`, `make check` set it): plain HTTP on 127.0.0.1 and a
# development key when none is given. Anything else is production: HTTPS, and a key of its own or no start.
LOCAL_RUN = env_bool("DJANGO_LOCAL_RUN", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("insecure-development-key-change-me" if DEBUG or LOCAL_RUN else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: the portal will not start with a key anyone can read in its repository. "
        "Set it to a long random value, the same on every node (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'), or set DJANGO_LOCAL_RUN=true for a run on this machine only. "
        "/ Chưa đặt DJANGO_SECRET_KEY: cổng không khởi động với khoá có sẵn trong mã nguồn. Hãy đặt một giá trị "
        "ngẫu nhiên dài (giống nhau trên mọi máy chủ), hoặc DJANGO_LOCAL_RUN=true nếu chỉ chạy thử trên máy này."
    )
# Keys that still verify what they signed (sessions, password-reset links), during a rotation: docs/security.md.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "guardian",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    "accounts.apps.SignInProtectionConfig",  # django-axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "routing",
    "proposals",
    "notifications",
    "reports",
    "portal",  # the migrate and flush commands, as the database's owner (portal/database.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Whether this session gave a second factor (django-otp), then sending those who owe one to give it.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns the refusal of a locked-out sign-in (axes' backend) into the page saying when to try again.
    "axes.middleware.AxesMiddleware",
    # Last, so the user and session are read from the primary before report reads move to the replica.
    "portal.replica.ReportReadsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.current_post",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# Widgets render with the project's templates too (the unit picker lives in templates/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The owner of the schema runs the migrations; the web and worker processes connect as the application's role,
# which may only read and write rows (portal/database.py).
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/portal")
DATABASES = {
    "default": dj_database_url.parse(
        app_database_url(DATABASE_URL, app_url=os.environ.get("DATABASE_APP_URL", ""),
                         app_password=os.environ.get("DATABASE_APP_PASSWORD", "")),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_OWNER = {key: dj_database_url.parse(DATABASE_URL)[key] for key in ("USER", "PASSWORD")}
# PostgreSQL's JIT compiles the plan of every large aggregate before running it: measured at over 2 s per
# dashboard query on a million proposals, far more than the query itself. The portal's queries are short or
# read precomputed figures (docs/reports.md), so the compilation never pays for itself.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"


def replica_database(url: str) -> dict:
    """A read replica of the primary (docs/deployment.md). Its sessions are read-only, so a write that
    strayed there fails loudly instead of being lost when the replica is rebuilt."""
    database = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
                                     conn_health_checks=True)
    database.setdefault("OPTIONS", {}).setdefault("options", "-c default_transaction_read_only=on -c jit=off")
    return database


# The monitoring pages read from a replica when there is one; every write, and every other read, goes to
# the primary (portal/replica.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = replica_database(DATABASE_REPLICA_URL)
REPORT_READS_DATABASE = "replica" if DATABASE_REPLICA_URL else None
DATABASE_ROUTERS = ["portal.replica.ReportReadsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.CityAccountBackend",
    "accounts.backends.PasswordBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Sign-in lockout (django-axes, docs/security.md): after AXES_FAILURE_LIMIT failed sign-ins, the account, and
# separately the client address, are refused for AXES_COOLOFF_TIME, on the portal's sign-in and /admin/ alike.
# Attempts are kept in the database, so every web process and node sees the same count.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.views.signin_locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_address"
AXES_WHITELIST_CALLABLE = "accounts.backends.is_single_sign_on"
# Behind a load balancer, the number of proxies that append to X-Forwarded-For (0: the peer is the client).
PORTAL_PROXY_COUNT = int(os.environ.get("PORTAL_PROXY_COUNT", "0"))
# Two-factor sign-in (docs/security.md): required of administrators, Home Affairs and the members of deciding
# authorities when on; on in production, off for a run on this machine unless asked.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not (DEBUG or LOCAL_RUN))
OTP_TOTP_ISSUER = "Cổng đề xuất đổi mới TP.HCM"
# Digital signatures of issued documents (proposals/signing.py): a folder with each authority's PKCS#12 file and
# passphrase, and the PEM files of the certificates that make a signature trusted. `make run` fills var/signing
# with a demo CA (manage.py signing_demo_ca).
DOCUMENT_SIGNING_DIR = os.environ.get("PORTAL_SIGNING_DIR", "")
DOCUMENT_SIGNING_TRUST = env_list("PORTAL_SIGNING_TRUST", "")
# An administrator may remove a person's authenticator (they then enrol again) but never see its secret or QR
# code, which would let them sign in as that person.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password-reset requests accepted per e-mail address and per client address in an hour (docs/security.md).
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "10"))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with the City's identity provider over OpenID Connect (accounts/backends.py,
# docs/organisation.md): on when a client id is set. The endpoints are the provider's (its
# /.well-known/openid-configuration lists them); officials are found by the staff-code claim, else the e-mail.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
SINGLE_SIGN_ON = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_STAFF_CODE_CLAIM = os.environ.get("OIDC_STAFF_CODE_CLAIM", "staff_code")
OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
# Whether an e-mail claim names an official only when the provider marks it verified (`email_verified`): turn
# off only for a provider that sends no such flag and whose addresses its users cannot change.
OIDC_EMAIL_MUST_BE_VERIFIED = env_bool("OIDC_EMAIL_MUST_BE_VERIFIED", True)
# The provider's end-session endpoint: signing out of the portal then signs out of the City's account too, so
# that the next person at a shared computer is asked for theirs (the ID token is kept in the session for it).
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # officials come from the HR import, never from a first sign-in
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
# The name of the City's account on the sign-in button.
SINGLE_SIGN_ON_NAME = os.environ.get("SINGLE_SIGN_ON_NAME", "")
# Who may sign in with a password: "everyone" (the demo, and a portal without single sign-on) or
# "administrators" (superusers and staff of the admin) once officials use the City's account.
PASSWORD_SIGNIN = os.environ.get("PASSWORD_SIGNIN", "everyone")
if PASSWORD_SIGNIN not in ("everyone", "administrators"):
    raise ImproperlyConfigured("PASSWORD_SIGNIN must be 'everyone' or 'administrators'")

# Guardian: a login-only portal needs no anonymous object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules/chart.js/dist"),
    ("vendor/accessible-autocomplete", BASE_DIR / "node_modules/accessible-autocomplete/dist"),
]
# Uploaded and generated files (attachments, decisions, annual reports, plans) are private: they live outside
# any public path, are read and written only through the storage API, and reach a browser only through a view
# that checks permission. Without PORTAL_S3_BUCKET they are kept in PRIVATE_MEDIA_ROOT on this machine; with
# it, in an S3-compatible object store that every web node and worker shares (docs/deployment.md).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))


def object_storage(prefix: str) -> dict:
    """An S3-compatible bucket, configured from the environment. Objects get no ACL (so they stay as private
    as the bucket) and are never overwritten; links to them, were one ever made, would expire in 5 minutes."""
    endpoint = os.environ.get("PORTAL_S3_ENDPOINT_URL") or None
    encryption = os.environ.get("PORTAL_S3_SERVER_SIDE_ENCRYPTION", "")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["PORTAL_S3_BUCKET"],
            "location": "/".join(part for part in (os.environ.get("PORTAL_S3_PREFIX", "").strip("/"), prefix) if part),
            "endpoint_url": endpoint,
            "region_name": os.environ.get("PORTAL_S3_REGION", "us-east-1"),
            # MinIO, Ceph and most stores on a private network address buckets by path, not by host name.
            "addressing_style": os.environ.get("PORTAL_S3_ADDRESSING_STYLE") or ("path" if endpoint else None),
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            "object_parameters": {"ServerSideEncryption": encryption} if encryption else {},
            # A download larger than this is buffered in a temporary file rather than in memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }


def file_storages(*, private_root: Path, staticfiles: str, object_store: bool) -> dict:
    if object_store:
        default, private = object_storage("media"), object_storage("private")
    else:
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        private = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": private_root}}
    return {"default": default, "private": private, "staticfiles": {"BACKEND": staticfiles}}


STORAGES = file_storages(private_root=PRIVATE_MEDIA_ROOT, object_store=bool(os.environ.get("PORTAL_S3_BUCKET")),
                         staticfiles="whitenoise.storage.CompressedManifestStaticFilesStorage")
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
ATTACHMENT_MAX_TOTAL_BYTES = int(os.environ.get("ATTACHMENT_MAX_TOTAL_MB", "100")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail under Django's own names.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP exchange may take; well below the hand-off lease (notifications.services.delivery).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "60"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng đề xuất đổi mới <no-reply@portal.hochiminhcity.gov.vn>")
# Links in e-mails are made absolute with this address of the portal.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")


def cache_settings(redis_url: str) -> dict:
    """Redis, shared by every node, when REDIS_CACHE_URL is set; otherwise this process's memory, which
    is right for one machine only."""
    if redis_url:
        return {"default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            # A cache that does not answer must not hold a page up for long.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}


CACHES = cache_settings(os.environ.get("REDIS_CACHE_URL", ""))
# Sessions live in the database (Django's default engine, said here so nobody switches it to a per-node
# store by accident): every node sees every sign-in.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Background exports of the monitoring lists (docs/reports.md): how long a finished file is kept, and how long
# writing one may take (longer than CELERY_TASK_TIME_LIMIT: a list of every year can have a million rows).
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
EXPORT_TIME_LIMIT = int(os.environ.get("EXPORT_TIME_LIMIT", "3600"))

# Working-day clocks of the procedure (DOMAIN.md "The procedure and its clocks").
CLOCK_WORKING_DAYS = {
    "review": int(os.environ.get("CLOCK_REVIEW_DAYS", "7")),
    "report": int(os.environ.get("CLOCK_REPORT_DAYS", "5")),
    "evaluation": int(os.environ.get("CLOCK_EVALUATION_DAYS", "7")),
    "conclusion": int(os.environ.get("CLOCK_CONCLUSION_DAYS", "3")),
}
REVIEW_CLOCK_PAUSES_WHILE_RETURNED = env_bool("REVIEW_CLOCK_PAUSES_WHILE_RETURNED", True)
# The Party committee at the same level is consulted before approval (DOMAIN.md "The procedure").
PARTY_OPINION_REQUIRED_BEFORE_APPROVAL = env_bool("PARTY_OPINION_REQUIRED_BEFORE_APPROVAL", True)
# Whether the directory (/organisation/) shows officials' e-mail addresses to other officials: as the City's
# policy on contact details allows (docs/organisation.md). Names, posts and units are always shown.
DIRECTORY_SHOWS_CONTACTS = env_bool("DIRECTORY_SHOWS_CONTACTS", False)

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (production, unless DJANGO_HTTPS=false says otherwise): secure cookies, HSTS and a redirect from
# plain HTTP; the balancer in front sets X-Forwarded-Proto (docs/deployment.md).
if env_bool("DJANGO_HTTPS", not (DEBUG or LOCAL_RUN)):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_HOURS", "8")) * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
# Scripts only from the portal's own static files: no inline script, no eval, nothing from elsewhere (front-end
# libraries are served from node_modules, never a CDN). Inline style attributes stay allowed (Bootstrap's
# components and htmx set them); styles cannot run code. docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if SINGLE_SIGN_ON and OIDC_OP_LOGOUT_ENDPOINT:
    # Signing out is a form sent to the portal, which redirects it to the provider: browsers check the redirect
    # against the form's page's form-action.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(origin_of(OIDC_OP_LOGOUT_ENDPOINT))
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Lockouts are warnings; each failure is in the database (AccessFailureLog), not worth a log line too.
    "loggers": {"axes": {"level": "WARNING"}},
}
