from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


class Migration(migrations.Migration):
    """An IMMUTABLE unaccent() that indexes may hold (civility/core/search.py)."""

    dependencies = [("core", "0003_submission")]

    operations = [
        migrations.RunSQL(CREATE, "DROP FUNCTION IF EXISTS immutable_unaccent(text)"),
    ]
