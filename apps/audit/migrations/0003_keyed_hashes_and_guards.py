"""Keyed hashes and append-only guards for the access log.

Existing entries keep their plain SHA-256 hash and get scheme 1; every new entry is hashed with HMAC-SHA256
(scheme 2), so `verify_audit_chain` keeps working on a database from before this migration. Then triggers
refuse UPDATE and DELETE on the log (and TRUNCATE on PostgreSQL); see apps/audit/guards.py.
"""

from django.db import migrations, models


def install_guards(apps, schema_editor):
    from apps.audit import guards

    guards.install(schema_editor.connection)


def remove_guards(apps, schema_editor):
    from apps.audit import guards

    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_log_without_row_locks"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        # Last: on SQLite the two operations above rebuild the table, which would drop triggers made before.
        migrations.RunPython(install_guards, remove_guards),
    ]
