from django.db import migrations

# Lower case without diacritics: the one definition of "search ignores diacritics" in SQL
# (civility/core/search.py). unaccent() is only STABLE (its dictionary could change), so no
# stored column or index may hold it; this wrapper names the dictionary and is declared
# IMMUTABLE, the usual way. If the unaccent rules were ever edited, re-save the rows.
CREATE = """
CREATE OR REPLACE FUNCTION civility_fold(VARIADIC parts text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, array_to_string(parts, ' '))) $$
"""


class Migration(migrations.Migration):
    """An IMMUTABLE fold (lower case, no diacritics) that stored columns and indexes may hold."""

    dependencies = [("core", "0003_submission")]

    operations = [
        migrations.RunSQL(CREATE, "DROP FUNCTION IF EXISTS civility_fold(VARIADIC text[])"),
    ]
