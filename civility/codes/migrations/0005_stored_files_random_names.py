"""Stored files get random names (civility.core.files.RandomName); the name a file had is
kept in its own column, filled here from the current stored name so that downloads keep it.

Files already stored keep their old names until `manage.py rename_stored_files` moves them:
moving files is not transactional and may take long, so it is not done inside a migration.
"""

import civility.core.files
from django.db import migrations, models


KEEP_NAMES = """UPDATE codes_disseminationattachment SET filename = regexp_replace(file, '^.*/', '')
WHERE file <> ''
"""


class Migration(migrations.Migration):

    dependencies = [
        ('codes', '0004_commitment_verification'),
    ]

    operations = [
        migrations.AddField(
            model_name='disseminationattachment',
            name='filename',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='scan',
            field=models.FileField(blank=True, upload_to=civility.core.files.RandomName('codes/commitments/%Y/'), verbose_name='scanned sheet'),
        ),
        migrations.AlterField(
            model_name='disseminationattachment',
            name='file',
            field=models.FileField(upload_to=civility.core.files.RandomName('codes/dissemination/%Y/'), verbose_name='file'),
        ),
        migrations.RunSQL(KEEP_NAMES, migrations.RunSQL.noop),
    ]
