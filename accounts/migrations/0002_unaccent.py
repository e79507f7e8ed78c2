from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Searching units and people without diacritics ("ben thanh" finds "Bến Thành")."""

    dependencies = [("accounts", "0001_initial")]
    operations = [UnaccentExtension()]
