"""Whether a violation was related to duties: suggested by its type, stated by the decision.

Existing rows: Decision 522's types about conduct at home (QD522-8) and in public places
(QD522-9), and types filed under a public-places code, are conduct off duty; every other type
is related to duties. Decided records take the value of their type, so the check constraint
holds for the disciplinary decisions already recorded.
"""

from django.db import migrations, models

OFF_DUTY_KEYS = ("QD522-8", "QD522-9")


def mark_types_and_records(apps, schema_editor):
    ViolationType = apps.get_model("conduct", "ViolationType")
    ViolationRecord = apps.get_model("conduct", "ViolationRecord")
    ViolationType.objects.filter(
        models.Q(group__key="coc-522", key__in=OFF_DUTY_KEYS)
        | models.Q(code__audience="public_places")
    ).update(related_to_duties=False)
    decided = ViolationRecord.objects.filter(outcome="confirmed", type__isnull=False)
    decided.filter(type__related_to_duties=True).update(related_to_duties=True)
    decided.filter(type__related_to_duties=False).update(related_to_duties=False)


class Migration(migrations.Migration):
    dependencies = [
        ("codes", "0001_initial"),
        ("conduct", "0003_anonymous_report_submission_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="violationtype",
            name="related_to_duties",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Whether a violation of this type is committed in performing official "
                    "duties. Conduct at home or in public places, off duty, is not. Suggested "
                    "when a disciplinary decision is recorded; the decision states it."
                ),
                verbose_name="related to duties",
            ),
        ),
        migrations.AddField(
            model_name="violationrecord",
            name="related_to_duties",
            field=models.BooleanField(
                blank=True,
                help_text=(
                    "Whether the violation was committed in performing official duties "
                    "(public-service activity). Required for a disciplinary decision."
                ),
                null=True,
                verbose_name="related to duties",
            ),
        ),
        migrations.RunPython(mark_types_and_records, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="violationrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("handling", "disciplinary"), _negated=True),
                    ("related_to_duties__isnull", False),
                    _connector="OR",
                ),
                name="record_discipline_states_duties",
            ),
        ),
    ]
