"""Stored files get random names (civility.core.files.RandomName); the name a file had is
kept in its own column, filled here from the current stored name so that downloads keep it.

Files already stored keep their old names until `manage.py rename_stored_files` moves them:
moving files is not transactional and may take long, so it is not done inside a migration.
"""

import civility.core.files
from django.db import migrations, models


KEEP_NAMES = """UPDATE programmes_taskupdate SET evidence_name = regexp_replace(evidence, '^.*/', '')
WHERE evidence <> ''
"""


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0002_progress_verification'),
    ]

    operations = [
        migrations.AddField(
            model_name='taskupdate',
            name='evidence_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='evidence file name'),
        ),
        migrations.AlterField(
            model_name='taskupdate',
            name='evidence',
            field=models.FileField(blank=True, upload_to=civility.core.files.RandomName('programmes/evidence/%Y/'), verbose_name='evidence'),
        ),
        migrations.RunSQL(KEEP_NAMES, migrations.RunSQL.noop),
    ]
