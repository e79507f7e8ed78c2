from django.db import migrations

from proposals.defaults import ensure_topics


def create(apps, schema_editor):
    ensure_topics(apps.get_model("proposals", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_audit_append_only")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
