"""Existing evaluations and classifications get the agency of their unit (the nearest unit of
an agency kind, itself included), and each evaluation keeps the rule set it was scored
under, with the reason that it was chosen for the whole period."""

from django.db import migrations

# orgs.models.AGENCY_KINDS when this migration was written.
AGENCY_KINDS = (
    "province",
    "former_district",
    "ward",
    "commune",
    "special_zone",
    "department",
    "service_center",
    "service_branch",
    "service_point",
    "public_service_unit",
)


def fill(apps, schema_editor):
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    Evaluation = apps.get_model("evaluations", "Evaluation")
    AnnualClassification = apps.get_model("evaluations", "AnnualClassification")
    agency_kinds = dict(OrgUnit.objects.filter(kind__in=AGENCY_KINDS).values_list("pk", "kind"))

    def agency_of(path: str, unit_id: int) -> int:
        chain = [int(part) for part in path.strip("/").split("/") if part]
        return next((pk for pk in reversed(chain) if pk in agency_kinds), unit_id)

    for model in (Evaluation, AnnualClassification):
        units = model.objects.values_list("unit_id", "unit__path").distinct()
        for unit_id, path in units.iterator():
            model.objects.filter(unit_id=unit_id).update(agency_id=agency_of(path, unit_id))
    for key in Evaluation.objects.values_list("rule_set", flat=True).distinct():
        Evaluation.objects.filter(rule_set=key).update(
            rule_choice={"code": "period_rule_set", "params": {"key": key}}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_rule_set_per_evaluation"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
