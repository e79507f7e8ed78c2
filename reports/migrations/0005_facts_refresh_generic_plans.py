from django.db import migrations

# The refresh's statements are planned once per connection, not on every call: planning its CTEs of sixty
# measures for the one proposal a transition changes took 3 ms of the 4 it cost (0.7 ms with cached generic
# plans, which probe the same indexes whatever the ids).
FORWARD = "ALTER FUNCTION reports_facts_refresh(bigint[]) SET plan_cache_mode = force_generic_plan;"
BACKWARD = "ALTER FUNCTION reports_facts_refresh(bigint[]) RESET plan_cache_mode;"


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_dashboard_facts_sql"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
