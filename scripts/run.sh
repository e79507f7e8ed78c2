#!/usr/bin/env bash
# Prepare the database and start the portal: gunicorn on 127.0.0.1:8000 and, when the broker answers,
# a Celery worker with embedded beat. Called by `make run` once the dependencies are installed and the
# translations compiled.
# Stopping it (Ctrl-C, or SIGTERM to its process group) stops both servers: the trap below kills them.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_SETTINGS_MODULE=portal.settings.base
# The demo on this machine: plain HTTP, and a development key unless DJANGO_SECRET_KEY is set.
export DJANGO_LOCAL_RUN="${DJANGO_LOCAL_RUN:-true}"
export DATABASE_URL="${DATABASE_URL:-postgres://root@127.0.0.1:5432/portal}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
# The demo's authorities sign their documents with certificates of a demo CA (manage.py signing_demo_ca).
export PORTAL_SIGNING_DIR="${PORTAL_SIGNING_DIR:-$PWD/var/signing}"
export PORTAL_SIGNING_TRUST="${PORTAL_SIGNING_TRUST:-$PORTAL_SIGNING_DIR/demo-ca.pem}"
PY=.venv/bin/python
BIND=127.0.0.1:8000

worker_pid=""
web_pid=""
stopping=""

stop() {
    [ -n "$stopping" ] && return
    stopping=1
    trap - INT TERM
    for pid in $web_pid $worker_pid; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    # Give both a moment for a warm shutdown, then make sure nothing is left behind.
    for _ in $(seq 1 40); do
        alive=""
        for pid in $web_pid $worker_pid; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ -z "$alive" ] && break
        sleep 0.25
    done
    for pid in $web_pid $worker_pid; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT

echo "==> database"
$PY scripts/ensure_database.py
$PY manage.py migrate --noinput
# The schedule of periodic tasks lives in code (notifications/schedule.py); beat reads it from the database.
$PY manage.py setup_periodic_tasks
$PY manage.py collectstatic --noinput --verbosity 0
# The organisation first, then its demo certificates, then the proposals, whose documents are signed with them.
$PY manage.py seed_demo --organisation-only
$PY manage.py signing_demo_ca
$PY manage.py seed_demo

broker_ok() {
    $PY - <<'PY' 2>/dev/null
import os, sys
from kombu import Connection

try:
    with Connection(os.environ["CELERY_BROKER_URL"], connect_timeout=3) as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
except Exception:
    sys.exit(1)
PY
}

if broker_ok; then
    echo "==> Celery worker with beat (broker $CELERY_BROKER_URL)"
    .venv/bin/celery -A portal worker -B --loglevel=INFO --concurrency=2 &
    worker_pid=$!
else
    echo "==> The broker at $CELERY_BROKER_URL does not answer: no Celery worker is started."
    echo "    Notifications and other tasks wait in the outbox and are delivered once a worker runs"
    echo "    (start Redis, then run make run again)."
fi

echo "==> web server on http://$BIND/"
.venv/bin/gunicorn portal.wsgi --bind "$BIND" --workers 3 --timeout 60 --access-logfile - &
web_pid=$!

# `wait` returns as soon as a signal arrives, so the traps fire at once; it also returns when
# either server dies, and then the other one is stopped too.
set +e
wait -n $web_pid ${worker_pid:+$worker_pid}
status=$?
set -e
echo "==> a server stopped (status $status); stopping the rest"
exit "$status"
