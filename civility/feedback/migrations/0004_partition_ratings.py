"""Ratings become a table partitioned by month of `rated_on`, with a BRIN index on the day.

A year of a city's ratings is millions of rows, read almost only by time range (rollups,
reports, the raw figures a test recomputes); monthly partitions keep each range scan and
each index small and let an old month be detached whole. PostgreSQL requires the partition
key in every unique index, so the uniqueness of `client_id` (and of a dossier's one rating)
moves to `feedback_ratingkey`, claimed by a BEFORE INSERT trigger that skips a row whose
key is taken: every writer (the ingest statement, the ORM, a COPY) stays idempotent.

The id stays a plain sequence (identity columns on partitioned tables need PostgreSQL 17).
Rows outside every month partition land in the DEFAULT partition, never lost;
`feedback_rating_partition(month)` moves them out when their month is created.
"""

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

PARTITION_FUNCTION = """
CREATE FUNCTION feedback_rating_partition(month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  next_first date := (date_trunc('month', month) + interval '1 month')::date;
  name text := 'feedback_servicerating_' || to_char(first_day, 'YYYYMM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('feedback_rating_partition'));
  IF to_regclass(name) IS NOT NULL THEN
    RETURN name;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE feedback_servicerating INCLUDING DEFAULTS '
                 'INCLUDING CONSTRAINTS)', name);
  EXECUTE format('WITH moved AS (DELETE FROM feedback_servicerating_default '
                 'WHERE rated_on >= %L AND rated_on < %L RETURNING *) '
                 'INSERT INTO %I SELECT * FROM moved', first_day, next_first, name);
  EXECUTE format('ALTER TABLE feedback_servicerating ATTACH PARTITION %I '
                 'FOR VALUES FROM (%L) TO (%L)', name, first_day, next_first);
  RETURN name;
END $$;
"""

CLAIM_TRIGGER = """
CREATE FUNCTION feedback_rating_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO feedback_ratingkey (client_id, dossier_code, rated_on)
  VALUES (NEW.client_id, NEW.dossier_code, NEW.rated_on)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN NULL;  -- this id (or this dossier's rating) is already stored
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER rating_claim BEFORE INSERT ON feedback_servicerating
FOR EACH ROW EXECUTE FUNCTION feedback_rating_claim();
"""

CONVERT = """
ALTER TABLE feedback_servicerating RENAME TO feedback_servicerating_old;
CREATE TABLE feedback_servicerating
  (LIKE feedback_servicerating_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (rated_on);
CREATE TABLE feedback_servicerating_default PARTITION OF feedback_servicerating DEFAULT;
SELECT feedback_rating_partition(month::date)
FROM generate_series(
  date_trunc('month', LEAST(current_date - 31,
                            (SELECT min(rated_on) FROM feedback_servicerating_old))),
  date_trunc('month', current_date + 62),
  interval '1 month') AS month;
INSERT INTO feedback_servicerating SELECT * FROM feedback_servicerating_old;
INSERT INTO feedback_ratingkey (client_id, dossier_code, rated_on)
  SELECT client_id, dossier_code, rated_on FROM feedback_servicerating_old;
CREATE SEQUENCE feedback_servicerating_id_seq_new;
SELECT setval('feedback_servicerating_id_seq_new',
              COALESCE((SELECT max(id) FROM feedback_servicerating_old), 0) + 1, false);
DROP TABLE feedback_servicerating_old;
ALTER SEQUENCE feedback_servicerating_id_seq_new RENAME TO feedback_servicerating_id_seq;
ALTER SEQUENCE feedback_servicerating_id_seq OWNED BY feedback_servicerating.id;
ALTER TABLE feedback_servicerating
  ALTER COLUMN id SET DEFAULT nextval('feedback_servicerating_id_seq'),
  ADD PRIMARY KEY (id, rated_on),
  ADD CONSTRAINT feedback_servicerating_counter_id_fk_orgs_orgunit_id
    FOREIGN KEY (counter_id) REFERENCES orgs_orgunit (id) DEFERRABLE INITIALLY DEFERRED,
  ADD CONSTRAINT feedback_servicerating_official_id_fk_orgs_official_id
    FOREIGN KEY (official_id) REFERENCES orgs_official (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX rating_counter_day ON feedback_servicerating (counter_id, rated_on);
CREATE INDEX rating_official_day ON feedback_servicerating (official_id, rated_on)
  WHERE official_id IS NOT NULL;
CREATE INDEX rating_received_brin ON feedback_servicerating USING brin (received_at);
CREATE INDEX rating_day_brin ON feedback_servicerating USING brin (rated_on);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_throttle_unlogged"),
        ("orgs", "0002_tree_path_trigger"),
    ]

    operations = [
        migrations.CreateModel(
            name="RatingKey",
            fields=[
                ("client_id", models.UUIDField(primary_key=True, serialize=False)),
                ("dossier_code", models.CharField(blank=True, max_length=40)),
                ("rated_on", models.DateField()),
                (
                    "claimed_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="ratingkey",
            index=django.contrib.postgres.indexes.BrinIndex(
                fields=["claimed_at"], name="ratingkey_claimed_brin"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(PARTITION_FUNCTION),
                migrations.RunSQL(CONVERT),
                migrations.RunSQL(CLAIM_TRIGGER),
            ],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="servicerating", name="rating_one_per_dossier"
                ),
                migrations.AlterField(
                    model_name="servicerating",
                    name="client_id",
                    field=models.UUIDField(editable=False),
                ),
                migrations.AlterField(
                    model_name="servicerating",
                    name="counter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ratings",
                        to="orgs.orgunit",
                        verbose_name="counter",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicerating",
                    name="official",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="ratings",
                        to="orgs.official",
                        verbose_name="official on duty",
                    ),
                ),
                migrations.AddIndex(
                    model_name="servicerating",
                    index=django.contrib.postgres.indexes.BrinIndex(
                        fields=["rated_on"], name="rating_day_brin"
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="ratingkey",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dossier_code", ""), _negated=True),
                fields=("dossier_code",),
                name="rating_one_per_dossier",
            ),
        ),
    ]
