"""The index on submitted_at alone goes: no list reads proposals by date across authorities (the reports' lists
read the facts), and the planner walked it for an inbox search, every authority mixed, instead of the
authority's own index (`proposal_inbox`). Dropped concurrently, so that writes go on meanwhile."""

from django.contrib.postgres.operations import RemoveIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('proposals', '0014_search_lexicon'),
    ]

    operations = [
        RemoveIndexConcurrently(
            model_name='proposal',
            name='proposals_p_submitt_a01ac3_idx',
        ),
    ]
