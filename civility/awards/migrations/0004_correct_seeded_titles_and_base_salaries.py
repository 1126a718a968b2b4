"""Bring catalogues loaded from the earlier seed in line with the December 2026 audit.

- The two collective titles cited ministry circulars that do not apply to Hanoi: they now
  cite Law 06/2022/QH15 with the article (Art. 28; Art. 27 cl. 1).
- The Excellent Labour Collective needs at least one Grassroots Emulation Fighter among its
  members, and the Law sets no discipline condition for it.
- For Advanced Worker, exclusion for discipline is now a setting (civility.awards.policies),
  not a catalogue field.
- Base salaries: 1,490,000 from 1 July 2019 and 2,530,000 from 1 July 2026 (the latter to be
  confirmed), where the catalogue's base salaries were loaded.

Only rows still carrying the seed's wording are reworded; the conditions above are law and
apply to every catalogue.
"""

import datetime
from decimal import Decimal

from django.db import migrations

ADVANCED_COLLECTIVE = {
    "old": "Luật 06/2022/QH15; Thông tư 01/2024/TT-VPCP",
    "legal_basis": "Luật 06/2022/QH15, Điều 28",
    "conditions_note": "Law 06/2022 Art. 28 (medium confidence: the Vietnamese text of the "
    "article was not found): at least 70% of members Advanced Workers and no member "
    "disciplined at warning or above (the old law required more than 50%).",
}
EXCELLENT_COLLECTIVE = {
    "old": "Luật 06/2022/QH15; Thông tư 01/2024/TT-BXD",
    "legal_basis": "Luật 06/2022/QH15, Điều 27 khoản 1",
    "conditions_note": "Law 06/2022 Art. 27 cl. 1: excellent completion of tasks; 100% of "
    "members complete their tasks, at least 70% of them Advanced Workers; at least one "
    "member a Grassroots Emulation Fighter; solidarity. The Law sets no discipline "
    "condition for this title.",
    "extra_conditions": "Hoàn thành xuất sắc nhiệm vụ; phong trào thi đua thường xuyên, "
    "thiết thực, hiệu quả; nội bộ đoàn kết",
}
ADVANCED_WORKER_OLD_NOTE = (
    "Law 06/2022 Art. 24: classified 'well completed tasks' or higher. The Law sets no quota "
    "for this title. Provinces may add conditions (e.g. no administrative sanction in the "
    "year)."
)
ADVANCED_WORKER_NOTE = (
    "Law 06/2022 Art. 24: classified 'well completed tasks' or higher, with solidarity and "
    "emulation. The Law sets no quota for this title. Decree 91/2017 also excluded officials "
    "recruited less than 10 months before and officials disciplined at reprimand or above; "
    "whether Decrees 98/2023 and 152/2025 keep these exclusions was not found, so each is a "
    "setting (to be confirmed). The exclusion for 40 working days' absence was repealed in "
    "2017 and does not apply."
)
BASE_SALARIES = [
    (datetime.date(2019, 7, 1), Decimal("1490000"), "Nghị định 38/2019/NĐ-CP", False),
    (datetime.date(2026, 7, 1), Decimal("2530000"), "Nghị định 161/2026/NĐ-CP", True),
]


def correct(apps, schema_editor):
    AwardTitle = apps.get_model("awards", "AwardTitle")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    AwardTitle.objects.filter(
        key="advanced-collective", legal_basis=ADVANCED_COLLECTIVE["old"]
    ).update(
        legal_basis=ADVANCED_COLLECTIVE["legal_basis"],
        conditions_note=ADVANCED_COLLECTIVE["conditions_note"],
    )
    AwardTitle.objects.filter(
        key="excellent-collective", legal_basis=EXCELLENT_COLLECTIVE["old"]
    ).update(
        legal_basis=EXCELLENT_COLLECTIVE["legal_basis"],
        conditions_note=EXCELLENT_COLLECTIVE["conditions_note"],
        extra_conditions=EXCELLENT_COLLECTIVE["extra_conditions"],
    )
    excellent = AwardTitle.objects.filter(key="excellent-collective")
    for title in excellent:
        has_fighter = AwardTitle.objects.filter(
            key="grassroots-fighter", unit_id=title.unit_id
        ).exists()
        title.member_no_discipline_from = ""
        if has_fighter:
            title.member_at_least_one_key = "grassroots-fighter"
        title.save(update_fields=["member_no_discipline_from", "member_at_least_one_key"])
    AwardTitle.objects.filter(key="advanced-worker").update(no_discipline_from="")
    AwardTitle.objects.filter(
        key="advanced-worker", conditions_note=ADVANCED_WORKER_OLD_NOTE
    ).update(conditions_note=ADVANCED_WORKER_NOTE)
    if BaseSalary.objects.exists():
        for valid_from, amount, basis, to_be_confirmed in BASE_SALARIES:
            BaseSalary.objects.get_or_create(
                valid_from=valid_from,
                defaults={
                    "amount": amount,
                    "legal_basis": basis,
                    "to_be_confirmed": to_be_confirmed,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_award_conditions_bonuses_revocation_grounds")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
