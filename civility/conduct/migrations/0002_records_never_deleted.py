"""Violation records, their steps, evidence, anonymous reports and messages are never deleted,
and a record's steps are never rewritten, whatever writes to the database.

Actions offer no way to delete; these triggers are the backstop for the admin, shell or raw
SQL. (TRUNCATE, which test databases use to reset, does not fire them.)
"""

from django.db import migrations

TABLES = (
    "conduct_violationrecord",
    "conduct_recordstep",
    "conduct_recordevidence",
    "conduct_anonymousreport",
    "conduct_reportmessage",
)

SQL = """
CREATE FUNCTION conduct_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION conduct_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION conduct_refuse_delete();
"""
    for table in TABLES
) + """
CREATE TRIGGER conduct_recordstep_no_update BEFORE UPDATE ON conduct_recordstep
    FOR EACH ROW EXECUTE FUNCTION conduct_refuse_update();
"""

REVERSE_SQL = "".join(
    f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table};\n" for table in TABLES
) + """
DROP TRIGGER IF EXISTS conduct_recordstep_no_update ON conduct_recordstep;
DROP FUNCTION IF EXISTS conduct_refuse_delete();
DROP FUNCTION IF EXISTS conduct_refuse_update();
"""


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
