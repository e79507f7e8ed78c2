#!/usr/bin/env python
"""Create the PostgreSQL database named by DATABASE_URL if it does not exist yet, and the application's role.

Connects to the server's `postgres` maintenance database with the same host, port, user and
password, so it needs nothing but the URL; then, as that owner, makes sure the role the portal connects as
exists (portal/database.py; `manage.py migrate` grants it the tables). Used by `make run` and `make check`;
safe to run any number of times.
"""

import os
import sys
from pathlib import Path

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://root@127.0.0.1:5432/portal"


def main() -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        print(f"ensure_database: {config['ENGINE']} is not PostgreSQL; nothing to do", file=sys.stderr)
        return 0
    name = config["NAME"]
    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "connect_timeout": 10,
    }
    try:
        connection = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    except psycopg2.OperationalError as exc:
        print(f"ensure_database: cannot reach PostgreSQL for {name!r}: {exc}", file=sys.stderr)
        return 1
    connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                print(f"ensure_database: database {name!r} exists")
            else:
                cursor.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)))
                print(f"ensure_database: created database {name!r}")
    finally:
        connection.close()
    ensure_app_role()
    return 0


def ensure_app_role() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.db import connection

    from portal.database import app_role, app_role_ensure, as_owner

    with as_owner():
        app_role_ensure(connection, stdout=sys.stdout)
    print(f"ensure_database: the portal connects as {app_role()[0]!r}")


if __name__ == "__main__":
    sys.exit(main())
