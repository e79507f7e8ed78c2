from django.db import migrations, models


class Migration(migrations.Migration):
    """Date fields are named *_date so that every form client recognises them as dates."""

    dependencies = [("proposals", "0005_decisions")]
    operations = [
        migrations.RemoveConstraint(model_name="proposal", name="proposal_timeline_ordered"),
        migrations.RenameField(model_name="proposal", old_name="timeline_start", new_name="start_date"),
        migrations.RenameField(model_name="proposal", old_name="timeline_end", new_name="end_date"),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.CheckConstraint(
                condition=models.Q(("end_date__isnull", True), ("start_date__isnull", True),
                                   ("end_date__gte", models.F("start_date")), _connector="OR"),
                name="proposal_timeline_ordered", violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
        ),
    ]
