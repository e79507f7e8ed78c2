"""The dashboard's facts and counters, kept by the database in the transaction of every write.

- `reports_proposalfact_source`: a view computing each registered proposal's fact row (its dimensions, the clock
  running now with its due date, and its measures) from the proposal and its one-to-one rows (decision, results
  report, evaluation and its meeting, conclusion, protection decision) and its rewards and retaliation reports.
  It states the dashboard's counting rules (docs/reports.md "Figures") once, in SQL.
- `reports_facts_refresh(ids)`: recomputes the facts of some proposals from the view and applies the difference
  (new rows minus old rows) to the counters: three grains of monthly sums, the running clocks by month of their
  due date at the same grains, and the per-unit yearly counts.
- Triggers on every table the view reads call it, whoever writes: the services, the admin, a bulk load.
- `reports_facts_rebuild()`: everything from scratch, from the same view (after a bulk load with triggers off).

The lists below are frozen here, as a migration must be: a new clock, state or choice is a new migration that
adds its measure column and replaces these functions.
"""

from django.conf import settings
from django.db import migrations

TZ = settings.TIME_ZONE
STATUSES = ("submitted", "returned", "approved", "rejected", "withdrawn", "implementing", "suspended",
            "terminated", "completed", "reported", "evaluated", "concluded", "closed")
# name, its states, due-date column, stop date (NULL while the act that stops it is missing)
CLOCKS = (
    ("review", ("submitted",), "review_due_date", "d.decision_date"),
    ("report", ("completed", "terminated"), "report_due_date", f"(r.filed_at AT TIME ZONE '{TZ}')::date"),
    ("evaluation", ("reported",), "evaluation_due_date", "em.meeting_date"),
    ("conclusion", ("evaluated",), "conclusion_due_date", "c.conclusion_date"),
)
OUTCOMES = ("completed", "partly", "not_completed")
TIERS = ("not_liable", "excluded", "considered", "not_protected")
REWARD_KINDS = ("commendation", "salary_step", "priority", "other")
REWARD_RESULTS = ("pending", "granted", "refused")
RETALIATION = ("received", "examining", "concluded")


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _flag(condition: str) -> str:
    return f"coalesce({condition}, false)::int::smallint"


MEASURES: list[tuple[str, str]] = [("total", "1::smallint")]
MEASURES += [(f"status_{status}", _flag(f"p.status = '{status}'")) for status in STATUSES]
MEASURES += [
    ("approved", _flag("d.kind = 'approval'")),
    ("rejected", _flag("d.kind = 'rejection'")),
    ("override", _flag("d.kind = 'approval' AND p.approval_basis = 'head'")),
    ("pending", _flag("d.id IS NULL AND p.status IN ('submitted', 'returned')")),
]
for name, states, due, done in CLOCKS:
    MEASURES += [
        (f"{name}_on_time", _flag(f"{done} <= p.{due}")),
        (f"{name}_late", _flag(f"{done} > p.{due}")),
        (f"{name}_running", _flag(f"{done} IS NULL AND p.status IN ({_in(states)}) AND p.{due} IS NOT NULL")),
    ]
MEASURES += [
    ("evaluated", _flag("e.id IS NOT NULL")),
    ("damage", _flag("e.damage_caused")),
    ("protected", _flag("pr.id IS NOT NULL")),
    ("tier_differs", _flag("pr.tier <> pr.proposed_tier")),
]
MEASURES += [(f"outcome_{value}", _flag(f"e.outcome = '{value}'")) for value in OUTCOMES]
MEASURES += [(f"tier_{value}", _flag(f"pr.tier = '{value}'")) for value in TIERS]
MEASURES += [(f"reward_{kind}_{result}", f"rw.reward_{kind}_{result}::smallint")
             for kind in REWARD_KINDS for result in REWARD_RESULTS]
MEASURES += [(f"retaliation_{value}", f"rt.retaliation_{value}::smallint") for value in RETALIATION]
SUMMED = [name for name, _sql in MEASURES] + ["damage_amount"]

DIMENSIONS = ["proposal_id", "deciding_authority_id", "topic_id", "submitter_unit_id", "submitted_at", "month",
              "status", "open_clock", "open_due_date"]
FACT_COLUMNS = DIMENSIONS + SUMMED


def _open(pick: str) -> str:
    whens = "\n".join(
        f"            WHEN {done} IS NULL AND p.status IN ({_in(states)}) AND p.{due} IS NOT NULL THEN "
        + (f"'{name}'" if pick == "name" else f"p.{due}")
        for name, states, due, done in CLOCKS)
    return f"CASE\n{whens}\n            ELSE {repr('') if pick == 'name' else 'NULL'} END"


REWARD_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE kind = '{kind}' AND result = '{result}') AS reward_{kind}_{result}"
    for kind in REWARD_KINDS for result in REWARD_RESULTS)
RETALIATION_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE status = '{value}') AS retaliation_{value}" for value in RETALIATION)
MEASURE_SQL = ",\n        ".join(f"{sql} AS {name}" for name, sql in MEASURES)

VIEW = f"""
CREATE VIEW reports_proposalfact_source AS
SELECT p.id AS proposal_id, p.deciding_authority_id, p.topic_id, p.submitter_unit_id, p.submitted_at,
       date_trunc('month', p.submitted_at AT TIME ZONE '{TZ}')::date AS month,
       p.status::varchar(16) AS status,
       ({_open("name")})::varchar(16) AS open_clock,
       {_open("due")} AS open_due_date,
        {MEASURE_SQL},
       coalesce(e.damage_amount, 0)::numeric(24, 0) AS damage_amount
  FROM proposals_proposal p
  LEFT JOIN proposals_decision d ON d.proposal_id = p.id
  LEFT JOIN proposals_resultsreport r ON r.proposal_id = p.id
  LEFT JOIN proposals_evaluation e ON e.proposal_id = p.id
  LEFT JOIN proposals_meeting em ON em.id = e.meeting_id
  LEFT JOIN proposals_conclusion c ON c.proposal_id = p.id
  LEFT JOIN proposals_protectiondecision pr ON pr.proposal_id = p.id
  CROSS JOIN LATERAL (SELECT {REWARD_COUNTS} FROM proposals_reward WHERE proposal_id = p.id) rw
  CROSS JOIN LATERAL (SELECT {RETALIATION_COUNTS} FROM proposals_retaliationreport WHERE proposal_id = p.id) rt
 WHERE p.submitted_at IS NOT NULL AND p.status <> 'draft';
"""

# One cell per grain: (authority, month), (topic, month), (authority, topic, month).
GRAIN_KEYS = """
    CROSS JOIN (VALUES (1), (2), (3)) AS g(grain)"""
GRAIN_AUTHORITY = "CASE WHEN g.grain IN (1, 3) THEN x.deciding_authority_id END"
GRAIN_TOPIC = "CASE WHEN g.grain IN (2, 3) THEN x.topic_id END"
COUNT_COLUMNS = ", ".join(SUMMED)
COUNT_SUMS = ", ".join(f"sum(x.sign * x.{name})" for name in SUMMED)
COUNT_UPDATES = ", ".join(f"{name} = t.{name} + excluded.{name}" for name in SUMMED)
FACT_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in FACT_COLUMNS[1:])
COLUMNS = ", ".join(FACT_COLUMNS)
DUE_MONTH = "date_trunc('month', x.open_due_date)::date"

FUNCTIONS = f"""
CREATE FUNCTION reports_facts_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(array_length(ids, 1), 0) = 0 THEN
        RETURN;
    END IF;
    -- Waits for a rebuild in progress; the statements below then see its result (each takes a new snapshot).
    LOCK TABLE reports_proposalfact IN ROW EXCLUSIVE MODE;
    -- Two writers of one proposal's rows (a transition, a reward) refresh it one after the other, so neither
    -- applies a difference computed from facts the other is replacing.
    PERFORM 1 FROM proposals_proposal WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    WITH fresh AS (
        SELECT {COLUMNS} FROM reports_proposalfact_source WHERE proposal_id = ANY (ids)
    ), old AS (
        SELECT {COLUMNS} FROM reports_proposalfact WHERE proposal_id = ANY (ids)
    ), came AS (
        SELECT * FROM fresh EXCEPT ALL SELECT * FROM old
    ), gone AS (
        SELECT * FROM old EXCEPT ALL SELECT * FROM fresh
    ), delta AS (
        SELECT 1 AS sign, * FROM came UNION ALL SELECT -1 AS sign, * FROM gone
    ), counted AS (
        INSERT INTO reports_proposalcount AS t (grain, deciding_authority_id, topic_id, month, {COUNT_COLUMNS})
        SELECT g.grain, {GRAIN_AUTHORITY}, {GRAIN_TOPIC}, x.month, {COUNT_SUMS}
          FROM delta x {GRAIN_KEYS}
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4
        ON CONFLICT (grain, deciding_authority_id, topic_id, month) DO UPDATE SET {COUNT_UPDATES}
    ), running AS (
        INSERT INTO reports_runningclockcount AS t (grain, deciding_authority_id, topic_id, month, clock, due_month,
                                                    running)
        SELECT g.grain, {GRAIN_AUTHORITY}, {GRAIN_TOPIC}, x.month, x.open_clock, {DUE_MONTH}, sum(x.sign)
          FROM delta x {GRAIN_KEYS}
         WHERE x.open_due_date IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5, 6
         ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (grain, deciding_authority_id, topic_id, month, clock, due_month)
        DO UPDATE SET running = t.running + excluded.running
    ), units AS (
        INSERT INTO reports_unityearcount AS t (unit_id, year, proposals)
        SELECT x.submitter_unit_id, extract(year FROM x.month)::smallint, sum(x.sign)
          FROM delta x WHERE x.submitter_unit_id IS NOT NULL
         GROUP BY 1, 2
         ORDER BY 2, 1
        ON CONFLICT (year, unit_id) DO UPDATE SET proposals = t.proposals + excluded.proposals
    ), removed AS (
        DELETE FROM reports_proposalfact f USING gone
         WHERE f.proposal_id = gone.proposal_id
           AND NOT EXISTS (SELECT 1 FROM came WHERE came.proposal_id = gone.proposal_id)
    )
    INSERT INTO reports_proposalfact ({COLUMNS})
    SELECT {COLUMNS} FROM came
    ON CONFLICT (proposal_id) DO UPDATE SET {FACT_UPDATES};
END $$;

CREATE FUNCTION reports_facts_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    LOCK TABLE reports_proposalfact, reports_proposalcount, reports_runningclockcount, reports_unityearcount
        IN EXCLUSIVE MODE;
    TRUNCATE reports_proposalfact, reports_proposalcount, reports_runningclockcount, reports_unityearcount;
    INSERT INTO reports_proposalfact ({COLUMNS}) SELECT {COLUMNS} FROM reports_proposalfact_source;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO reports_proposalcount (grain, deciding_authority_id, topic_id, month, {COUNT_COLUMNS})
    SELECT g.grain, {GRAIN_AUTHORITY}, {GRAIN_TOPIC}, x.month, {", ".join(f"sum(x.{name})" for name in SUMMED)}
      FROM reports_proposalfact x {GRAIN_KEYS}
     GROUP BY 1, 2, 3, 4;
    INSERT INTO reports_runningclockcount (grain, deciding_authority_id, topic_id, month, clock, due_month, running)
    SELECT g.grain, {GRAIN_AUTHORITY}, {GRAIN_TOPIC}, x.month, x.open_clock, {DUE_MONTH}, count(*)
      FROM reports_proposalfact x {GRAIN_KEYS}
     WHERE x.open_due_date IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO reports_unityearcount (unit_id, year, proposals)
    SELECT submitter_unit_id, extract(year FROM month)::smallint, count(*)
      FROM reports_proposalfact WHERE submitter_unit_id IS NOT NULL
     GROUP BY 1, 2;
    ANALYZE reports_proposalfact;
    ANALYZE reports_proposalcount;
    ANALYZE reports_runningclockcount;
    ANALYZE reports_unityearcount;
    RETURN n;
END $$;
"""

# — triggers —
# The proposal itself: a new registered row (a bulk insert refreshes once per statement), a change of one of the
# columns the view reads (a row trigger, so the many saves that touch none of them cost nothing), a deletion.
PROPOSAL_COLUMNS = ("status", "submitted_at", "deciding_authority_id", "topic_id", "submitter_unit_id",
                    "approval_basis", "review_due_date", "report_due_date", "evaluation_due_date",
                    "conclusion_due_date")
# Rows the view reads through a proposal_id: every insert, update and delete.
RELATED = ("proposals_decision", "proposals_resultsreport", "proposals_evaluation", "proposals_conclusion",
           "proposals_protectiondecision", "proposals_reward", "proposals_retaliationreport")

TRIGGERS = f"""
CREATE FUNCTION reports_facts_proposal_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY(SELECT id FROM new_rows WHERE submitted_at IS NOT NULL));
    RETURN NULL;
END $$;
CREATE TRIGGER reports_facts_inserted AFTER INSERT ON proposals_proposal
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_proposal_inserted();

CREATE FUNCTION reports_facts_proposal_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY[NEW.id]);
    RETURN NULL;
END $$;
CREATE TRIGGER reports_facts_updated AFTER UPDATE OF {", ".join(PROPOSAL_COLUMNS)} ON proposals_proposal
    FOR EACH ROW WHEN (({", ".join(f"OLD.{c}" for c in PROPOSAL_COLUMNS)})
                       IS DISTINCT FROM ({", ".join(f"NEW.{c}" for c in PROPOSAL_COLUMNS)}))
    EXECUTE FUNCTION reports_facts_proposal_updated();

CREATE FUNCTION reports_facts_proposal_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER reports_facts_deleted AFTER DELETE ON proposals_proposal
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_proposal_deleted();

CREATE FUNCTION reports_facts_related_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY(SELECT DISTINCT proposal_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION reports_facts_related_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY(SELECT proposal_id FROM new_rows UNION SELECT proposal_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION reports_facts_related_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY(SELECT DISTINCT proposal_id FROM old_rows));
    RETURN NULL;
END $$;
""" + "".join(f"""
CREATE TRIGGER reports_facts_inserted AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_related_inserted();
CREATE TRIGGER reports_facts_updated AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_related_updated();
CREATE TRIGGER reports_facts_deleted AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_related_deleted();
""" for table in RELATED) + """
-- The evaluation clock stops on its meeting's date, which a correction could change.
CREATE FUNCTION reports_facts_meeting_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_facts_refresh(ARRAY[NEW.proposal_id, OLD.proposal_id]);
    RETURN NULL;
END $$;
CREATE TRIGGER reports_facts_meeting_updated AFTER UPDATE OF meeting_date, proposal_id ON proposals_meeting
    FOR EACH ROW WHEN ((OLD.meeting_date, OLD.proposal_id) IS DISTINCT FROM (NEW.meeting_date, NEW.proposal_id))
    EXECUTE FUNCTION reports_facts_meeting_updated();

SELECT reports_facts_rebuild();
"""

DROP = "".join(f"""
DROP TRIGGER IF EXISTS reports_facts_inserted ON {table};
DROP TRIGGER IF EXISTS reports_facts_updated ON {table};
DROP TRIGGER IF EXISTS reports_facts_deleted ON {table};""" for table in ("proposals_proposal", *RELATED)) + """
DROP TRIGGER IF EXISTS reports_facts_meeting_updated ON proposals_meeting;
DROP FUNCTION IF EXISTS reports_facts_meeting_updated();
DROP FUNCTION IF EXISTS reports_facts_related_deleted();
DROP FUNCTION IF EXISTS reports_facts_related_updated();
DROP FUNCTION IF EXISTS reports_facts_related_inserted();
DROP FUNCTION IF EXISTS reports_facts_proposal_deleted();
DROP FUNCTION IF EXISTS reports_facts_proposal_updated();
DROP FUNCTION IF EXISTS reports_facts_proposal_inserted();
DROP FUNCTION IF EXISTS reports_facts_rebuild();
DROP FUNCTION IF EXISTS reports_facts_refresh(bigint[]);
DROP VIEW IF EXISTS reports_proposalfact_source;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0013_inbox_index"),
        ("reports", "0003_dashboard_facts"),
    ]

    operations = [migrations.RunSQL(VIEW + FUNCTIONS + TRIGGERS, DROP)]
