"""The shipped knowledge base: the seven keys, the working factors, recommendations 8.1-8.4 and their
interventions (apps/knowledge/content.py, docs/learning.md). Entries an installation already has are kept."""

from django.db import migrations


def load(apps, schema_editor):
    from apps.knowledge import content

    content.load(
        apps.get_model("knowledge", "Key"),
        apps.get_model("knowledge", "Intervention"),
        apps.get_model("knowledge", "Recommendation"),
        apps.get_model("knowledge", "RecommendationIntervention"),
    )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
