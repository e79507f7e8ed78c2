"""Two PostgreSQL roles (docs/security.md, "Database roles").

- The **owner** (`DATABASE_URL`) owns the schema: it runs the migrations (`manage.py migrate`), and tests use it
  to create, empty and drop their databases.
- The **application's role** (`DATABASE_APP_URL`) is what the web and worker processes connect as. It is not a
  superuser and owns nothing, so it cannot alter a table, switch a trigger off or truncate a table: it may
  only read and write rows, and the append-only trails refuse it even that (proposals/0002, 0018). When
  `DATABASE_APP_URL` is not set it is derived from `DATABASE_URL`: the same server and database, the user
  `<database>_app` and the password `DATABASE_APP_PASSWORD` (none, under the trust authentication of a
  development machine).

`migrate` creates the application's role when it is missing (the owner needs CREATEROLE for that; a production
database administrator creates it beforehand) and grants it what it needs after every run, so a new table is
never left out.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg2 import sql

#: Tables of figures derived from the proposals, which the application empties and recomputes
#: (`reports_facts_rebuild()`): the one place where it may truncate.
DERIVED_TABLES = ("reports_proposalfact", "reports_proposalcount", "reports_runningclockcount",
                  "reports_unityearcount")


def app_database_url(owner_url: str, *, app_url: str = "", app_password: str = "") -> str:
    """The application's connection URL: `app_url` when given, otherwise derived from the owner's."""
    if app_url:
        return app_url
    parts = urlsplit(owner_url)
    database = parts.path.lstrip("/")
    if not database:
        raise ImproperlyConfigured("DATABASE_URL names no database, so the application's role cannot be derived "
                                   "from it: add the database name, or set DATABASE_APP_URL.")
    user = quote(f"{database}_app", safe="")
    if app_password:
        user += ":" + quote(app_password, safe="")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def owner_credentials() -> dict | None:
    """The owner's USER and PASSWORD, or None when the portal connects as the owner anyway (the bench)."""
    owner = getattr(settings, "DATABASE_OWNER", None)
    if not owner or owner["USER"] == app_role()[0]:
        return None
    return owner


@contextlib.contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Connections of `alias` opened inside the block connect as the owner; the application's role again after."""
    owner = owner_credentials()
    connection = connections[alias]
    if owner is None or getattr(connection, "portal_app_credentials", None):  # the owner already
        yield
        return
    if connection.in_atomic_block:
        raise RuntimeError("The database role cannot change inside a transaction.")
    saved = {key: connection.settings_dict.get(key, "") for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(owner)
    connection.portal_app_credentials = saved
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.portal_app_credentials = None


def app_role() -> tuple[str, str]:
    """The application's role name and password, from the connection settings (also inside `as_owner`)."""
    connection = connections[DEFAULT_DB_ALIAS]
    credentials = getattr(connection, "portal_app_credentials", None) or connection.settings_dict
    return credentials["USER"], credentials.get("PASSWORD") or ""


def app_role_ensure(connection, *, stdout=None) -> None:
    """As the owner, on `connection`: create the application's role if it is missing, refuse one with powers it
    must not have, and grant it the rows of every table (but the truncation of none but `DERIVED_TABLES`)."""
    role, password = app_role()
    owner = owner_credentials()
    if owner is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = %s",
                       [role])
        found = cursor.fetchone()
        if found is None:
            create = sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                             ).format(sql.Identifier(role))
            if password:
                create += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
            # Two test databases may be migrated at once: the second CREATE ROLE then finds the first's role.
            cursor.execute(sql.SQL("DO $portal$ BEGIN {}; EXCEPTION WHEN duplicate_object OR unique_violation "
                                   "THEN NULL; END $portal$").format(create).as_string(cursor.connection))
            if stdout is not None:
                stdout.write(f"Created the application's database role {role!r}.\n")
        elif any(found):
            raise ImproperlyConfigured(
                f"The application's database role {role!r} may create roles or databases, bypass row security or "
                "is a superuser: it must be able to read and write rows and nothing more (docs/security.md).")
        names = {"role": sql.Identifier(role), "database": sql.Identifier(connection.settings_dict["NAME"])}
        for statement in (
            "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ):
            cursor.execute(sql.SQL(statement).format(**names).as_string(cursor.connection))
        for table in DERIVED_TABLES:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
            if cursor.fetchone()[0]:
                cursor.execute(sql.SQL("GRANT TRUNCATE ON {} TO {}").format(
                    sql.Identifier(table), names["role"]).as_string(cursor.connection))
