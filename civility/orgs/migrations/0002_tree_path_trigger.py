from django.db import migrations

# The materialized path of a unit is "<parent path><id>/"; a root's is "<id>/".
# BEFORE INSERT/UPDATE derives path and depth from the parent whatever the client wrote,
# refuses cycles, and AFTER UPDATE rewrites the paths of the moved unit's descendants.
CREATE = r"""
CREATE OR REPLACE FUNCTION orgs_orgunit_set_path() RETURNS trigger AS $$
DECLARE
    parent_path varchar;
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NEW;  -- a descendant rewritten by orgs_orgunit_move_subtree
    END IF;
    IF NEW.parent_id IS NULL THEN
        NEW.path := NEW.id::text || '/';
    ELSE
        SELECT path INTO parent_path FROM orgs_orgunit WHERE id = NEW.parent_id;
        IF TG_OP = 'UPDATE' AND parent_path LIKE OLD.path || '%' THEN
            RAISE EXCEPTION 'unit % cannot be moved under its own subtree', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent_path || NEW.id::text || '/';
    END IF;
    NEW.depth := length(NEW.path) - length(replace(NEW.path, '/', '')) - 1;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION orgs_orgunit_move_subtree() RETURNS trigger AS $$
BEGIN
    IF NEW.path <> OLD.path THEN
        UPDATE orgs_orgunit
           SET path = NEW.path || substr(path, length(OLD.path) + 1),
               depth = depth + (NEW.depth - OLD.depth)
         WHERE path LIKE OLD.path || '%' AND id <> NEW.id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orgs_orgunit_set_path
    BEFORE INSERT OR UPDATE OF parent_id, path, depth ON orgs_orgunit
    FOR EACH ROW EXECUTE FUNCTION orgs_orgunit_set_path();

CREATE TRIGGER orgs_orgunit_move_subtree
    AFTER UPDATE OF parent_id ON orgs_orgunit
    FOR EACH ROW WHEN (pg_trigger_depth() < 1)
    EXECUTE FUNCTION orgs_orgunit_move_subtree();
"""

DROP = """
DROP TRIGGER IF EXISTS orgs_orgunit_move_subtree ON orgs_orgunit;
DROP TRIGGER IF EXISTS orgs_orgunit_set_path ON orgs_orgunit;
DROP FUNCTION IF EXISTS orgs_orgunit_move_subtree();
DROP FUNCTION IF EXISTS orgs_orgunit_set_path();
"""


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("core", "0002_extensions")]

    operations = [migrations.RunSQL(CREATE, DROP)]
