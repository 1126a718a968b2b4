"""Throttle buckets need no crash safety (losing them only forgets who rated recently), so
their table is UNLOGGED (no WAL) and leaves room on each page for HOT updates: a bucket
update then costs the ingest path almost nothing next to the rating's own INSERT."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_report_categories")]
    operations = [
        migrations.RunSQL(
            "ALTER TABLE feedback_throttlebucket SET UNLOGGED; "
            "ALTER TABLE feedback_throttlebucket SET (fillfactor = 50);",
            "ALTER TABLE feedback_throttlebucket SET LOGGED; "
            "ALTER TABLE feedback_throttlebucket RESET (fillfactor);",
        )
    ]
