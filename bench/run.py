"""`python -m bench.run`: measure the portal on the bench data set (docs/performance.md).

One gunicorn worker (sync) serves the portal with `portal.settings.bench` on a free port of 127.0.0.1. Each page is
requested by the person it is for (sessions made directly in the database: signing in is not what is measured),
a few times to warm up and then BENCH_RUNS times (default 30); the table shows the 50th and 95th percentiles at the
client, the number of SQL statements the request ran (X-Queries, bench.middleware) and the size of the HTML.
Each page's statements are then replayed by the bare-Django view (bench.views) as many times: "bare" is that time,
and "×" the page's time over it, the portal's own overhead on top of its SQL.

Operations run in this process, against the same database, inside a transaction that is rolled back at the end, so
the data set stays reusable; the messages they queue are handed to the broker as a commit would (a Redis database of
the bench's own, emptied afterwards):
- submission: submit a saved draft through proposals.services (saving the draft is an earlier request), against a bare ORM insert of the same row;
- a decision (rejection) through the service;
- the daily deadline scan (the Celery task notifications.scan_deadlines, called in-process) on the day after the
  data set's last scan, and the catch-up after a missed week (the same task a week later).

The last line reads `bench: K/N goals met at P proposals`. The exit status is 0 whether goals are met or not; it is
non-zero only when something failed (a page that does not answer 200, an operation that raises).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import http.client
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
EXPORT_RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "3"))
OPERATION_RUNS = int(os.environ.get("BENCH_OPERATION_RUNS", "30"))
MAX_PAGE_BYTES = 200 * 1024
#: Seconds a page's timed runs may take; a page far slower than its goal gets fewer runs (at least MIN_RUNS), so
#: that a run at a million proposals ends in reasonable time. The table says how many runs each row had.
PAGE_BUDGET = float(os.environ.get("BENCH_PAGE_BUDGET", "45"))
#: Measure only the rows whose name contains this text (while working on one page); the table then says so.
ONLY = os.environ.get("BENCH_ONLY", "")


def wanted(name: str) -> bool:
    return ONLY.lower() in name.lower()
MIN_RUNS = 5
#: Common words, a misspelt word, and rare words (a title of seed_demo's, in every data set).
SEARCHES = ("so hoa ho so", "chuyen doi so tai phuong", "thu tuc hanh chin", "luan chuyen cong chuc")


@dataclasses.dataclass
class Row:
    name: str
    p50: float | None = None  # seconds
    p95: float | None = None
    queries: str = ""
    size: int | None = None
    bare: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""
    runs: int | None = None

    @property
    def ratio(self) -> str:
        return f"{self.p50 / self.bare:.1f}" if self.p50 and self.bare else ""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    def __init__(self, port: int):
        self.port = port

    def get(self, path: str, *, session: str | None = None, headers: dict | None = None,
            first_byte: bool = False) -> tuple[int, dict, int, float, float]:
        """(status, headers, body size, seconds to the first byte of the body, seconds to the last)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if session:
            sent["Cookie"] = f"sessionid={session}"
        started = time.perf_counter()
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        size, first = 0, None
        while True:
            chunk = response.read1(65536) if first_byte else response.read()
            if first is None:
                first = time.perf_counter() - started
            if not chunk:
                break
            size += len(chunk)
            if not first_byte:
                break
        total = time.perf_counter() - started
        result = (response.status, dict(response.getheaders()), size, first, total)
        connection.close()
        return result


class Server:
    def __init__(self, workers: int = 1):
        self.port = free_port()
        self.workers = workers
        self.process = None

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--worker-class", "sync", "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status = Client(self.port).get("/healthz")[0]
                if status in (200, 503):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def worker_peak_rss_mb(self) -> float | None:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            status = Path(f"/proc/{children[0]}/status").read_text()
        except (OSError, IndexError):
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def session_for(username: str) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def measure_page(client: Client, name: str, path: str, session: str, *, goal_ms: float, runs: int = RUNS) -> Row:
    slowest = 0.0
    for _i in range(WARMUP):
        status, _headers, _size, _first, total = client.get(path, session=session)
        if status != 200:
            raise RuntimeError(f"{name}: GET {path} answered {status}")
        slowest = total
    runs = max(min(runs, MIN_RUNS), min(runs, int(PAGE_BUDGET / max(slowest, 1e-3))))
    times, queries, size = [], "", 0
    for _i in range(runs):
        status, headers, size, _first, total = client.get(path, session=session)
        if status != 200:
            raise RuntimeError(f"{name}: GET {path} answered {status}")
        times.append(total)
        queries = headers.get("X-Queries", "")
    key = uuid.uuid4().hex
    client.get(path, session=session, headers={"X-Bench-Capture": key})
    bare_path = f"/__bench__/bare/{key}/"
    for _i in range(WARMUP):
        client.get(bare_path)
    bare = [client.get(bare_path)[4] for _i in range(runs)]
    row = Row(name, statistics.median(times), percentile(times, 0.95), queries, size, statistics.median(bare),
              goal=f"p95 ≤ {goal_ms:.0f} ms, ≤ 200 KB")
    row.met = row.p95 * 1000 <= goal_ms and size <= MAX_PAGE_BYTES
    row.runs = runs
    row.note = path
    return row


def measure_export(client: Client, server: Server, name: str, path: str, session: str, rows: int) -> list[Row]:
    firsts, totals, size = [], [], 0
    for _i in range(EXPORT_RUNS):
        status, _headers, size, first, total = client.get(path, session=session, first_byte=True)
        if status != 200:
            raise RuntimeError(f"{name}: GET {path} answered {status}")
        firsts.append(first)
        totals.append(total)
    peak = server.worker_peak_rss_mb()
    note = f"{rows:,} rows, {size / 1e6:.1f} MB file, worker peak RSS {peak:.0f} MB" if peak else f"{rows:,} rows"
    return [
        Row(f"{name}: first byte", statistics.median(firsts), max(firsts), "stream", None, goal="≤ 1 s (streams)",
            met=max(firsts) <= 1.0, note=note),
        Row(f"{name}: whole file", statistics.median(totals), max(totals), "stream", size, goal="≤ 60 s",
            met=max(totals) <= 60, note=path),
    ]


def measure_background_export(params: dict) -> list[Row]:
    """Excel files are written by a background job (reports.services.exports): the request that starts one returns
    at once with a progress page, so what is measured is the job itself, run here as a worker would run it."""
    from accounts.models import User
    from reports import services as report_services
    from reports.models import ExportJob
    from reports.selectors import ReportFilters

    monitor = User.objects.get(username="homeaffairs")
    filters = ReportFilters(date_from=datetime.datetime.strptime(params["export"]["date_from"], "%d/%m/%Y").date(),
                            date_to=datetime.datetime.strptime(params["export"]["date_to"], "%d/%m/%Y").date())
    totals = []
    for _i in range(EXPORT_RUNS):
        job = committed(lambda: report_services.export_job_start(actor=monitor, fmt="xlsx", filters=filters))
        started = time.perf_counter()
        job = report_services.export_job_run(job_id=job.pk)
        totals.append(time.perf_counter() - started)
        if job.status != ExportJob.Status.DONE:
            raise RuntimeError(f"export job {job.pk} ended {job.status}: {job.failure}")
        size = job.file.size
        job.delete()  # its file leaves storage with it
    purge_broker()
    return [Row("export XLSX (background job): whole file", statistics.median(totals), max(totals), "job", size,
                goal="≤ 60 s", met=max(totals) <= 60,
                note=f"{job.rows_done:,} rows, {size / 1e6:.1f} MB file")]


# — operations ————————————————————————————————————————————————————————————————————————————————————————


class Rollback(Exception):
    pass


def committed(function):
    """Run `function` in a savepoint and then the callbacks a commit would run (the broker sends)."""
    from django.db import connection, transaction

    with transaction.atomic():
        result = function()
    hooks, connection.run_on_commit = connection.run_on_commit, []
    for _savepoints, hook, _robust in hooks:
        hook()
    return result


def plan_data(proposal) -> dict:
    from proposals.models import CONTENT_FIELDS

    data = {field: getattr(proposal, field) for field in CONTENT_FIELDS if field != "involved_units"}
    data["involved_units"] = []
    return data


def measure_operations(today: datetime.date, proposals: int) -> list[Row]:
    from django.db import connection, transaction

    from accounts.models import User
    from notifications.tasks import scan_deadlines
    from proposals import services
    from proposals.models import Proposal

    rows = []
    official = User.objects.get(username="proposer.dept")
    template = Proposal.objects.filter(status="closed").exclude(author=official).order_by("pk").first()
    data = plan_data(template)

    # Submission through the services against a bare insert of the same row.
    submitted = []
    try:
        with transaction.atomic():
            # Saving the draft is the form's earlier step (a request of its own); submitting is what is timed.
            drafts = [committed(lambda: services.proposal_create_draft(actor=official, data=data))
                      for _i in range(OPERATION_RUNS)]
            started = time.perf_counter()
            for draft in drafts:
                submitted.append(committed(lambda d=draft: services.proposal_submit(actor=official, proposal=d)))
            service_seconds = time.perf_counter() - started
            fields = {f.attname: getattr(submitted[-1], f.attname) for f in Proposal._meta.concrete_fields
                      if f.attname not in ("id", "reference", "creation_token", "search_document")}
            started = time.perf_counter()
            for _i in range(OPERATION_RUNS):
                committed(lambda: Proposal.objects.create(**{**fields, "creation_token": uuid.uuid4()}))
            bare_seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    service_rate, bare_rate = OPERATION_RUNS / service_seconds, OPERATION_RUNS / bare_seconds
    rows.append(Row("submission via services (submit of a saved draft)", service_seconds / OPERATION_RUNS, None, "", None,
                    bare_seconds / OPERATION_RUNS, goal="≥ 60 % of bare insert rate",
                    met=service_rate >= 0.6 * bare_rate,
                    note=f"{service_rate:.1f}/s vs bare {bare_rate:.1f}/s = {100 * service_rate / bare_rate:.0f} %"))

    # A decision (rejection) through the service, by the head of UBND Thành phố.
    head = User.objects.get(username="head.city")
    targets = list(Proposal.objects.filter(status="submitted", deciding_authority__code="ubnd-tp")
                   .exclude(author=head).order_by("-pk")[:5])
    times = []
    try:
        with transaction.atomic():
            for n, proposal in enumerate(targets):
                started = time.perf_counter()
                committed(lambda p=proposal, n=n: services.proposal_reject(
                    actor=head, proposal=p, decision_date=today,
                    reasons="Chưa bảo đảm tính khả thi."))
                times.append(time.perf_counter() - started)
            raise Rollback
    except Rollback:
        pass
    if times:
        rows.append(Row("decision (rejection) via services", statistics.median(times), max(times), "", None,
                        goal="(no goal)", note=f"{len(times)} decisions, PDF included"))

    # The daily deadline scan, and the catch-up of a missed week.
    for label, day, goal in (("daily deadline scan", today, 60), ("deadline scan catching up a missed week",
                                                                 today + datetime.timedelta(days=6), 180)):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                written = committed(lambda d=day: scan_deadlines(d.isoformat()))
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        rows.append(Row(label, seconds, None, "", None, goal=f"≤ {goal} s", met=seconds <= goal,
                        note=f"{written:,} events on {day:%d/%m/%Y}"))
    connection.close()
    return rows


#: The HR files of the import measure: a department of 200 divisions and 50,000 officials with their posts.
IMPORT_DIVISIONS, IMPORT_STAFF = 200, 250


def organisation_import_files() -> list[tuple[str, bytes]]:
    def table(header: list[str], rows) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().encode()

    divisions = [f"bench-import-p{number}" for number in range(IMPORT_DIVISIONS)]
    staff = [(f"BI{d:03d}{p:03d}", division) for d, division in enumerate(divisions) for p in range(IMPORT_STAFF)]
    return [
        ("don_vi.csv", table(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Hiệu lực từ"], [
            ["bench-import", "Sở Thử Nhập", "city_agency", "", "01/07/2025"],
            *[[code, f"Phòng {code}", "division", "bench-import", "01/07/2025"] for code in divisions]])),
        ("can_bo.csv", table(["Mã cán bộ", "Họ và tên", "Thư điện tử"], [
            [code, f"Nguyễn Văn Nhập {code}", f"{code.lower()}@bench.invalid"] for code, _division in staff])),
        ("chuc_vu.csv", table(["Mã cán bộ", "Mã đơn vị", "Chức vụ", "Nhóm đối tượng", "Mã cơ quan quản lý", "Từ ngày"], [
            [code, division, "Chuyên viên", "staff", "bench-import", "01/07/2025"] for code, division in staff])),
    ]


def measure_organisation_import() -> list[Row]:
    """The check and the application of a 100,000-row HR import (issue 15), inside a transaction rolled back."""
    from django.db import connection, transaction

    from accounts import imports, services

    files = organisation_import_files()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            problems: list = []
            plan = imports.plan(imports.read(files, problems), problems=problems)
            checked = time.perf_counter() - started
            assert not plan.problems, plan.problems[:5]
            started = time.perf_counter()
            services.organisation_import_write(plan)
            applied = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    connection.close()
    note = f"{plan.rows:,} rows ({len(plan.writes['officials']):,} officials, {len(plan.writes['posts']):,} posts)"
    return [Row("organisation import: check (dry run)", checked, None, "", None, goal="≤ 180 s", met=checked <= 180,
                note=note),
            Row("organisation import: apply", applied, None, "", None, goal="≤ 180 s", met=applied <= 180, note=note)]


def purge_broker() -> None:
    from django.conf import settings

    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    except Exception as error:  # noqa: BLE001 - the broker is only emptied, never needed
        print(f"bench.run: could not empty the bench broker: {error}", file=sys.stderr)


# — the parameters of the pages, read from the data set ——————————————————————————————————————————————


def parameters(today: datetime.date, proposals: int) -> dict:
    from django.db.models import Count

    from accounts.models import OrganisationUnit, User
    from proposals import selectors
    from proposals.models import Proposal
    from reports import selectors as reports

    official = User.objects.get(username="proposer.dept")
    head = User.objects.get(username="head.city")
    own = (Proposal.objects.filter(author=official, status="closed").annotate(n=Count("events"))
           .order_by("-n").first() or Proposal.objects.filter(author=official).first())
    reviewed = (Proposal.objects.filter(deciding_authority__code="ubnd-tp", status="closed").exclude(author=head)
                .order_by("-pk").first())
    units = set(selectors.inbox_units(user=head).values_list("pk", flat=True))
    busiest = (Proposal.objects.filter(deciding_authority__code="ubnd-tp", submitter_unit__in=units)
               .values("submitter_unit").annotate(n=Count("pk")).order_by("-n").first())
    first_year = Proposal.objects.order_by("created_at").values_list("created_at", flat=True).first().year
    all_years = {"date_from": f"01/01/{first_year}", "date_to": f"31/12/{today.year}"}
    # The export covers as many days back from today as hold about a tenth of the proposals (100,000 at a million).
    target = min(100_000, max(1000, proposals // 10))
    scope = reports.Scope(city=True)
    low, high = 1, 365 * 6
    while low < high:
        middle = (low + high) // 2
        filters = reports.ReportFilters(date_from=today - datetime.timedelta(days=middle), date_to=today)
        if reports.proposal_list_for_report(scope=scope, filters=filters).count() >= target:
            high = middle
        else:
            low = middle + 1
    export_from = today - datetime.timedelta(days=low)
    export_filters = reports.ReportFilters(date_from=export_from, date_to=today)
    export_rows = reports.proposal_list_for_report(scope=scope, filters=export_filters).count()
    reference = Proposal.objects.filter(deciding_authority__code="ubnd-tp").exclude(reference=None).order_by("?") \
        .values_list("reference", flat=True).first()
    return {
        "own": own.pk, "reviewed": reviewed.pk if reviewed else own.pk,
        "unit": busiest["submitter_unit"] if busiest else OrganisationUnit.objects.get(code="ubnd-tp").pk,
        "all_years": all_years, "reference": reference,
        "export": {"date_from": export_from.strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")},
        "export_rows": export_rows,
    }


def main() -> int:
    # A terminated run still stops its gunicorn (Server.__exit__).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.bench"
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.generate import marker, database_url

    current = marker(database_url())
    if current is None:
        print("bench.run: no bench data set; run python -m bench.generate first", file=sys.stderr)
        return 2
    proposals = current["proposals"]
    # The data set's reminders run up to the day before it was generated: its "today" is the scan's day.
    today = current["generated_on"]
    real_today = timezone.localdate()
    print(f"bench.run: {proposals:,} proposals (generated {today}, {current['seconds']} s); "
          f"{RUNS} runs after {WARMUP} warm-up per page", flush=True)
    params = parameters(real_today, proposals)
    sessions = {name: session_for(name) for name in ("proposer.dept", "head.city", "head.dept", "homeaffairs")}
    connection.close()
    rows: list[Row] = []
    q = {"q": SEARCHES[0]}
    with Server() as server:
        client = Client(server.port)
        pages = [
            ("proposal page (its author)", "proposer.dept", f"/proposals/{params['own']}/", 60),
            ("proposal page (head of UBND TP)", "head.city", f"/proposals/{params['reviewed']}/", 60),
            ("/proposals/ of an official", "proposer.dept", "/proposals/", 60),
            ("/review/ UBND TP", "head.city", "/review/", 60),
            ("/review/ UBND TP, status=submitted", "head.city", "/review/?status=submitted", 60),
            ("/review/ UBND TP, status=all", "head.city", "/review/?status=all", 60),
            ("/review/ UBND TP, unit", "head.city", f"/review/?unit={params['unit']}", 60),
            ("/review/ UBND TP, topic", "head.city", "/review/?topic=2", 60),
            ("/review/ UBND TP, overdue", "head.city", "/review/?overdue=on", 60),
            ("/review/ of a department (Sở Xây dựng)", "head.dept", "/review/", 60),
            ("/reports/ Home Affairs, this year", "homeaffairs", "/reports/", 250),
            ("/reports/ Home Affairs, all years", "homeaffairs", f"/reports/?{urlencode(params['all_years'])}", 250),
            ("/reports/ head of UBND TP, all years", "head.city", f"/reports/?{urlencode(params['all_years'])}", 250),
            ("/reports/proposals/ overdue, all years", "homeaffairs",
             f"/reports/proposals/?{urlencode({**params['all_years'], 'compliance': 'overdue'})}", 100),
        ]
        searches = [
            ("search /review/ UBND TP", "head.city", "/review/?", {"status": "all"}),
            ("search /proposals/ official", "proposer.dept", "/proposals/?", {}),
            ("search /reports/proposals/", "homeaffairs", "/reports/proposals/?", params["all_years"]),
        ]
        for name, user, path, goal in pages:
            if not wanted(name):
                continue
            rows.append(measure_page(client, name, path, sessions[user], goal_ms=goal))
            print(f"  {rows[-1].name}: p95 {rows[-1].p95 * 1000:.0f} ms", flush=True)
        search_times = []
        for name, user, path, extra in searches:
            for text in (*SEARCHES, params["reference"]):
                if not wanted(f"{name}: “{text}”"):
                    continue
                row = measure_page(client, f"{name}: “{text}”", path + urlencode({**extra, "q": text}),
                                   sessions[user], goal_ms=100, runs=max(5, RUNS // 3))
                rows.append(row)
                search_times.append(row.p95)
                print(f"  {row.name}: p95 {row.p95 * 1000:.0f} ms", flush=True)
        del q
        if wanted("export CSV"):
            export_query = urlencode(params["export"])
            rows += measure_export(client, server, "export CSV", f"/reports/proposals/export.csv?{export_query}",
                                   sessions["homeaffairs"], params["export_rows"])
            print(f"  export csv: {rows[-1].p50:.1f} s", flush=True)
        if wanted("export XLSX"):
            rows += measure_background_export(params)
            print(f"  export xlsx (background job): {rows[-1].p50:.1f} s", flush=True)
    if wanted("operations: submission, decision, deadline scan"):
        rows += measure_operations(today, proposals)
    if wanted("organisation import"):
        rows += measure_organisation_import()
        print(f"  organisation import: check {rows[-2].p50:.1f} s, apply {rows[-1].p50:.1f} s", flush=True)
    purge_broker()
    print_table(rows, proposals)
    return 0


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def print_table(rows: list[Row], proposals: int) -> None:
    header = ("page / operation", "runs", "p50", "p95", "queries", "size", "bare p50", "×", "goal", "met?")
    lines = [header]
    for row in rows:
        size = f"{row.size / 1024:.0f} KB" if row.size is not None else ""
        met = "" if row.met is None else ("yes" if row.met else "NO")
        lines.append((row.name, row.runs or "", _ms(row.p50), _ms(row.p95), row.queries, size, _ms(row.bare), row.ratio, row.goal, met))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    print()
    for n, line in enumerate(lines):
        print("| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    print()
    for row in rows:
        if row.note and not row.note.startswith("/"):
            print(f"  {row.name}: {row.note}")
    judged = [row for row in rows if row.met is not None]
    only = f" (only the rows matching “{ONLY}”: BENCH_ONLY)" if ONLY else ""
    print(f"bench: {sum(row.met for row in judged)}/{len(judged)} goals met at {proposals} proposals{only}")


if __name__ == "__main__":
    sys.exit(main())
