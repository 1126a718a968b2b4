"""Stored files get random names (civility.core.files.RandomName); the name a file had is
kept in its own column, filled here from the current stored name so that downloads keep it.

Files already stored keep their old names until `manage.py rename_stored_files` moves them:
moving files is not transactional and may take long, so it is not done inside a migration.
"""

import civility.core.files
from django.db import migrations, models


KEEP_NAMES = """UPDATE feedback_caseevidence SET filename = regexp_replace(file, '^.*/', '') WHERE file <> ''
"""


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0006_rating_key_claimed_when_received'),
    ]

    operations = [
        migrations.AddField(
            model_name='caseevidence',
            name='filename',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='caseevidence',
            name='file',
            field=models.FileField(upload_to=civility.core.files.RandomName('feedback/cases/%Y/%m/'), verbose_name='file'),
        ),
        migrations.AlterField(
            model_name='publicreport',
            name='photo',
            field=models.ImageField(blank=True, upload_to=civility.core.files.RandomName('feedback/reports/%Y/%m/'), verbose_name='photo'),
        ),
        migrations.RunSQL(KEEP_NAMES, migrations.RunSQL.noop),
    ]
