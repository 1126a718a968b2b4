"""Public-place reports and follow-up cases keep the hash of the citizen's secret
(civility.core.receipts): the receipt code alone no longer gives or changes a verdict.
Reports and cases filed before have no secret and take no verdict."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0007_stored_files_random_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='followupcase',
            name='secret_hash',
            field=models.CharField(blank=True, editable=False, max_length=128),
        ),
        migrations.AddField(
            model_name='publicreport',
            name='secret_hash',
            field=models.CharField(blank=True, editable=False, max_length=128),
        ),
    ]
