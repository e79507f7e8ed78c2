from django.db import migrations

from routing.defaults import ensure_default_rules


def create(apps, schema_editor):
    ensure_default_rules(apps.get_model("routing", "RoutingRule"))


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
