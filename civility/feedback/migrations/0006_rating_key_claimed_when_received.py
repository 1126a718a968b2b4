"""A rating's key is claimed at the rating's `received_at`, not at the database's clock.

`received_at` now comes from the application's clock (the same one that checks a rating's
age and prunes old keys), so a key and its rating carry one time.
"""

from django.db import migrations

CLAIM_AT_RECEIPT = """
CREATE OR REPLACE FUNCTION feedback_rating_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO feedback_ratingkey (client_id, dossier_code, rated_on, claimed_at)
  VALUES (NEW.client_id, NEW.dossier_code, NEW.rated_on, COALESCE(NEW.received_at, now()))
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN NULL;  -- this id (or this dossier's rating) is already stored
  END IF;
  RETURN NEW;
END $$;
"""

CLAIM_AT_DATABASE_CLOCK = """
CREATE OR REPLACE FUNCTION feedback_rating_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO feedback_ratingkey (client_id, dossier_code, rated_on)
  VALUES (NEW.client_id, NEW.dossier_code, NEW.rated_on)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("feedback", "0005_sessions_flags_cases_escalations")]

    operations = [migrations.RunSQL(CLAIM_AT_RECEIPT, CLAIM_AT_DATABASE_CLOCK)]
