"""The dashboard's facts and counters: kept by the database in the transaction of every write, equal to a
rebuild from scratch, and equal to the view that defines them."""

from django.core.management import call_command
from django.db import connection

from reports.models import MEASURES, ProposalCount, ProposalFact, UnitYearCount
from reports.services import facts_rebuild


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall(), key=repr)


def _state() -> dict:
    """Facts, and the counters without the cells that went back to zero (a rebuild writes none)."""
    return {
        "facts": _rows("SELECT * FROM reports_proposalfact"),
        "counts": _rows("SELECT grain, deciding_authority_id, topic_id, month, "
                        + ", ".join([*MEASURES, "damage_amount"]) + " FROM reports_proposalcount WHERE total <> 0"),
        "units": _rows("SELECT unit_id, year, proposals FROM reports_unityearcount WHERE proposals <> 0"),
    }


def test_the_incremental_state_equals_a_rebuild_from_scratch(varied):
    incremental = _state()

    count = facts_rebuild()

    assert count == ProposalFact.objects.count() == len(varied.registered) + 5
    assert _state() == incremental
    # the states are not trivially empty: every grain, several months, and the later steps are counted
    assert set(ProposalCount.objects.values_list("grain", flat=True)) == {1, 2, 3}
    assert ProposalFact.objects.filter(reward_commendation_granted=1).count() == 1
    assert not ProposalFact.objects.filter(reward_salary_step_pending__gt=0).exists()
    assert ProposalFact.objects.filter(retaliation_examining=1, tier_not_protected=1, damage=1).count() == 1
    assert UnitYearCount.objects.exists()


def test_the_facts_are_the_view_that_defines_them(varied):
    columns = ", ".join(f.column for f in ProposalFact._meta.concrete_fields)

    assert _rows(f"SELECT {columns} FROM reports_proposalfact") == \
        _rows(f"SELECT {columns} FROM reports_proposalfact_source")


def test_a_rebuild_repairs_facts_written_around_the_triggers(varied):
    expected = _state()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_proposalcount SET total = total + 5")
        cursor.execute("DELETE FROM reports_proposalfact WHERE proposal_id = %s", [varied.overdue.pk])

    call_command("reports_facts_rebuild", stdout=open("/dev/null", "w"))

    assert _state() == expected


def test_the_migration_counts_the_measures_the_models_declare():
    from importlib import import_module

    migration = import_module("reports.migrations.0004_dashboard_facts_sql")

    assert migration.SUMMED == [*MEASURES, "damage_amount"]
