from django.db import migrations

from routing.defaults import ensure_default_rules


def create(apps, schema_editor):
    # Adds only the rules that are missing: rules administrators changed stay as they are.
    ensure_default_rules(apps.get_model("routing", "RoutingRule"))


class Migration(migrations.Migration):
    """Officials managed by a public service unit or a state enterprise go to its head."""

    dependencies = [("routing", "0002_default_rules")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
