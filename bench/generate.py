"""`python -m bench.generate`: the bench data set in its own database (docs/performance.md).

    BENCH_PROPOSALS      proposals to generate (default 1,000,000); the organisation and officials scale with it
    BENCH_DATABASE_URL   the database (default postgres://root@127.0.0.1:5432/portal_bench), dropped and recreated
    BENCH_REGENERATE=1   regenerate even when the database already holds this size for the current schema

Steps: recreate the database, `migrate`, `seed_demo` (the demo organisation, accounts and proposals, through the
real services), then `populate()`: the rest of the organisation (bench.organisation) and the proposals with every
row the portal keeps with them (bench.proposals), all by COPY and INSERT ... SELECT; then `after_load()` and
ANALYZE. A marker table `bench_marker` records the size, the generator's own source and every migration it was
generated under, so a second `make bench` reuses the data set while none of them changed. Migrations added since are
applied to it in place with `migrate`, as a deployment applies them to the City's data (a migration that needs a
backfill must bring it); changing or removing a migration the data set was built with regenerates it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://root@127.0.0.1:5432/portal_bench"
SETTINGS = "portal.settings.bench"
FULL_SIZE = 1_000_000
#: Officials at full size; fewer in proportion for smaller runs.
OFFICIALS = 100_000
SEED = 0.1973


def proposals_wanted() -> int:
    return int(os.environ.get("BENCH_PROPOSALS", FULL_SIZE))


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def log(message: str) -> None:
    print(f"bench.generate: {message}", flush=True)


# — the data set, inside the current Django database ——————————————————————————————————————————————


def populate(*, proposals: int, today: datetime.date | None = None, seed: float = SEED) -> dict:
    """Grow the seeded organisation to city size and write `proposals` proposals with all their rows.

    Runs in the database of Django's default connection, which must be migrated and hold `seed_demo`'s
    organisation (the tests call it at a tiny size). Returns the counts written and the timings of each step."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import organisation, proposals as writer

    today = today or timezone.localdate()
    now = timezone.now()
    scale = proposals / FULL_SIZE
    timings: dict[str, float] = {}
    history_from = today.replace(year=today.year - 5)

    def step(name, function, *args, **kwargs):
        started = time.monotonic()
        result = function(*args, **kwargs)
        timings[name] = round(time.monotonic() - started, 1)
        log(f"  {name}: {timings[name]} s")
        return result

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL jit = off")
        # Foreign keys are checked at the end of each statement rather than at commit: the search trigger is
        # switched off around the proposals' insert, which PostgreSQL refuses while checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The portal's own triggers (the search document, the dashboard's facts and counters) would redo per
        # row what after_load() rebuilds in bulk; the foreign-key checks are internal triggers and stay on.
        cursor.execute("""SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger
                          WHERE NOT tgisinternal AND tgrelid::regclass::text NOT LIKE 'pg_%'""")
        triggered = [row[0] for row in cursor.fetchall()]
        for table in triggered:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        # Unit counts reach the city's shape from 100,000 proposals up; officials scale with the proposals.
        units = step("units", organisation.grow_units, cursor, unit_scale=min(1.0, scale * 10))
        step("officials", organisation.add_officials, cursor, units,
             officials=max(300, round(OFFICIALS * scale)), seed=int(seed * 1e6))
        routed = step("routing", organisation.routes, cursor, units, on=today,
                      exclude=("head.city", "head.dept", "head.ward", "homeaffairs", "admin"))
        step("calendar", writer.working_days, cursor, start=history_from - datetime.timedelta(days=60),
             end=today + datetime.timedelta(days=400))
        plans = max(50, min(5000, proposals // 100))
        step("texts", writer.text_pools, cursor, plans=plans, titles=max(200, min(50_000, proposals // 10)),
             seed=int(seed * 1e6))
        buckets = step("authors", writer.pools, cursor, routed, units, today=today, history_from=history_from)
        step("authorities", writer.authorities, cursor)
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM proposals_proposal")
        first_id = cursor.fetchone()[0]
        step("skeleton", writer.skeleton, cursor, count=proposals, first_id=first_id, seed=seed, now=now,
             buckets=buckets, plans=plans, titles=max(200, min(50_000, proposals // 10)),
             clocks=settings.CLOCK_WORKING_DAYS)
        with writer.indexes_built_after(cursor, "proposals_proposal", "proposals_proposalversion",
                                        "proposals_proposalevent", "proposals_proposaluserobjectpermission"):
            step("proposals", writer.proposals, cursor)
            step("versions, routing", writer.versions_and_routing, cursor)
            step("decisions, aftercare", writer.decisions, cursor)
            step("events", writer.events, cursor, yesterday=today - datetime.timedelta(days=1))
            decide = step("grants", writer.grants, cursor)
            started = time.monotonic()
        timings["indexes"] = round(time.monotonic() - started, 1)
        log(f"  indexes: {timings['indexes']} s")
        for table in ("proposals_proposalversion", "proposals_proposalevent", "proposals_proposalrouting",
                      "proposals_decision", "proposals_meeting", "proposals_partyopinion",
                      "proposals_proposaluserobjectpermission"):
            organisation.reset_sequence(cursor, table)
        for name in ("bench_r", "bench_p", "bench_q", "bench_plan", "bench_title", "bench_author", "bench_bucket",
                     "bench_state", "bench_auth", "bench_day", "bench_wday"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute("DROP INDEX IF EXISTS proposals_meeting_proposal_id_stage_idx")
        cursor.execute("DROP FUNCTION IF EXISTS pg_temp.add_wd(date, int)")
        for table in triggered:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return {"proposals": proposals, "decide_grants": decide, "timings": timings}


def after_load() -> None:
    """Rebuild whatever the portal precomputes from the rows written above (counters, summary tables).

    The generator writes rows as the services leave them, but not through the services, so anything the services
    maintain beside those rows is rebuilt here, by the portal's own rebuild function."""
    import importlib

    for module_name, function_name in (("reports.services", "facts_rebuild"),
                                       ("proposals.search", "search_words_rebuild")):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, function_name, None)
        if callable(function):
            log(f"after_load: {module_name}.{function_name}()")
            function()


# — the database and the marker ————————————————————————————————————————————————————————————————————


def fingerprint() -> str:
    """The generator's source (not the runner's) and seed_demo: a change to either makes the data set stale."""
    digest = hashlib.sha256()
    generator = [ROOT / "bench" / name for name in ("generate.py", "organisation.py", "proposals.py", "texts.py")]
    for path in sorted([*generator, ROOT / "accounts/management/commands/seed_demo.py", ROOT / "proposals/demo.py"]):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migration_hashes() -> dict[str, str]:
    """Each migration file on disk and a hash of its source."""
    return {path.relative_to(ROOT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            for path in sorted(ROOT.glob("*/migrations/*.py"))}


def reusable(current: dict | None, proposals: int) -> bool:
    """The data set holds `proposals` from this generator, and every migration it was built with is unchanged."""
    if not current or current["proposals"] != proposals or current["fingerprint"] != fingerprint():
        return False
    on_disk = migration_hashes()
    return all(on_disk.get(name) == digest for name, digest in (current["migrations"] or {}).items()) \
        and bool(current["migrations"])


def _connect(url: str, *, maintenance: bool = False):
    config = dj_database_url.parse(url)
    params = {"dbname": "postgres" if maintenance else config["NAME"], "user": config.get("USER") or None,
              "password": config.get("PASSWORD") or None, "host": config.get("HOST") or None,
              "port": config.get("PORT") or None}
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v})
    connection.autocommit = True
    return connection, config["NAME"]


def marker(url: str) -> dict | None:
    try:
        connection, _name = _connect(url)
    except psycopg2.OperationalError:
        return None
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_marker')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT column_name FROM information_schema.columns "
                       "WHERE table_name = 'bench_marker' AND column_name = 'migrations'")
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT proposals, fingerprint, generated_on, seconds, migrations FROM bench_marker")
        row = cursor.fetchone()
    connection.close()
    return dict(zip(("proposals", "fingerprint", "generated_on", "seconds", "migrations"), row, strict=True)) \
        if row else None


def _run(*args: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_DATABASE_URL": database_url()}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def generate(proposals: int) -> float:
    url = database_url()
    started = time.monotonic()
    connection, name = _connect(url, maintenance=True)
    with connection.cursor() as cursor:
        log(f"recreating database {name}")
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
    log("migrate")
    _run("migrate", "--verbosity", "0")
    log("seed_demo (demo organisation, accounts and proposals, through the services)")
    _run("seed_demo", "--verbosity", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = url
    import django

    django.setup()
    log(f"populate: {proposals:,} proposals")
    counts = populate(proposals=proposals)
    after_load()
    log("VACUUM ANALYZE")
    connection, _name = _connect(url)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        seconds = round(time.monotonic() - started)
        cursor.execute("CREATE TABLE bench_marker (proposals int, fingerprint text, generated_on date, seconds int, "
                       "decide_grants bigint, migrations jsonb)")
        cursor.execute("INSERT INTO bench_marker VALUES (%s, %s, %s, %s, %s, %s)",
                       [proposals, fingerprint(), datetime.date.today(), seconds, counts["decide_grants"],
                        json.dumps(migration_hashes())])
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    connection.close()
    log(f"done: {proposals:,} proposals in {seconds} s, database {size}")
    return seconds


def main() -> int:
    proposals = proposals_wanted()
    current = marker(database_url())
    if os.environ.get("BENCH_REGENERATE") not in ("1", "true", "yes") and reusable(current, proposals):
        log(f"reusing the data set of {current['generated_on']} ({proposals:,} proposals, generated in "
            f"{current['seconds']} s); BENCH_REGENERATE=1 makes a new one")
        log("migrate (migrations added since the data set was generated are applied to it in place)")
        _run("migrate", "--verbosity", "1")
        # From now on the data set holds these migrations too: editing one of them later must regenerate it.
        connection, _name = _connect(database_url())
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bench_marker SET migrations = %s", [json.dumps(migration_hashes())])
        connection.close()
        return 0
    generate(proposals)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
