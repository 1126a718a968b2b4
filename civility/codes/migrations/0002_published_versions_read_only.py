"""A published or superseded code version is read-only, whatever writes to the database.

Actions refuse such changes with a clear message first; these triggers are the backstop for
the admin, shell or raw SQL.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION codes_ensure_draft(version_id bigint) RETURNS void AS $$
BEGIN
    IF (SELECT status FROM codes_codeversion WHERE id = version_id) IS DISTINCT FROM 'draft' THEN
        RAISE EXCEPTION 'code version % is not a draft; its text cannot change', version_id
            USING ERRCODE = 'check_violation';
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION codes_chapter_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM codes_ensure_draft(OLD.version_id); END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM codes_ensure_draft(NEW.version_id); END IF;
    RETURN COALESCE(NEW, OLD);
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION codes_article_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM codes_ensure_draft((SELECT version_id FROM codes_chapter WHERE id = OLD.chapter_id));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM codes_ensure_draft((SELECT version_id FROM codes_chapter WHERE id = NEW.chapter_id));
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION codes_clause_guard() RETURNS trigger AS $$
DECLARE
    row_article bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM codes_ensure_draft((SELECT c.version_id FROM codes_article a
            JOIN codes_chapter c ON c.id = a.chapter_id WHERE a.id = OLD.article_id));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM codes_ensure_draft((SELECT c.version_id FROM codes_article a
            JOIN codes_chapter c ON c.id = a.chapter_id WHERE a.id = NEW.article_id));
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION codes_version_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF (NEW.code_id, NEW.number, NEW.label, NEW.effective_from, NEW.target_groups,
        NEW.is_summary, NEW.requires_recommitment, NEW.note, NEW.note_en)
       IS DISTINCT FROM
       (OLD.code_id, OLD.number, OLD.label, OLD.effective_from, OLD.target_groups,
        OLD.is_summary, OLD.requires_recommitment, OLD.note, OLD.note_en)
       OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'superseded'))
    THEN
        RAISE EXCEPTION 'code version % is % and read-only', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER codes_chapter_guard BEFORE INSERT OR UPDATE OR DELETE ON codes_chapter
    FOR EACH ROW EXECUTE FUNCTION codes_chapter_guard();
CREATE TRIGGER codes_article_guard BEFORE INSERT OR UPDATE OR DELETE ON codes_article
    FOR EACH ROW EXECUTE FUNCTION codes_article_guard();
CREATE TRIGGER codes_clause_guard BEFORE INSERT OR UPDATE OR DELETE ON codes_clause
    FOR EACH ROW EXECUTE FUNCTION codes_clause_guard();
CREATE TRIGGER codes_version_guard BEFORE UPDATE ON codes_codeversion
    FOR EACH ROW EXECUTE FUNCTION codes_version_guard();
"""

REVERSE_SQL = """
DROP TRIGGER codes_version_guard ON codes_codeversion;
DROP TRIGGER codes_clause_guard ON codes_clause;
DROP TRIGGER codes_article_guard ON codes_article;
DROP TRIGGER codes_chapter_guard ON codes_chapter;
DROP FUNCTION codes_version_guard();
DROP FUNCTION codes_clause_guard();
DROP FUNCTION codes_article_guard();
DROP FUNCTION codes_chapter_guard();
DROP FUNCTION codes_ensure_draft(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
