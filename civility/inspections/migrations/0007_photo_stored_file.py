# Inspection photos join the other stored files (core.models.StoredFile, #23): `image` is
# now `file`, and the `filename` every stored file has (kept empty for photos).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0006_inspected_on"),
    ]

    operations = [
        migrations.RenameField(model_name="photo", old_name="image", new_name="file"),
        migrations.AddField(
            model_name="photo",
            name="filename",
            field=models.CharField(blank=True, max_length=255, verbose_name="file name"),
        ),
    ]
