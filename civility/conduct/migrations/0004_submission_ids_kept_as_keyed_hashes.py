"""Anonymous reports keep the keyed hash of their form's id, never the id itself.

The id was stored in clear and shown in the audit log, and the reporter's secret was derived
from it; existing ids become keyed hashes (a repeated send of an old form still files once)
and are wiped from the changes of existing audit events.
"""

from django.db import migrations, models

from civility.core.receipts import keyed_hash


def ids_to_keys(apps, schema_editor):
    AnonymousReport = apps.get_model("conduct", "AnonymousReport")
    for report in AnonymousReport.objects.filter(submission_id__isnull=False):
        report.submission_key = keyed_hash("conduct-report", report.submission_id)
        report.save(update_fields=["submission_key"])
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    content_type = ContentType.objects.filter(app_label="conduct", model="anonymousreport").first()
    if content_type is None:
        return
    events = AuditEvent.objects.filter(
        content_type=content_type, changes__has_key="submission_id"
    )
    for event in events:
        event.changes.pop("submission_id")
        event.save(update_fields=["changes"])


class Migration(migrations.Migration):

    dependencies = [
        ("conduct", "0003_anonymous_report_submission_id"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_extensions"),
    ]

    operations = [
        migrations.AddField(
            model_name="anonymousreport",
            name="submission_key",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.RunPython(ids_to_keys, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="anonymousreport",
            name="submission_id",
        ),
    ]
