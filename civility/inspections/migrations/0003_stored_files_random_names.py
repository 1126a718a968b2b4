"""Stored files get random names (civility.core.files.RandomName); the name a file had is
kept in its own column, filled here from the current stored name so that downloads keep it.

Files already stored keep their old names until `manage.py rename_stored_files` moves them:
moving files is not transactional and may take long, so it is not done inside a migration.
"""

import civility.core.files
from django.db import migrations, models


KEEP_NAMES = """UPDATE inspections_evidencefile SET filename = regexp_replace(file, '^.*/', '') WHERE file <> ''
"""


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0002_revisits_and_escalation'),
    ]

    operations = [
        migrations.AddField(
            model_name='evidencefile',
            name='filename',
            field=models.CharField(blank=True, max_length=255, verbose_name='file name'),
        ),
        migrations.AlterField(
            model_name='actionstep',
            name='photo',
            field=models.ImageField(blank=True, upload_to=civility.core.files.RandomName('inspections/checks/%Y/%m/'), verbose_name='photo'),
        ),
        migrations.AlterField(
            model_name='evidencefile',
            name='file',
            field=models.FileField(upload_to=civility.core.files.RandomName('inspections/evidence/%Y/'), verbose_name='file'),
        ),
        migrations.AlterField(
            model_name='photo',
            name='image',
            field=models.ImageField(upload_to=civility.core.files.RandomName('inspections/photos/%Y/%m/'), verbose_name='photo'),
        ),
        migrations.RunSQL(KEEP_NAMES, migrations.RunSQL.noop),
    ]
