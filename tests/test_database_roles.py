"""The two database roles (portal/database.py): the application reads and writes rows and can do nothing else to
the records; the owner migrates. The suite itself connects as the application's role."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

from portal import database
from portal.database import app_database_url, as_owner
from tests.helpers import submitted

#: The records nobody may quietly change (proposals/0002, 0018): append-only to the application.
TRAILS = ("proposals_proposalevent", "proposals_confidentialaccess", "proposals_retaliationstep")


def refused(statement: str, params=()) -> str:
    """The database's refusal of `statement`, which changes nothing."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return str(refusal.value)


def test_the_derived_role_is_the_database_name_with_app_on_the_same_server():
    owner = "postgres://portal_owner:secret@db.internal:5433/portal?sslmode=require"

    assert app_database_url(owner) == "postgres://portal_app@db.internal:5433/portal?sslmode=require"
    assert app_database_url(owner, app_password="p@ss:w/rd") == (
        "postgres://portal_app:p%40ss%3Aw%2Frd@db.internal:5433/portal?sslmode=require")
    assert app_database_url("postgres://root@[::1]/portal_x") == "postgres://portal_x_app@[::1]/portal_x"
    assert app_database_url(owner, app_url="postgres://web@pool.internal/portal") == (
        "postgres://web@pool.internal/portal")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_APP_URL"):
        app_database_url("postgres://root@127.0.0.1:5432")


@pytest.mark.django_db
def test_the_portal_connects_as_a_role_that_owns_nothing_and_has_no_powers():
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,
                   (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)
            FROM pg_roles WHERE rolname = current_user""")
        role, *powers, tables_owned = cursor.fetchone()

    expected = settings.DATABASE_URL.rsplit("/", 1)[1].split("?")[0] + "_app"
    assert role == expected != settings.DATABASE_OWNER["USER"]
    assert powers == [False, False, False, False] and tables_owned == 0


@pytest.mark.django_db
@pytest.mark.parametrize("table", TRAILS)
def test_the_application_cannot_empty_alter_or_bypass_the_trails(org, table):
    submitted(org.proposer_dept, title="Một cửa điện tử")

    assert "permission denied" in refused(f"TRUNCATE {table}")
    assert "must be owner" in refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    assert "must be owner" in refused(f"DROP TABLE {table}")
    assert "permission denied" in refused("SET session_replication_role = replica")


@pytest.mark.django_db
def test_the_application_cannot_create_objects_but_may_recompute_the_derived_figures(org):
    assert "permission denied" in refused("CREATE TABLE intruder (id int)")
    assert "permission denied" in refused("CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    with connection.cursor() as cursor:  # reports_facts_rebuild() truncates the figures it recomputes
        cursor.execute("TRUNCATE reports_proposalcount")


def test_the_owner_role_still_migrates_and_owns_the_schema(database_owner, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, (SELECT tableowner FROM pg_tables WHERE tablename = %s)",
                       ["proposals_proposalevent"])
        role, table_owner = cursor.fetchone()

    assert role == table_owner == settings.DATABASE_OWNER["USER"]


@pytest.mark.django_db(transaction=True)
def test_migrate_refuses_an_application_role_with_powers(monkeypatch):
    from psycopg2 import sql

    powerful = "portal_test_powerful_app"
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP ROLE IF EXISTS {0}; CREATE ROLE {0} LOGIN CREATEDB").format(
            sql.Identifier(powerful)).as_string(cursor.connection))
    monkeypatch.setattr(database, "app_role", lambda: (powerful, ""))
    try:
        with as_owner(), pytest.raises(ImproperlyConfigured, match="read and write rows and nothing more"):
            database.app_role_ensure(connection)
    finally:
        with as_owner(), connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(powerful)).as_string(cursor.connection))


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_a_missing_application_role_and_grants_it_every_table(monkeypatch):
    from psycopg2 import sql

    newcomer = "portal_test_newcomer_app"
    monkeypatch.setattr(database, "app_role", lambda: (newcomer, ""))
    try:
        with as_owner():
            database.app_role_ensure(connection)
            database.app_role_ensure(connection)  # twice: nothing changes
            with connection.cursor() as cursor:
                cursor.execute("""
                    SELECT count(*) FILTER (WHERE NOT has_table_privilege(%s, c.oid, 'SELECT, INSERT, UPDATE, DELETE')),
                           count(*) FILTER (WHERE has_table_privilege(%s, c.oid, 'TRUNCATE'))
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind = 'r'""", [newcomer, newcomer])
                without_rows, truncatable = cursor.fetchone()
                cursor.execute("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = %s", [newcomer])
                can_login, superuser = cursor.fetchone()
    finally:
        with as_owner(), connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP OWNED BY {0}; DROP ROLE IF EXISTS {0}").format(
                sql.Identifier(newcomer)).as_string(cursor.connection))

    assert without_rows == 0 and truncatable == len(database.DERIVED_TABLES)
    assert can_login and not superuser


def test_manage_py_migrate_on_a_new_database_creates_the_application_role_as_make_run_does():
    """The path of `make run` and of a deployment: a new database, no application role, `manage.py migrate`."""
    import os
    import subprocess
    import sys
    import uuid

    import psycopg2

    name = f"portal_roles_{uuid.uuid4().hex[:8]}"
    owner = settings.DATABASE_OWNER["USER"]
    server = psycopg2.connect(dbname="postgres", user=owner, host="127.0.0.1")
    server.autocommit = True
    server.cursor().execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DJANGO_LOCAL_RUN": "true",
           "DATABASE_URL": f"postgres://{owner}@127.0.0.1:5432/{name}"}
    env.pop("DATABASE_APP_URL", None)
    try:
        migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], env=env,
                                  capture_output=True, text=True, cwd=settings.BASE_DIR, timeout=600)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        assert f"Created the application's database role '{name}_app'" in migrated.stdout
        checked = subprocess.run([sys.executable, "manage.py", "shell", "-c",
                                  "from django.db import connection; c = connection.cursor(); "
                                  "c.execute('SELECT current_user, count(*) FROM accounts_user'); print(c.fetchone())"],
                                 env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, timeout=120)
        assert checked.stdout.strip().splitlines()[-1] == f"('{name}_app', 0)", checked.stderr[-3000:]
    finally:
        cursor = server.cursor()
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'DROP ROLE IF EXISTS "{name}_app"')
        server.close()
