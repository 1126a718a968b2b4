"""Stored files get random names (civility.core.files.RandomName); the name a file had is
kept in its own column, filled here from the current stored name so that downloads keep it.
An anonymous reporter's files keep no name: theirs were random already, and a name could
tell who sent them.

Files already stored keep their old names until `manage.py rename_stored_files` moves them:
moving files is not transactional and may take long, so it is not done inside a migration.
"""

import civility.core.files
from django.db import migrations, models


KEEP_NAMES = """UPDATE conduct_recordevidence AS evidence SET filename = regexp_replace(evidence.file, '^.*/', '')
FROM conduct_violationrecord AS record
WHERE evidence.record_id = record.id AND evidence.file <> '' AND record.source <> 'anonymous'
"""


class Migration(migrations.Migration):

    dependencies = [
        ('conduct', '0003_anonymous_report_submission_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='recordevidence',
            name='filename',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='recordevidence',
            name='file',
            field=models.FileField(blank=True, upload_to=civility.core.files.RandomName('conduct/evidence/%Y/%m/'), verbose_name='file'),
        ),
        migrations.RunSQL(KEEP_NAMES, migrations.RunSQL.noop),
    ]
