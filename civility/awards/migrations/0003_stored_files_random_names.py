"""Stored files get random names (civility.core.files.RandomName); the name a file had is
kept in its own column, filled here from the current stored name so that downloads keep it.

Files already stored keep their old names until `manage.py rename_stored_files` moves them:
moving files is not transactional and may take long, so it is not done inside a migration.
"""

import civility.core.files
from django.db import migrations, models


KEEP_NAMES = """UPDATE awards_nominationevidence SET filename = regexp_replace(file, '^.*/', '') WHERE file <> ''
"""


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0002_revocation_and_open_actions'),
    ]

    operations = [
        migrations.AddField(
            model_name='nominationevidence',
            name='filename',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='nominationevidence',
            name='file',
            field=models.FileField(blank=True, upload_to=civility.core.files.RandomName('awards/evidence/%Y/%m/'), verbose_name='file'),
        ),
        migrations.RunSQL(KEEP_NAMES, migrations.RunSQL.noop),
    ]
