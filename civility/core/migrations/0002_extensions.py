from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """unaccent: search that ignores Vietnamese diacritics; pg_trgm: fast substring search."""

    dependencies = [("core", "0001_initial")]

    operations = [UnaccentExtension(), TrigramExtension()]
