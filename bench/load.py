"""`make bench`'s load test: simulated people using the portal at once against gunicorn on 127.0.0.1, for a
bounded time (Locust, run as a library; nothing leaves this machine). docs/performance.md, "Load".

Three journeys, mixed: an official (their list, a search, one of their proposals), the head of UBND Thành phố
(the inbox, a filter, a proposal to decide) and Home Affairs (the dashboard and a drill-down). The goal is zero
errors; p50 and p95 are printed per page. BENCH_LOAD_USERS (50), BENCH_LOAD_SECONDS (120) and
BENCH_LOAD_WORKERS (gunicorn workers, 2 x cores + 1) change the run.
"""

from __future__ import annotations

# Locust patches the standard library for gevent when imported: first, before anything opens a socket.
from locust import HttpUser, between, task  # isort: skip
from locust.env import Environment  # isort: skip

import os
import sys

import gevent

USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))

#: Filled in by main(): a signed-in session per person, and the records their journeys open.
SESSIONS: dict[str, str] = {}
RECORDS: dict[str, int] = {}


class Person(HttpUser):
    abstract = True
    username = ""
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set("sessionid", SESSIONS[self.username])

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")


class Official(Person):
    username = "proposer.dept"

    @task(3)
    def own_list(self):
        self.page("/proposals/", "/proposals/")

    @task(1)
    def own_search(self):
        self.page("/proposals/?q=so+hoa+ho+so", "/proposals/?q=")

    @task(2)
    def own_proposal(self):
        self.page(f"/proposals/{RECORDS['own']}/", "/proposals/<id>/ (author)")


class CityHead(Person):
    username = "head.city"

    @task(3)
    def inbox(self):
        self.page("/review/", "/review/")

    @task(1)
    def overdue(self):
        self.page("/review/?overdue=on", "/review/?overdue=on")

    @task(2)
    def to_decide(self):
        self.page(f"/proposals/{RECORDS['reviewed']}/", "/proposals/<id>/ (head)")


class HomeAffairs(Person):
    username = "homeaffairs"

    @task(2)
    def dashboard(self):
        self.page("/reports/", "/reports/")

    @task(1)
    def drill_down(self):
        self.page("/reports/proposals/?compliance=overdue", "/reports/proposals/?compliance=overdue")


def _prepare() -> None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.bench"
    import django

    django.setup()
    from django.db import connection

    from bench.run import session_for
    from proposals.models import Proposal

    for person in (Official, CityHead, HomeAffairs):
        SESSIONS[person.username] = session_for(person.username)
    RECORDS["own"] = Proposal.objects.filter(author__username="proposer.dept").exclude(
        status="draft").order_by("-pk").values_list("pk", flat=True).first()
    RECORDS["reviewed"] = Proposal.objects.filter(deciding_authority__code="ubnd-tp", status="submitted").exclude(
        author__username="head.city").order_by("-pk").values_list("pk", flat=True).first()
    connection.close()


def main() -> int:
    from bench.run import Server

    _prepare()
    with Server(workers=WORKERS) as server:
        environment = Environment(user_classes=[Official, CityHead, HomeAffairs],
                                  host=f"http://127.0.0.1:{server.port}")
        runner = environment.create_local_runner()
        print(f"bench.load: {USERS} people for {SECONDS} s against gunicorn ({WORKERS} workers)", flush=True)
        runner.start(USERS, spawn_rate=max(1, USERS // 10))
        gevent.spawn_later(SECONDS, runner.quit)
        runner.greenlet.join()
    stats = environment.stats
    width = max(len(name) for (name, _method) in stats.entries) if stats.entries else 10
    print(f"| {'page':<{width}} | requests | errors | p50    | p95    |")
    print(f"|{'-' * (width + 2)}|----------|--------|--------|--------|")
    for (name, _method), entry in sorted(stats.entries.items()):
        print(f"| {name:<{width}} | {entry.num_requests:>8} | {entry.num_failures:>6} | "
              f"{entry.get_response_time_percentile(0.5):>3.0f} ms | {entry.get_response_time_percentile(0.95):>3.0f} ms |")
    total, failures = stats.total.num_requests, stats.total.num_failures
    for error in stats.errors.values():
        print(f"  error: {error.occurrences} x {error.name}: {error.error}")
    print(f"load: {total:,} requests by {USERS} people in {SECONDS} s, {failures} errors "
          f"({'met' if failures == 0 and total else 'NOT met'}: zero errors)")
    return 0 if failures == 0 and total else 1


if __name__ == "__main__":
    sys.exit(main())
