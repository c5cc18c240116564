"""Django settings, read from the environment with safe demo defaults.

Every setting that differs between a demo and production comes from an environment variable:

- ``FHB_DEBUG`` (default on, for the demo): off in production.
- ``SECRET_KEY``: required when ``FHB_DEBUG`` is off; the demo key refuses to run in production mode.
- ``DATABASE_URL``: default an SQLite file in ``FHB_DATA_DIR``; e.g. ``postgres://user@host:5432/fhb``.
- ``ALLOWED_HOSTS``: comma separated; default ``127.0.0.1,localhost``.
- ``FHB_SECURE_COOKIES`` (default: on when ``FHB_DEBUG`` is off): session and CSRF cookies over https only;
  the demo turns it off to run with debug off over plain http on the own machine.
- ``FHB_DATA_DIR``: where the SQLite file, stored letters and imports live; default ``./var``.
- ``FHB_LETTER_TRANSPORT``: how letters leave (``file_drop``, the default); ``FHB_OUTBOX_DIR`` its folder
  (default ``FHB_DATA_DIR/outbox``).
- ``FHB_STANDARD``: the municipality's quality standard (``hjoerring``, ``herning``, ``ishoej`` or a path).
- ``FHB_LETTER_TEMPLATES``: a folder of the municipality's own letter templates (``<kind>.typ``), used
  before the standard's ``[letters] templates`` folder and the shipped ones; unset, the standard decides.
- ``FHB_MAP_TILES``: the municipality's own tile server for the day's map (``https://.../{z}/{x}/{y}.png``);
  unset, the map is drawn offline from the package data.
- ``FHB_TRAVEL``: travel times for planning, ``haversine`` (offline default) or ``osrm`` with ``FHB_OSRM_URL``
  (matrices cached in ``FHB_DATA_DIR/osrm-cache``); ``FHB_PLAN_SECONDS``: the planner's search time.
- ``FHB_LOGIN_FAILURES`` (default 5) failed log-ins for one user name from one IP address lock it for
  ``FHB_LOCKOUT_MINUTES`` (default 15); django-axes counts them. ``FHB_PROXY_COUNT``: reverse proxies in
  front of the app (default 0), so that the client's address is read from ``X-Forwarded-For``.
- ``FHB_RETENTION_YEARS`` (default 5): how long after the last event a citizen who is dead or gone from the
  extract is kept before ``fhb retention --apply`` anonymises them.
- ``FHB_IMPORT_MAX_GONE_PERCENT`` (default 5): the brake on imports. When more than this share (in percent)
  of the latest extract's citizens is missing from a new one, the import stores nothing until a person
  confirms it (types the number on the preview; ``fhb import --force``).
- ``FHB_IMPORT_MAX_MB`` (default 500): the largest file the import page accepts, in megabytes; the upload
  is streamed to disk and stopped at this size (the command line ``fhb import`` has no limit).
- ``FHB_OIDC_*``: log-in through the municipality's identity provider (OpenID Connect), off unless set; see
  the OpenID Connect block below and docs/operations.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FHB_DATA_DIR", "var")).resolve()

DEBUG = env_bool("FHB_DEBUG", True)
DEMO_SECRET_KEY = "demo-only-not-secret-fhb-7b1f0c2e"
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY skal sættes i miljøet, når FHB_DEBUG er slået fra (produktion).")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

FHB_STANDARD = os.environ.get("FHB_STANDARD", "hjoerring")
FHB_LETTER_TEMPLATES = os.environ.get("FHB_LETTER_TEMPLATES", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "fhb.accounts",
    "fhb.jobs",
    "fhb.citizens",
    "fhb.offers",
    "fhb.visits",
    "fhb.journal",
    "fhb.events",
    "fhb.letters",
    "fhb.planning",
    "fhb.stats",
    "fhb.forecast",
    "fhb.pages",
    "fhb.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fhb.web.middleware.content_security_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fhb.web.middleware.no_store_for_staff",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fhb.web.urls"
WSGI_APPLICATION = "fhb.web.wsgi.application"

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
                "fhb.web.context.fhb_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'fhb.sqlite3'}",
        conn_max_age=int(os.environ.get("FHB_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
    # Tests use a file, not memory, so a test can start `fhb worker` as a process on the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-fhb.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out log-in before the password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
FORMAT_MODULE_PATH = ["fhb.web.formats"]  # d.m.Y as the short date
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# Letters leave through a transport: "file_drop" writes a folder per batch (PDFs, MeMo files, manifest).
FHB_LETTER_TRANSPORT = os.environ.get("FHB_LETTER_TRANSPORT", "file_drop")
FHB_OUTBOX_DIR = Path(os.environ.get("FHB_OUTBOX_DIR", str(DATA_DIR / "outbox"))).resolve()

# Planning: travel times from the offline model (great-circle x detour / speed) or an OSRM server.
FHB_TRAVEL = os.environ.get("FHB_TRAVEL", "haversine")
FHB_OSRM_URL = os.environ.get("FHB_OSRM_URL", "")
if FHB_TRAVEL not in {"haversine", "osrm"}:
    raise ImproperlyConfigured(f"FHB_TRAVEL must be 'haversine' or 'osrm' (got {FHB_TRAVEL!r})")
if FHB_TRAVEL == "osrm" and not FHB_OSRM_URL:
    raise ImproperlyConfigured("FHB_TRAVEL=osrm needs FHB_OSRM_URL (e.g. http://osrm:5000)")
FHB_PLAN_SECONDS = float(os.environ.get("FHB_PLAN_SECONDS", "20"))

# The day's map: tiles from the municipality's own tile server behind the drawing, when set (never a public
# one: the browser asks it for the area of each day's route). A URL template with {z}, {x} and {y}.
FHB_MAP_TILES = os.environ.get("FHB_MAP_TILES", "")
if FHB_MAP_TILES and (
    not FHB_MAP_TILES.startswith(("https://", "http://"))
    or not all(f"{{{k}}}" in FHB_MAP_TILES for k in "zxy")
):
    raise ImproperlyConfigured(
        "FHB_MAP_TILES must be a URL template with {z}, {x} and {y}, e.g. https://kort.kommune.dk/{z}/{x}/{y}.png"
    )

# Sessions end after 30 minutes without activity (shared PCs in a care setting).
SESSION_COOKIE_AGE = int(os.environ.get("FHB_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies travel over https only, unless FHB_SECURE_COOKIES=0: the demo runs with debug off over plain http
# on the own machine (the Makefile's DEMO_ENV).
if env_bool("FHB_SECURE_COOKIES", not DEBUG):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("FHB_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Log-in lock-out (django-axes): FHB_LOGIN_FAILURES failed attempts for one user name from one IP address
# lock that combination, and FHB_LOGIN_FAILURES_PER_ADDRESS failed attempts from one address, whatever the
# user names (one password tried against every user name: password spraying), lock the address, each for
# FHB_LOCKOUT_MINUTES; a successful log-in resets the user name's count. An administrator unlocks with
# `fhb axes_reset_username USERNAME` or `fhb axes_reset_ip ADDRESS`.
FHB_LOGIN_FAILURES = int(os.environ.get("FHB_LOGIN_FAILURES", "5"))
FHB_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("FHB_LOGIN_FAILURES_PER_ADDRESS", "20"))
AXES_FAILURE_LIMIT = "fhb.web.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("FHB_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fhb.web.lockout.locked_out"  # the Danish page, HTTP 429
AXES_VERBOSE = False  # no start-up banner on every `fhb` command; lock-outs are still logged
# Behind a reverse proxy every request comes from the proxy's address: FHB_PROXY_COUNT (the number of
# proxies in front of the app, default 0) makes the lock-out use the address in X-Forwarded-For instead.
FHB_PROXY_COUNT = int(os.environ.get("FHB_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "fhb.web.lockout.client_ip"

# ---- OpenID Connect: log-in through the municipality's identity provider (begin) --------------------------
# Off unless one of FHB_OIDC_REQUIRED is set in the environment; then all of them must be set
# (docs/operations.md). The endpoints are given one by one, copied once from the provider's
# <FHB_OIDC_ISSUER>/.well-known/openid-configuration: fhb makes no network call at start-up, so the local
# administrator's password log-in works while the identity provider is away. The password backends stay:
# axes first (it counts wrong passwords), then Django's, then the identity provider's (fhb.accounts.oidc).

#: The values of fhb.accounts.models.Role (the models cannot be imported here; tests/accounts checks).
FHB_ROLES = ("consultant", "leader", "admin", "dementia_coordinator")
FHB_OIDC_REQUIRED = (
    "FHB_OIDC_ISSUER",
    "FHB_OIDC_CLIENT_ID",
    "FHB_OIDC_CLIENT_SECRET",
    "FHB_OIDC_AUTHORIZATION_ENDPOINT",
    "FHB_OIDC_TOKEN_ENDPOINT",
    "FHB_OIDC_ROLE_MAP",
)


def parse_role_map(text: str) -> dict[str, str]:
    """``"FHB-Konsulenter=consultant,FHB-Ledere=leader"`` -> the identity provider's group (case folded, as
    groups are compared without regard to case) -> fhb role; refuses a role fhb does not have."""
    role_map: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        group, equals, role = (part.strip() for part in item.rpartition("="))
        if not equals or not group or role not in FHB_ROLES:
            roles = ", ".join(FHB_ROLES)
            raise ImproperlyConfigured(
                f"FHB_OIDC_ROLE_MAP: {item.strip()!r} is not GROUP=ROLE, ROLE one of {roles}"
            )
        role_map[group.casefold()] = role
    if not role_map:
        raise ImproperlyConfigured("FHB_OIDC_ROLE_MAP maps no group to an fhb role: nobody could log in")
    return role_map


FHB_OIDC_ENABLED = any(os.environ.get(name) for name in FHB_OIDC_REQUIRED)
if FHB_OIDC_ENABLED:
    OIDC_RP_SIGN_ALGO = os.environ.get("FHB_OIDC_SIGN_ALGO") or "RS256"
    # RS256/ES256 tokens are checked with the provider's published keys; HS256 with the client secret.
    _oidc_keys = [] if OIDC_RP_SIGN_ALGO.startswith("HS") else ["FHB_OIDC_JWKS_ENDPOINT"]
    _oidc_missing = [name for name in (*FHB_OIDC_REQUIRED, *_oidc_keys) if not os.environ.get(name)]
    if _oidc_missing:
        _issuer = os.environ.get("FHB_OIDC_ISSUER", "<issuer>").rstrip("/")
        _discovery = f"{_issuer}/.well-known/openid-configuration"
        raise ImproperlyConfigured(
            f"Log-in through the identity provider needs {', '.join(_oidc_missing)} as well "
            f"(the endpoints are in {_discovery}; docs/operations.md)"
        )
    FHB_OIDC_ISSUER = os.environ["FHB_OIDC_ISSUER"].rstrip("/")  # the ID token's "iss" must be exactly this
    OIDC_RP_CLIENT_ID = os.environ["FHB_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ["FHB_OIDC_CLIENT_SECRET"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["FHB_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["FHB_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("FHB_OIDC_JWKS_ENDPOINT") or None
    # Optional: without it the ID token's claims alone describe the user.
    OIDC_OP_USER_ENDPOINT = os.environ.get("FHB_OIDC_USERINFO_ENDPOINT", "")
    # Optional: where the log-out also ends the session at the provider; without it fhb logs out locally.
    FHB_OIDC_END_SESSION_ENDPOINT = os.environ.get("FHB_OIDC_END_SESSION_ENDPOINT", "")
    OIDC_RP_SCOPES = os.environ.get("FHB_OIDC_SCOPES") or "openid email profile"
    FHB_OIDC_USERNAME_CLAIM = os.environ.get("FHB_OIDC_USERNAME_CLAIM") or "preferred_username"
    FHB_OIDC_ROLES_CLAIM = os.environ.get("FHB_OIDC_ROLES_CLAIM") or "groups"
    FHB_OIDC_ROLE_MAP = parse_role_map(os.environ["FHB_OIDC_ROLE_MAP"])
    OIDC_CREATE_USER = env_bool("FHB_OIDC_CREATE_USERS", True)
    OIDC_USE_PKCE = env_bool("FHB_OIDC_PKCE", True)
    OIDC_TIMEOUT = 10  # seconds for each call to the provider's token, user-info and key endpoints
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "fhb.accounts.oidc.OIDCBackend"]
    # The lock-out counts wrong passwords; the provider guards its own log-in, so its callbacks do not count.
    AXES_WHITELIST_CALLABLE = "fhb.accounts.oidc.is_provider_callback"
    if FHB_OIDC_END_SESSION_ENDPOINT:
        LOGOUT_REDIRECT_URL = "oidc-logout"
# ---- OpenID Connect (end) ---------------------------------------------------------------------------------

# Retention: citizens dead or gone from the extract are anonymised this many years after the last event
# (`fhb retention`, docs/operations.md "Privacy").
FHB_RETENTION_YEARS = int(os.environ.get("FHB_RETENTION_YEARS", "5"))

# The brake on imports (fhb.citizens.preview): an extract in which more than this share (in percent) of
# the latest extract's citizens is missing is stored only when a person confirms it.
try:
    FHB_IMPORT_MAX_GONE_PERCENT = float(os.environ.get("FHB_IMPORT_MAX_GONE_PERCENT") or "5")
except ValueError:
    FHB_IMPORT_MAX_GONE_PERCENT = -1.0
if not 0 <= FHB_IMPORT_MAX_GONE_PERCENT <= 100:
    raise ImproperlyConfigured(
        "FHB_IMPORT_MAX_GONE_PERCENT skal være et tal fra 0 til 100 (procent), fx 5; "
        f"fik {os.environ.get('FHB_IMPORT_MAX_GONE_PERCENT')!r}"
    )

# The largest extract file the import page takes (fhb.citizens.uploads), in megabytes.
FHB_IMPORT_MAX_MB = float(os.environ.get("FHB_IMPORT_MAX_MB", "500"))

# The statistics page keeps its figures this many seconds per filter choice (0: always count afresh);
# the page says when they were counted and has a button to count again.
FHB_STATS_CACHE_SECONDS = int(os.environ.get("FHB_STATS_CACHE_SECONDS", "300"))
# One cache for all the server's processes (gunicorn's workers), in files under the data folder: a page's
# figures are counted once, not once per process. No server of its own to run.
# Background jobs (fhb.jobs): Django's task API through django-tasks, queued in the database
# (django-tasks-db) and run by ``fhb worker``; no broker to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Uploads of population extracts can be large (a 100,000-citizen extract is ~15 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FHB_LOG_LEVEL", "INFO")},
}
