"""The proposals of the bench data set and every row the portal keeps with them, written by server-side SQL.

One skeleton row per proposal (`bench_p`) draws, from a seeded random generator, its author (and so its deciding
authority, by the routing table: bench.organisation.routes), its final state and the time each step took. The
skeleton is then written out as the services would have left it:

- the proposal: the plan (texts from a pool of plans, bench.texts), the submitter's post frozen at submission,
  the routing, the due date of every clock the proposal went through (working days of routing.calendar),
  decision and implementation dates;
- ProposalVersion for every submission and resubmission, ProposalRouting, RevisionRequest when it was returned;
- PartyOpinion, Meeting and Decision for decided proposals; ProgressUpdate, ImplementationOrder, ResultsReport,
  Evaluation (with its meeting and the Party opinion before it), Conclusion and ProtectionDecision as far as the
  state implies;
- the audit trail (ProposalEvent) of each of those steps, with the details the services write, and the reminders and
  escalations the daily deadline scan would have written up to yesterday (so that today's scan finds today's share);
- django-guardian rows: `decide_proposal` for every current member of the deciding authority but the author
  (permissions.grant_deciders / sync_authority_grants), `view_proposal` for the members of the authority above
  after an escalation to it or a conclusion (permissions.grant_viewers).

The search document is not left to the row trigger of migration 0012 (a to_tsvector of every plan, about a
millisecond each, a quarter of an hour at a million): each plan of the pool gets its weighted B and C parts once,
and each proposal the A part of its own reference and title, joined with `||` as the trigger joins them, so the
column holds exactly what the trigger would have written (tests/bench checks it).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import random

from bench import texts
from bench.organisation import Official, Route, reset_sequence

#: (state, share of proposals, recency exponent, rank of the last step reached). The exponent skews the age of
#: proposals in the state: 1 spreads them over the five years, larger values keep most of them recent (an open
#: proposal is usually new; a few old ones are the backlog that makes lists "overdue").
STATES = (
    ("draft", 0.05, 6.0, 0),
    ("withdrawn_unsent", 0.015, 1.0, 0),
    ("withdrawn_sent", 0.015, 1.0, 1),
    ("submitted", 0.035, 5.0, 1),
    ("returned", 0.015, 5.0, 1),
    ("rejected", 0.20, 1.0, 2),
    ("approved", 0.02, 5.0, 2),
    ("implementing", 0.11, 1.5, 3),
    ("suspended", 0.01, 2.0, 3),
    ("terminated", 0.01, 1.0, 3),
    ("completed", 0.025, 4.0, 4),
    ("reported", 0.025, 4.0, 5),
    ("evaluated", 0.015, 4.0, 6),
    ("concluded", 0.04, 2.0, 7),
    ("closed", 0.415, 1.0, 8),
)

#: Shares of proposals by deciding authority: UBND Thành phố takes the leaders' proposals of the whole city,
#: Sở Xây dựng is the busiest agency (the demo head.dept heads it), the rest follows the organisation.
SHARE_CITY = 0.15
SHARE_CONSTRUCTION = 0.04
SHARE_BY_KIND = {"city_agency": 0.31, "local_committee": 0.30, "public_service_unit": 0.13, "state_enterprise": 0.07}

PLAN_FIELDS = ("necessity", "bottleneck", "objectives", "content_solutions", "scope", "implementers",
               "timeline_description", "resources", "feasibility", "positive_impact", "negative_impact",
               "expected_results", "risks", "worst_case", "risk_handling")

LOCAL = "Asia/Ho_Chi_Minh"


def _copy(cursor, table: str, columns, rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value).replace("\\", "\\\\").replace("\t", " ")
                               .replace("\n", r"\n") for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


@contextlib.contextmanager
def indexes_built_after(cursor, *tables: str):
    """Drop the plain indexes of `tables` (not those of constraints) and build them again after the bulk insert:
    building an index once is much cheaper than maintaining it row by row (the GIN indexes of search above all)."""
    cursor.execute("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [list(tables)])
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cursor.execute(definition)


def working_days(cursor, *, start: datetime.date, end: datetime.date) -> None:
    """bench_day(day, wdi): working days up to and including each day; bench_wday(wdi, day) the inverse."""
    from routing.calendar import WorkingCalendar

    calendar = WorkingCalendar(start, end)
    rows, working, index, day = [], [], 0, start
    while day <= end:
        if calendar.is_working_day(day):
            index += 1
            working.append((index, day))
        rows.append((day, index))
        day += datetime.timedelta(days=1)
    cursor.execute("CREATE TEMP TABLE bench_day (day date PRIMARY KEY, wdi int NOT NULL)")
    cursor.execute("CREATE TEMP TABLE bench_wday (wdi int PRIMARY KEY, day date NOT NULL)")
    _copy(cursor, "bench_day", ["day", "wdi"], rows)
    _copy(cursor, "bench_wday", ["wdi", "day"], working)
    # The day a clock of k working days started on d ends (routing.calendar.add_working_days).
    cursor.execute("""
        CREATE FUNCTION pg_temp.add_wd(d date, k int) RETURNS date LANGUAGE sql STABLE AS
        $$ SELECT w.day FROM bench_wday w WHERE w.wdi = (SELECT b.wdi FROM bench_day b WHERE b.day = d) + k $$""")
    cursor.execute("ANALYZE bench_day; ANALYZE bench_wday")


def text_pools(cursor, *, plans: int, titles: int, seed: int) -> None:
    rng = random.Random(seed)
    columns = ["id", "summary", *PLAN_FIELDS]
    cursor.execute(f"CREATE TEMP TABLE bench_plan ({', '.join(f'{c} text' if c != 'id' else 'id int PRIMARY KEY' for c in columns)},"
                   " vb tsvector, vc tsvector)")
    rows = []
    for n in range(plans):
        plan = texts.plan(rng)
        rows.append((n, plan["summary"], *(plan[field] for field in PLAN_FIELDS)))
    _copy(cursor, "bench_plan", columns, rows)
    # The B and C parts of proposal_search_document() (migration 0012), once per plan.
    cursor.execute(f"""
        UPDATE bench_plan SET
            vb = setweight(to_tsvector('simple', portal_unaccent(coalesce(summary, ''))), 'B'),
            vc = setweight(to_tsvector('simple', portal_unaccent(concat_ws(' ', {", ".join(PLAN_FIELDS)}))), 'C')""")
    cursor.execute("CREATE TEMP TABLE bench_title (id int PRIMARY KEY, title text NOT NULL)")
    _copy(cursor, "bench_title", ["id", "title"], ((n, texts.title(rng)) for n in range(titles)))


def pools(cursor, routed: dict[int, tuple[Official, Route]], units, *, today: datetime.date,
          history_from: datetime.date, buckets: int = 100_000) -> int:
    """bench_author: the officials who write proposals, grouped by deciding authority; bench_bucket maps a random
    number to an authority with its share."""
    by_authority: dict[int, list[tuple[Official, Route]]] = {}
    for official, route in routed.values():
        by_authority.setdefault(route.authority_id, []).append((official, route))
    city = next(unit for unit in units.values() if unit.kind == "city_committee")
    construction = next((unit for unit in units.values() if unit.code == "so-xay-dung"), None)
    weights: dict[int, float] = {}
    of_kind: dict[str, list[int]] = {}
    for authority_id in by_authority:
        of_kind.setdefault(units[authority_id].kind, []).append(authority_id)
    for kind, share in SHARE_BY_KIND.items():
        members = sorted(of_kind.get(kind, []))
        if construction is not None and construction.id in members:
            members.remove(construction.id)
        # A few busy authorities and a long tail, as in life (rank^-0.7).
        raw = {authority_id: (rank + 1) ** -0.7 for rank, authority_id in enumerate(members)}
        total = sum(raw.values()) or 1
        weights.update({authority_id: share * value / total for authority_id, value in raw.items()})
    if city.id in by_authority:
        weights[city.id] = SHARE_CITY
    if construction is not None and construction.id in by_authority:
        weights[construction.id] = SHARE_CONSTRUCTION
    total = sum(weights.values())

    authors, bucket_rows, idx, position = [], [], 0, 0.0
    for authority_id in sorted(weights):
        people = sorted(by_authority[authority_id], key=lambda pair: pair[0].user_id)
        first = idx
        for official, route in people:
            start = max(official.valid_from, history_from)
            authors.append((idx, official.user_id, route.authority_id, route.rule_id, route.reason, start,
                            official.title, official.unit_id, official.category, official.ma_id,
                            official.category != "staff"))
            idx += 1
        low = round(position * buckets)
        position += weights[authority_id] / total
        high = round(position * buckets)
        bucket_rows += [(bucket, authority_id, first, len(people)) for bucket in range(low, high)]
    cursor.execute("""
        CREATE TEMP TABLE bench_author (idx int PRIMARY KEY, user_id bigint, authority_id bigint, rule_id bigint,
            reason text, start_date date, post_title text, unit_id bigint, category text, ma_id bigint,
            is_subject boolean)""")
    _copy(cursor, "bench_author", ["idx", "user_id", "authority_id", "rule_id", "reason", "start_date", "post_title",
                                   "unit_id", "category", "ma_id", "is_subject"], authors)
    cursor.execute("CREATE TEMP TABLE bench_bucket (bucket int PRIMARY KEY, authority_id bigint, first_idx int, size int)")
    _copy(cursor, "bench_bucket", ["bucket", "authority_id", "first_idx", "size"], bucket_rows)
    return buckets


def authorities(cursor) -> None:
    """bench_auth: each authority's current members, head, and the authority above with its members."""
    cursor.execute("""
        CREATE TEMP TABLE bench_auth AS
        WITH RECURSIVE members AS (
            SELECT authority_id, array_agg(user_id ORDER BY user_id) AS ids,
                   max(user_id) FILTER (WHERE role = 'head') AS head_id,
                   min(user_id) FILTER (WHERE role = 'secretariat') AS clerk_id
            FROM accounts_authoritymembership
            WHERE valid_from <= current_date AND (valid_to IS NULL OR valid_to >= current_date)
            GROUP BY authority_id
        ), up AS (
            -- the nearest authority above each unit (deciding_authority() of its parent)
            SELECT u.id, u.parent_id AS probe FROM accounts_organisationunit u
            UNION ALL
            SELECT up.id, p.parent_id FROM up JOIN accounts_organisationunit p ON p.id = up.probe
            WHERE p.kind = 'division'
        )
        SELECT u.id AS authority_id, u.name, u.short_name, m.ids AS member_ids, m.head_id,
               coalesce(m.clerk_id, m.head_id) AS clerk_id, above.probe AS above_id, am.ids AS above_ids
        FROM accounts_organisationunit u
        LEFT JOIN members m ON m.authority_id = u.id
        LEFT JOIN LATERAL (SELECT up.probe FROM up JOIN accounts_organisationunit a ON a.id = up.probe
                           WHERE up.id = u.id AND a.kind <> 'division' LIMIT 1) above ON true
        LEFT JOIN members am ON am.authority_id = above.probe
        WHERE u.kind <> 'division'""")
    cursor.execute("ALTER TABLE bench_auth ADD PRIMARY KEY (authority_id)")


def skeleton(cursor, *, count: int, first_id: int, seed: float, now: datetime.datetime, buckets: int,
             plans: int, titles: int, clocks: dict[str, int]) -> None:
    cursor.execute("CREATE TEMP TABLE bench_state (bucket int PRIMARY KEY, state text, power float, rank int)")
    rows, position = [], 0.0
    total = sum(share for _state, share, _power, _rank in STATES)
    for state, share, power, rank in STATES:
        low = round(position * 10_000)
        position += share / total
        rows += [(bucket, state, power, rank) for bucket in range(low, round(position * 10_000))]
    _copy(cursor, "bench_state", ["bucket", "state", "power", "rank"], rows)
    cursor.execute("SELECT setseed(%s)", [seed])
    cursor.execute("""
        CREATE TEMP TABLE bench_r AS
        SELECT n, random() AS r_state, random() AS r_pool, random() AS r_author, random() AS r_age,
               random() AS r_ret, random() AS ra, random() AS rb, random() AS rc, random() AS rd, random() AS re,
               random() AS rf, random() AS rg, random() AS rh, random() AS ri
        FROM generate_series(1::bigint, %s) AS n""", [count])
    # Offsets of each step from the creation of the draft, in days; `o_last` is where the proposal stands now.
    cursor.execute(f"""
        CREATE TEMP TABLE bench_p AS
        WITH s AS (
            SELECT r.*, st.state, st.power, st.rank, a.user_id AS author_id, a.idx AS author_idx, a.start_date,
                   (r.r_ret < 0.15 AND st.rank >= 2) OR st.state = 'returned' AS returned_once,
                   0.05 + r.ra * 10 AS d_sub, 1 + r.rb * 5 AS d_ret, 1 + r.rc * 9 AS d_resub,
                   2 + power(r.rd, 1.5) * 22 AS d_dec, 1 + r.re * 19 AS d_start, 30 + r.rf * 210 AS d_impl,
                   1 + r.rg * 9 AS d_report, 2 + r.rh * 12 AS d_eval, 1 + r.ri * 5 AS d_concl, 1 + r.ra * 29 AS d_close
            FROM bench_r r
            JOIN bench_state st ON st.bucket = floor(r.r_state * 10000)::int
            JOIN bench_bucket b ON b.bucket = floor(r.r_pool * {buckets})::int
            JOIN bench_author a ON a.idx = b.first_idx + floor(r.r_author * b.size)::int
        ), o AS (
            SELECT s.*,
                   CASE WHEN state = 'withdrawn_unsent' THEN NULL ELSE d_sub END AS o_sub,
                   CASE WHEN returned_once THEN d_sub + d_ret END AS o_ret,
                   CASE WHEN returned_once AND rank >= 2 THEN d_sub + d_ret + d_resub END AS o_resub
            FROM s
        ), o2 AS (
            SELECT o.*, coalesce(o_resub, o_sub) + d_dec AS o_dec FROM o
        ), o3 AS (
            SELECT o2.*,
                   o_dec + d_start AS o_start,
                   o_dec + d_start + d_impl AS o_complete,
                   o_dec + d_start + d_impl + d_report AS o_report,
                   o_dec + d_start + d_impl + d_report + d_eval AS o_eval,
                   o_dec + d_start + d_impl + d_report + d_eval + d_concl AS o_concl,
                   o_dec + d_start + d_impl + d_report + d_eval + d_concl + d_close AS o_close,
                   o_dec + d_start + d_impl * 0.3 AS o_suspend,
                   o_dec + d_start + d_impl * 0.5 AS o_terminate
            FROM o2
        ), o4 AS (
            SELECT o3.*,
                   CASE state
                       WHEN 'draft' THEN 0
                       WHEN 'withdrawn_unsent' THEN d_sub
                       WHEN 'withdrawn_sent' THEN coalesce(o_ret, o_sub + d_ret)
                       WHEN 'submitted' THEN coalesce(o_resub, o_sub)
                       WHEN 'returned' THEN o_ret
                       WHEN 'rejected' THEN o_dec WHEN 'approved' THEN o_dec
                       WHEN 'implementing' THEN o_start
                       WHEN 'suspended' THEN o_suspend
                       WHEN 'terminated' THEN o_terminate
                       WHEN 'completed' THEN o_complete WHEN 'reported' THEN o_report
                       WHEN 'evaluated' THEN o_eval WHEN 'concluded' THEN o_concl
                       ELSE o_close END AS o_last
            FROM o3
        )
        SELECT {first_id - 1} + n AS id, o4.*,
               %(now)s::timestamptz - ((o_last + power(r_age, power)
                   * greatest(0, extract(epoch FROM %(now)s::timestamptz - start_date::timestamptz) / 86400 - o_last - 1))
                   * interval '1 day') AS t0,
               mod(n * 7919, {plans}) AS plan_id, mod(n * 104729, {titles}) AS title_id
        FROM o4""", {"now": now})
    cursor.execute("ALTER TABLE bench_p ADD PRIMARY KEY (id)")
    # Moments and local dates of each step, and the due date of each clock.
    step = lambda name: f"t0 + o_{name} * interval '1 day'"  # noqa: E731
    cursor.execute(f"""
        CREATE TEMP TABLE bench_q AS
        WITH t AS (
            SELECT p.*,
                   {step('sub')} AS t_sub,
                   CASE WHEN returned_once THEN {step('ret')} END AS t_ret,
                   CASE WHEN o_resub IS NOT NULL THEN {step('resub')} END AS t_resub,
                   CASE WHEN rank >= 2 AND state NOT IN ('withdrawn_sent', 'returned', 'submitted') THEN {step('dec')} END AS t_dec,
                   CASE WHEN rank >= 3 THEN {step('start')} END AS t_start,
                   CASE WHEN state = 'suspended' THEN {step('suspend')} END AS t_suspend,
                   CASE WHEN state = 'terminated' THEN {step('terminate')} END AS t_terminate,
                   CASE WHEN rank >= 4 THEN {step('complete')} END AS t_complete,
                   CASE WHEN rank >= 5 THEN {step('report')} END AS t_report,
                   CASE WHEN rank >= 6 THEN {step('eval')} END AS t_eval,
                   CASE WHEN rank >= 7 THEN {step('concl')} END AS t_concl,
                   CASE WHEN rank >= 8 THEN {step('close')} END AS t_close,
                   CASE WHEN state LIKE 'withdrawn%%' THEN t0 + o_last * interval '1 day' END AS t_withdraw,
                   t0 + o_last * interval '1 day' AS t_last
            FROM bench_p p
        ), d AS (
            SELECT t.*,
                   (t_sub AT TIME ZONE '{LOCAL}')::date AS sub_date,
                   (t_ret AT TIME ZONE '{LOCAL}')::date AS ret_date,
                   (t_resub AT TIME ZONE '{LOCAL}')::date AS resub_date,
                   (t_dec AT TIME ZONE '{LOCAL}')::date AS dec_date,
                   (coalesce(t_complete, t_terminate) AT TIME ZONE '{LOCAL}')::date AS stop_date,
                   (t_report AT TIME ZONE '{LOCAL}')::date AS report_date,
                   (t_eval AT TIME ZONE '{LOCAL}')::date AS eval_date,
                   (t_concl AT TIME ZONE '{LOCAL}')::date AS concl_date
            FROM t
        ), due AS (
            SELECT d.*, CASE WHEN state <> 'withdrawn_unsent' AND state <> 'draft'
                             THEN pg_temp.add_wd(sub_date, {clocks['review']}) END AS due1
            FROM d
        ), paused AS (
            SELECT due.*,
                   CASE WHEN returned_once THEN greatest(
                       (SELECT wdi FROM bench_day WHERE day = due1) - (SELECT wdi FROM bench_day WHERE day = ret_date), 0)
                   END AS remaining
            FROM due
        )
        SELECT paused.*,
               CASE WHEN resub_date IS NOT NULL THEN pg_temp.add_wd(resub_date, remaining) ELSE due1 END AS review_due,
               CASE WHEN stop_date IS NOT NULL THEN pg_temp.add_wd(stop_date, {clocks['report']}) END AS report_due,
               CASE WHEN report_date IS NOT NULL THEN pg_temp.add_wd(report_date, {clocks['evaluation']}) END AS evaluation_due,
               CASE WHEN eval_date IS NOT NULL THEN pg_temp.add_wd(eval_date, {clocks['conclusion']}) END AS conclusion_due,
               CASE WHEN state IN ('rejected') THEN 'rejection' WHEN t_dec IS NOT NULL THEN 'approval' END AS decision_kind,
               CASE WHEN state <> 'rejected' AND t_dec IS NOT NULL THEN CASE WHEN re < 0.05 THEN 'head' ELSE 'vote' END
                    ELSE '' END AS basis
        FROM paused""")
    cursor.execute("ALTER TABLE bench_q ADD PRIMARY KEY (id)")
    cursor.execute("ANALYZE bench_q")


PROPOSAL_STATUS = """CASE q.state WHEN 'withdrawn_unsent' THEN 'withdrawn' WHEN 'withdrawn_sent' THEN 'withdrawn'
                     ELSE q.state END"""


def proposals(cursor) -> None:
    plan_columns = ", ".join(PLAN_FIELDS)
    plan_values = ", ".join(f"pl.{field}" for field in PLAN_FIELDS)
    cursor.execute("ALTER TABLE proposals_proposal DISABLE TRIGGER proposal_search_document")
    cursor.execute(f"""
        INSERT INTO proposals_proposal (
            id, reference, status, approval_basis, creation_token, title, summary, {plan_columns},
            start_date, end_date, budget_amount, budget_source,
            cond_removes_bottleneck, cond_common_good, cond_urgent_no_harm, cond_within_authority, commitment,
            submitted_at, submitter_post_title, submitter_category, submitter_is_decree73_subject, routing_reason,
            current_version, review_due_date, review_days_remaining, decided_at, created_at, updated_at, author_id,
            deciding_authority_id, submitter_managing_authority_id, submitter_unit_id, topic_id, approved_version,
            implementation_start, implementation_end, conclusion_due_date, evaluation_due_date, report_due_date,
            search_document)
        SELECT q.id, x.reference, {PROPOSAL_STATUS}, q.basis, gen_random_uuid(), x.title, pl.summary, {plan_values},
               x.start_date, x.end_date, (round(q.rf * 2000) * 1000000)::numeric, 'Ngân sách Thành phố',
               true, true, true, true, true,
               CASE WHEN sent THEN q.t_sub END,
               CASE WHEN sent THEN a.post_title ELSE '' END, CASE WHEN sent THEN a.category ELSE '' END,
               CASE WHEN sent THEN a.is_subject END, CASE WHEN sent THEN a.reason ELSE '' END,
               CASE WHEN NOT sent THEN 0 WHEN q.t_resub IS NOT NULL THEN 2 ELSE 1 END,
               q.review_due, CASE WHEN q.state = 'returned' THEN q.remaining END, q.t_dec, q.t0, q.t_last, q.author_id,
               CASE WHEN sent THEN a.authority_id END, CASE WHEN sent THEN a.ma_id END,
               CASE WHEN sent THEN a.unit_id END, 1 + mod(q.n * 31, 14),
               CASE WHEN q.decision_kind = 'approval' THEN CASE WHEN q.t_resub IS NOT NULL THEN 2 ELSE 1 END END,
               CASE WHEN q.decision_kind = 'approval' THEN x.start_date END,
               CASE WHEN q.decision_kind = 'approval' THEN x.end_date END,
               q.conclusion_due, q.evaluation_due, q.report_due,
               setweight(to_tsvector('simple', portal_unaccent(concat_ws(' ', x.reference, x.title))), 'A')
                   || pl.vb || pl.vc
        FROM bench_q q
        JOIN bench_author a ON a.idx = q.author_idx
        JOIN bench_plan pl ON pl.id = q.plan_id
        CROSS JOIN LATERAL (
            SELECT 'DX-' || extract(year FROM q.t0 AT TIME ZONE '{LOCAL}') || '-'
                       || lpad(q.id::text, greatest(6, length(q.id::text)), '0') AS reference,
                   t.title, (q.t0 AT TIME ZONE '{LOCAL}')::date + 30 AS start_date,
                   (q.t0 AT TIME ZONE '{LOCAL}')::date + 30 + 90 + (q.rg * 270)::int AS end_date,
                   q.state NOT IN ('draft', 'withdrawn_unsent') AS sent
            FROM bench_title t WHERE t.id = q.title_id) x
        ORDER BY q.t0""")
    cursor.execute("ALTER TABLE proposals_proposal ENABLE TRIGGER proposal_search_document")
    reset_sequence(cursor, "proposals_proposal")


def versions_and_routing(cursor) -> None:
    snapshot = ", ".join(
        f"'{field}', p.{field}" for field in ("title", "summary", *PLAN_FIELDS, "budget_source",
                                               "cond_removes_bottleneck", "cond_common_good", "cond_urgent_no_harm",
                                               "cond_within_authority", "commitment"))
    cursor.execute(f"""
        INSERT INTO proposals_proposalversion (number, content, created_at, created_by_id, proposal_id)
        SELECT v.number, jsonb_build_object({snapshot},
                   'start_date', to_char(p.start_date, 'DD/MM/YYYY'), 'end_date', to_char(p.end_date, 'DD/MM/YYYY'),
                   'budget_amount', p.budget_amount::text, 'topic', tp.name,
                   'involved_units', '[]'::jsonb, 'attachments', '[]'::jsonb),
               v.at, p.author_id, p.id
        FROM bench_q q JOIN proposals_proposal p ON p.id = q.id JOIN proposals_topic tp ON tp.id = p.topic_id
        CROSS JOIN LATERAL (VALUES (1, q.t_sub), (2, q.t_resub)) AS v(number, at)
        WHERE p.submitted_at IS NOT NULL AND v.at IS NOT NULL
        ORDER BY v.at""")
    cursor.execute("""
        INSERT INTO proposals_proposalrouting (kind, reason, is_current, created_at, actor_id, authority_id, proposal_id,
                                               rule_id)
        SELECT 'routed', p.routing_reason, true, q.t_sub, p.author_id, p.deciding_authority_id, p.id, a.rule_id
        FROM bench_q q JOIN proposals_proposal p ON p.id = q.id JOIN bench_author a ON a.idx = q.author_idx
        WHERE p.submitted_at IS NOT NULL ORDER BY q.t_sub""")
    cursor.execute("""
        INSERT INTO proposals_revisionrequest (message, requested_at, answered_at, proposal_id, requested_by_id)
        SELECT 'Đề nghị bổ sung dự toán kinh phí chi tiết và ý kiến của các đơn vị phối hợp.', q.t_ret, q.t_resub, q.id,
               coalesce(au.clerk_id, au.head_id)
        FROM bench_q q JOIN proposals_proposal p ON p.id = q.id JOIN bench_auth au ON au.authority_id = p.deciding_authority_id
        WHERE q.t_ret IS NOT NULL ORDER BY q.t_ret""")


def decisions(cursor) -> None:
    """Party opinions, meetings and decisions; then what follows approval."""
    cursor.execute("""
        INSERT INTO proposals_partyopinion (stage, document_number, document_date, summary, document, document_name,
                                            recorded_at, proposal_id, recorded_by_id)
        SELECT 'decision', q.id || '-CV/ĐU', q.dec_date - 2, 'Cấp ủy thống nhất chủ trương, đề nghị triển khai thí điểm.',
               '', '', q.t_dec - interval '2 days', q.id, au.clerk_id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        WHERE q.decision_kind = 'approval'
        UNION ALL
        SELECT 'evaluation', q.id || '-CV/ĐU-ĐG', q.eval_date - 1, 'Cấp ủy đồng ý với dự thảo kết quả đánh giá.',
               '', '', q.t_eval - interval '1 day', q.id, au.clerk_id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        WHERE q.t_eval IS NOT NULL""")
    # A meeting before every approval (passed, or failed when the head approved alone) and before half the rejections.
    cursor.execute("""
        INSERT INTO proposals_meeting (stage, meeting_date, members_present, author_present, votes_for, votes_against,
                                       votes_abstain, head_vote, passed, minutes, minutes_name, recorded_at,
                                       proposal_id, recorded_by_id)
        SELECT 'decision', q.dec_date - 1, 9, false,
               CASE WHEN q.basis = 'vote' THEN 7 ELSE 3 END, CASE WHEN q.basis = 'vote' THEN 1 ELSE 5 END, 1,
               CASE WHEN q.basis = 'vote' THEN 'for' ELSE 'against' END, q.basis = 'vote', '', '',
               q.t_dec - interval '1 day', q.id, au.clerk_id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        WHERE q.decision_kind = 'approval' OR (q.decision_kind = 'rejection' AND q.rh < 0.5)
        UNION ALL
        SELECT 'evaluation', q.eval_date, 9, false, 8, 0, 1, 'for', true, '', '', q.t_eval, q.id, au.clerk_id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        WHERE q.t_eval IS NOT NULL""")
    cursor.execute("CREATE INDEX ON proposals_meeting (proposal_id, stage)")
    cursor.execute("""
        INSERT INTO proposals_decision (kind, basis, number, decision_date, reasons, document, created_at, authority_id,
                                        proposal_id, signed_by_id, meeting_id)
        SELECT q.decision_kind, q.basis, q.id || '/QĐ-' || coalesce(nullif(au.short_name, ''), 'UBND'), q.dec_date,
               CASE WHEN q.decision_kind = 'rejection'
                    THEN 'Đề xuất chưa bảo đảm tính khả thi về nguồn lực và chưa đánh giá đầy đủ rủi ro.'
                    WHEN q.basis = 'head' THEN 'Người đứng đầu quyết định phê duyệt vì yêu cầu cấp bách của thực tiễn.'
                    ELSE '' END,
               '', q.t_dec, a.authority_id, q.id, au.head_id, m.id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        LEFT JOIN proposals_meeting m ON m.proposal_id = q.id AND m.stage = 'decision'
        WHERE q.decision_kind IS NOT NULL ORDER BY q.t_dec""")
    cursor.execute("""
        INSERT INTO proposals_progressupdate (percent, milestones, resources_used, budget_spent, problems,
                                              during_suspension, document, document_name, posted_at, posted_by_id,
                                              proposal_id)
        SELECT CASE WHEN q.rank >= 4 THEN 100 ELSE 20 + (q.rb * 60)::int END,
               'Hoàn thành khảo sát hiện trạng và xây dựng quy trình mới.', 'Đúng dự toán được giao.', NULL, '',
               false, '', '', q.t_start + (coalesce(q.t_complete, q.t_suspend, q.t_terminate, q.t_start + interval '20 days')
                                           - q.t_start) / 2, q.author_id, q.id
        FROM bench_q q WHERE q.t_start IS NOT NULL""")
    cursor.execute("""
        INSERT INTO proposals_implementationorder (kind, reasons, issued_at, issued_by_id, proposal_id)
        SELECT CASE WHEN q.state = 'suspended' THEN 'suspend' ELSE 'terminate' END,
               'Tạm dừng để rà soát nguồn kinh phí và phương án phối hợp.', coalesce(q.t_suspend, q.t_terminate),
               au.head_id, q.id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        WHERE q.state IN ('suspended', 'terminated')""")
    cursor.execute("""
        INSERT INTO proposals_resultsreport (summary, results_against_plan, resources_used, document, document_name,
                                             filed_at, filed_by_id, proposal_id)
        SELECT 'Đã hoàn thành các nội dung theo phương án được phê duyệt; thời gian giải quyết hồ sơ giảm rõ rệt.',
               'Đạt phần lớn mục tiêu đề ra; một số chỉ tiêu cần thêm thời gian để đánh giá.', 'Trong dự toán.', '', '',
               q.t_report, q.author_id, q.id
        FROM bench_q q WHERE q.t_report IS NOT NULL""")
    cursor.execute("""
        INSERT INTO proposals_evaluation (outcome, damage_caused, damage_description, damage_amount, objective_causes,
                                          subjective_causes, followed_plan, pure_motives, common_good, recorded_at,
                                          meeting_id, proposal_id, recorded_by_id)
        SELECT CASE WHEN q.rc < 0.7 THEN 'completed' WHEN q.rc < 0.92 THEN 'partly' ELSE 'not_completed' END,
               q.rd < 0.05, CASE WHEN q.rd < 0.05 THEN 'Chi phí phát sinh do điều chỉnh thiết bị.' ELSE '' END,
               CASE WHEN q.rd < 0.05 THEN 50000000 END,
               'Biến động giá thiết bị và thay đổi quy định chuyên ngành.', 'Khâu phối hợp giữa các đơn vị còn chậm.',
               q.re >= 0.03, true, true, q.t_eval, m.id, q.id, au.clerk_id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        JOIN proposals_meeting m ON m.proposal_id = q.id AND m.stage = 'evaluation'
        WHERE q.t_eval IS NOT NULL""")
    cursor.execute("""
        INSERT INTO proposals_conclusion (number, conclusion_date, text, document, created_at, authority_id, proposal_id,
                                          signed_by_id, evaluation_id)
        SELECT q.id || '/KL-' || coalesce(nullif(au.short_name, ''), 'UBND'), q.concl_date,
               'Kết luận: đề xuất đã được triển khai theo đúng phương án; ghi nhận kết quả đạt được.', '', q.t_concl,
               a.authority_id, q.id, au.head_id, e.id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        JOIN proposals_evaluation e ON e.proposal_id = q.id
        WHERE q.t_concl IS NOT NULL""")
    # The tier the evaluation leads to (proposals.protection.proposed_tier), and the head follows it.
    cursor.execute("""
        INSERT INTO proposals_protectiondecision (proposed_tier, tier, reasons, number, decision_date, document,
                                                  created_at, authority_id, evaluation_id, proposal_id, signed_by_id)
        SELECT t.tier, t.tier, '', q.id || '/QĐ-BV-' || coalesce(nullif(au.short_name, ''), 'UBND'), q.concl_date, '',
               q.t_concl, a.authority_id, e.id, q.id, au.head_id
        FROM bench_q q JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id
        JOIN proposals_evaluation e ON e.proposal_id = q.id
        CROSS JOIN LATERAL (SELECT CASE
            WHEN NOT (e.followed_plan AND e.pure_motives AND e.common_good) THEN 'not_protected'
            WHEN e.outcome = 'completed' THEN 'not_liable'
            WHEN e.damage_caused THEN 'considered' ELSE 'excluded' END AS tier) t
        WHERE q.t_concl IS NOT NULL AND a.is_subject  -- the City's initiative track has no protection decision
    """)


def _event(kind: str, at: str, *, actor: str = "q.author_id", before: str = "''", after: str = "''",
           details: str = "'{}'::jsonb", where: str = "true", joins: str = "") -> str:
    return f"""SELECT '{kind}' AS kind, {before} AS from_status, {after} AS to_status, {details} AS details,
                      {at} AS created_at, {actor} AS actor_id, q.id AS proposal_id
               FROM bench_q q {joins} WHERE {at} IS NOT NULL AND ({where})"""


def events(cursor, *, yesterday: datetime.date) -> None:
    """The audit trail of every step, as proposals.events and the services write it."""
    auth = "JOIN bench_author a ON a.idx = q.author_idx JOIN bench_auth au ON au.authority_id = a.authority_id"
    decision_details = """jsonb_build_object('decision_id', d.id, 'number', d.number, 'date', d.decision_date::text,
                                             'basis', d.basis, 'reason', d.reasons)"""
    parts = [
        _event("created", "q.t0"),
        _event("submitted", "q.t_sub", before="'draft'", after="'submitted'", details="'{\"version\": 1}'::jsonb",
               where="q.state <> 'withdrawn_unsent'"),
        _event("routed", "q.t_sub + interval '1 millisecond'", where="q.state <> 'withdrawn_unsent'",
               joins=f"{auth} JOIN routing_routingrule r ON r.id = a.rule_id",
               details="""jsonb_build_object('authority_id', a.authority_id, 'authority', au.name,
                                             'rule_id', a.rule_id, 'rule', r.name, 'reason', a.reason)"""),
        _event("returned", "q.t_ret", actor="coalesce(au.clerk_id, au.head_id)", before="'submitted'",
               after="'returned'", joins=auth,
               details="jsonb_build_object('reason', 'Đề nghị bổ sung dự toán kinh phí chi tiết và ý kiến của các đơn vị phối hợp.')"),
        _event("resubmitted", "q.t_resub", before="'returned'", after="'submitted'",
               details="'{\"version\": 2}'::jsonb"),
        _event("withdrawn", "q.t_withdraw", before="CASE q.state WHEN 'withdrawn_unsent' THEN 'draft' ELSE 'submitted' END",
               after="'withdrawn'",
               details="jsonb_build_object('reason', 'Người đề xuất rút để hoàn thiện thêm.')"),
        _event("party_opinion", "o.recorded_at", actor="o.recorded_by_id",
               joins="JOIN proposals_partyopinion o ON o.proposal_id = q.id",
               details="""jsonb_build_object('opinion_id', o.id, 'stage', o.stage, 'number', o.document_number,
                                             'date', o.document_date::text, 'summary', o.summary)"""),
        _event("meeting", "m.recorded_at", actor="m.recorded_by_id",
               joins="JOIN proposals_meeting m ON m.proposal_id = q.id AND m.stage = 'decision'",
               details="""jsonb_build_object('meeting_id', m.id, 'stage', m.stage, 'date', m.meeting_date::text,
                   'present', m.members_present, 'for', m.votes_for, 'against', m.votes_against,
                   'abstain', m.votes_abstain, 'head_vote', m.head_vote, 'passed', m.passed)"""),
        _event("approved", "d.created_at", actor="d.signed_by_id", before="'submitted'", after="'approved'",
               joins="JOIN proposals_decision d ON d.proposal_id = q.id", where="d.kind = 'approval'",
               details=decision_details),
        _event("rejected", "d.created_at", actor="d.signed_by_id", before="'submitted'", after="'rejected'",
               joins="JOIN proposals_decision d ON d.proposal_id = q.id", where="d.kind = 'rejection'",
               details=decision_details),
        _event("implementation_started", "q.t_start", before="'approved'", after="'implementing'"),
        _event("progress", "g.posted_at", joins="JOIN proposals_progressupdate g ON g.proposal_id = q.id",
               details="jsonb_build_object('percent', g.percent, 'during_suspension', false, 'update_id', g.id)"),
        _event("suspended", "r.issued_at", actor="r.issued_by_id", before="'implementing'", after="'suspended'",
               joins="JOIN proposals_implementationorder r ON r.proposal_id = q.id", where="r.kind = 'suspend'",
               details="jsonb_build_object('order_id', r.id, 'reason', r.reasons)"),
        _event("terminated", "r.issued_at", actor="r.issued_by_id", before="'implementing'", after="'terminated'",
               joins="JOIN proposals_implementationorder r ON r.proposal_id = q.id", where="r.kind = 'terminate'",
               details="jsonb_build_object('order_id', r.id, 'reason', r.reasons)"),
        _event("completed", "q.t_complete", before="'implementing'", after="'completed'",
               details="jsonb_build_object('report_due', q.report_due::text)"),
        _event("reported", "rr.filed_at", before="'completed'", after="'reported'",
               joins="JOIN proposals_resultsreport rr ON rr.proposal_id = q.id",
               details="jsonb_build_object('report_id', rr.id, 'on_time', q.report_date <= q.report_due)"),
        _event("concluded", "c.created_at", actor="c.signed_by_id", before="'evaluated'", after="'concluded'",
               joins="JOIN proposals_conclusion c ON c.proposal_id = q.id "
                     "LEFT JOIN proposals_protectiondecision pd ON pd.proposal_id = q.id",
               details="jsonb_strip_nulls(jsonb_build_object('conclusion_id', c.id, 'protection_id', pd.id))"),
        _event("closed", "q.t_close", actor="au.head_id", before="'concluded'", after="'closed'", joins=auth),
    ]
    # The evaluation's event names its proposed tier, computed as the protection decision computes it.
    parts.append(_event(
        "evaluated", "e.recorded_at", actor="e.recorded_by_id", before="'reported'", after="'evaluated'",
        joins="JOIN proposals_evaluation e ON e.proposal_id = q.id JOIN proposals_meeting m ON m.id = e.meeting_id",
        details="""jsonb_build_object('evaluation_id', e.id, 'outcome', e.outcome, 'damage_caused', e.damage_caused,
            'proposed_tier', CASE WHEN NOT (e.followed_plan AND e.pure_motives AND e.common_good) THEN 'not_protected'
                                  WHEN e.outcome = 'completed' THEN 'not_liable'
                                  WHEN e.damage_caused THEN 'considered' ELSE 'excluded' END,
            'meeting_id', m.id, 'passed', m.passed)"""))
    parts.append(_deadline_events(yesterday))
    cursor.execute(f"""
        INSERT INTO proposals_proposalevent (kind, from_status, to_status, details, created_at, actor_id, proposal_id)
        SELECT kind, from_status, to_status, details, created_at, actor_id, proposal_id
        FROM ({' UNION ALL '.join(parts)}) e ORDER BY created_at""")


CLOCK_TEXT = {
    "review": "hạn xem xét, quyết định", "report": "hạn nộp báo cáo kết quả",
    "evaluation": "hạn họp đánh giá kết quả", "conclusion": "hạn kết luận bằng văn bản",
}


def _deadline_events(yesterday: datetime.date) -> str:
    """Reminders and escalations the daily scan (notifications.services.deadlines) wrote up to yesterday.

    Each running clock gets a reminder two working days before its end, the head of the authority is told on the
    first working day after it, the authority above and Home Affairs on the third; an event is written on that day
    if the clock still ran then (the scan runs at 07:00, before the day's acts)."""
    clocks = f"""
        SELECT q.id, q.author_id, 'review' AS clock, q.due1 AS due, q.sub_date AS started, q.ret_date AS stopped
            FROM bench_q q WHERE q.t_ret IS NOT NULL
        UNION ALL
        SELECT q.id, q.author_id, 'review', q.review_due, coalesce(q.resub_date, q.sub_date),
               coalesce(q.dec_date, (q.t_withdraw AT TIME ZONE '{LOCAL}')::date)
            FROM bench_q q WHERE q.review_due IS NOT NULL AND q.state <> 'returned'
        UNION ALL
        SELECT q.id, q.author_id, 'report', q.report_due, q.stop_date, q.report_date FROM bench_q q WHERE q.report_due IS NOT NULL
        UNION ALL
        SELECT q.id, q.author_id, 'evaluation', q.evaluation_due, q.report_date, q.eval_date FROM bench_q q WHERE q.evaluation_due IS NOT NULL
        UNION ALL
        SELECT q.id, q.author_id, 'conclusion', q.conclusion_due, q.eval_date, q.concl_date FROM bench_q q WHERE q.conclusion_due IS NOT NULL"""
    text = " ".join(f"WHEN '{name}' THEN '{words}'" for name, words in CLOCK_TEXT.items())
    return f"""
        SELECT CASE WHEN l.level = 'reminder' THEN 'reminded' ELSE 'escalated' END AS kind, '' AS from_status,
               '' AS to_status,
               jsonb_build_object('clock', c.clock, 'due_date', c.due::text, 'level', l.level,
                   'reason', CASE WHEN l.level = 'reminder' THEN 'Sắp đến ' ELSE 'Đã quá ' END
                             || CASE c.clock {text} END || ' (' || to_char(c.due, 'DD/MM/YYYY') || '). '
                             || CASE WHEN l.level = 'reminder' AND c.clock = 'report'
                                     THEN 'Nhắc người đề xuất ' || u.full_name || '.'
                                     WHEN l.level = 'reminder' THEN 'Nhắc các thành viên ' || au.name || '.'
                                     WHEN l.level = 'head' THEN 'Báo cáo người đứng đầu ' || au.name || '.'
                                     WHEN au.above_id IS NULL THEN 'Báo cáo Sở Nội vụ.'
                                     ELSE 'Báo cáo ' || ab.name || ' và Sở Nội vụ.' END,
                   'recipients', to_jsonb(CASE
                       WHEN l.level = 'reminder' AND c.clock = 'report' THEN ARRAY[c.author_id]
                       WHEN l.level = 'reminder' THEN array_remove(au.member_ids, c.author_id)
                       WHEN l.level = 'head' THEN ARRAY[au.head_id]
                       ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(au.above_ids || ha.ids) x) END))
                   AS details,
               (l.day + time '07:00') AT TIME ZONE '{LOCAL}' AS created_at, NULL::bigint AS actor_id, c.id AS proposal_id
        FROM ({clocks}) c
        JOIN proposals_proposal p ON p.id = c.id
        JOIN accounts_user u ON u.id = c.author_id
        JOIN bench_auth au ON au.authority_id = p.deciding_authority_id
        LEFT JOIN bench_auth ab ON ab.authority_id = au.above_id
        CROSS JOIN (SELECT coalesce(array_agg(ug.user_id ORDER BY ug.user_id), '{{}}') AS ids
                    FROM accounts_user_groups ug JOIN auth_group g ON g.id = ug.group_id
                    JOIN accounts_user hu ON hu.id = ug.user_id
                    WHERE g.name = 'Giám sát Sở Nội vụ' AND hu.is_active) ha
        JOIN bench_day dd ON dd.day = c.due
        CROSS JOIN LATERAL (VALUES ('reminder', -2), ('head', 1), ('above', 3)) AS l0(level, shift)
        JOIN bench_wday w ON w.wdi = dd.wdi + l0.shift
        CROSS JOIN LATERAL (SELECT l0.level, greatest(w.day, c.started) AS day) l
        WHERE l.day <= DATE '{yesterday.isoformat()}' AND (c.stopped IS NULL OR l.day < c.stopped)"""


def grants(cursor) -> int:
    cursor.execute("""SELECT p.id, p.codename FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id
                      WHERE c.app_label = 'proposals' AND c.model = 'proposal' AND p.codename IN ('decide_proposal', 'view_proposal')""")
    perms = dict((codename, pk) for pk, codename in cursor.fetchall())
    # decide: the current members of the deciding authority, the author excepted (grant_deciders, sync_authority_grants)
    cursor.execute("""
        INSERT INTO proposals_proposaluserobjectpermission (content_object_id, permission_id, user_id)
        SELECT p.id, %s, m.user_id
        FROM bench_q q JOIN proposals_proposal p ON p.id = q.id
        JOIN accounts_authoritymembership m ON m.authority_id = p.deciding_authority_id
             AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to >= current_date)
        WHERE p.status <> 'draft' AND p.submitted_at IS NOT NULL AND m.user_id <> p.author_id
        GROUP BY p.id, m.user_id
        ORDER BY p.id""", [perms["decide_proposal"]])
    decide = cursor.rowcount
    # seed_demo's proposals were granted to the members of their day; the nightly sync_authority_grants moves them
    # to today's members, in the same two statements' worth of work (for those few proposals only).
    cursor.execute("""
        DELETE FROM proposals_proposaluserobjectpermission g USING proposals_proposal p
        WHERE g.content_object_id = p.id AND g.permission_id = %s AND p.id < (SELECT min(id) FROM bench_q)
          AND NOT EXISTS (SELECT 1 FROM accounts_authoritymembership m WHERE m.authority_id = p.deciding_authority_id
                          AND m.user_id = g.user_id AND m.valid_from <= current_date
                          AND (m.valid_to IS NULL OR m.valid_to >= current_date))""", [perms["decide_proposal"]])
    cursor.execute("""
        INSERT INTO proposals_proposaluserobjectpermission (content_object_id, permission_id, user_id)
        SELECT DISTINCT p.id, %s, m.user_id FROM proposals_proposal p
        JOIN accounts_authoritymembership m ON m.authority_id = p.deciding_authority_id
             AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to >= current_date)
        WHERE p.id < (SELECT min(id) FROM bench_q) AND p.status <> 'draft' AND m.user_id <> p.author_id
        ON CONFLICT DO NOTHING""", [perms["decide_proposal"]])
    # view: the authority above, once escalated to it or once the protection decision was made (grant_viewers)
    cursor.execute("""
        INSERT INTO proposals_proposaluserobjectpermission (content_object_id, permission_id, user_id)
        SELECT DISTINCT p.id, %s, x.user_id
        FROM proposals_proposal p
        JOIN bench_q q ON q.id = p.id
        JOIN bench_auth au ON au.authority_id = p.deciding_authority_id
        CROSS JOIN LATERAL unnest(au.above_ids) AS x(user_id)
        WHERE x.user_id <> p.author_id AND (
            (p.status IN ('concluded', 'closed') AND p.submitter_is_decree73_subject)
            OR EXISTS (SELECT 1 FROM proposals_proposalevent e WHERE e.proposal_id = p.id AND e.kind = 'escalated'
                       AND e.details->>'level' = 'above'))""", [perms["view_proposal"]])
    return decide
