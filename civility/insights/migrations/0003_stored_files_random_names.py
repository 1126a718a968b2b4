"""Generated reports get random stored names (civility.core.files.RandomName)."""

import civility.core.files
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0002_fair_rankings_subscriptions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reportjob',
            name='docx',
            field=models.FileField(blank=True, upload_to=civility.core.files.RandomName('insights/reports/')),
        ),
        migrations.AlterField(
            model_name='reportjob',
            name='xlsx',
            field=models.FileField(blank=True, upload_to=civility.core.files.RandomName('insights/reports/')),
        ),
    ]
