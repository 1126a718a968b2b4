"""Workflows for cultural titles (Decree 86/2023/NĐ-CP): rule sets and criteria, yearly
cycles and their reminders, counts and imported recognitions."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.audit import acting_as
from civility.core.i18n import format_number
from civility.orgs.imports import ImportResult, Table
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role
from civility.programmes import figures
from civility.programmes.actions.common import (
    ensure_manages,
    language_for,
    problem,
    self_and_ancestors,
    validate,
)
from civility.programmes.imports import plan_recognitions
from civility.programmes.models import (
    COORDINATOR_ROLES,
    Criterion,
    CulturalTitle,
    CycleReminder,
    CycleStage,
    Recognition,
    TitleCount,
    TitleCycle,
    TitleRule,
)

logger = logging.getLogger(__name__)


# Decree 86/2023/NĐ-CP (effective 30 January 2024): the criteria groups in our own words,
# from the framework the decree sets; provinces detail them, so every item stays editable.
DECREE_86_FROM = datetime.date(2024, 1, 30)
DEFAULT_CRITERIA: dict[str, list[tuple[str, str, str, list[tuple[str, str]]]]] = {
    CulturalTitle.FAMILY: [
        (
            "I",
            "Gương mẫu chấp hành chủ trương, chính sách, pháp luật",
            "Exemplary compliance with policy and law",
            [
                (
                    "Thực hiện nếp sống văn minh trong việc cưới, việc tang và lễ hội",
                    "Civilised weddings, funerals and festivals",
                ),
                (
                    "Giữ gìn an ninh trật tự, phòng cháy chữa cháy; không gây tiếng ồn quá mức",
                    "Security, order and fire safety; no excessive noise",
                ),
            ],
        ),
        (
            "II",
            "Tích cực tham gia các phong trào thi đua",
            "Active part in emulation movements",
            [
                (
                    "Bảo vệ di tích, cảnh quan, môi trường; tham gia hoạt động cộng đồng",
                    "Protecting relics, landscape and environment; community activities",
                ),
                (
                    "Người trong độ tuổi lao động có việc làm, thu nhập hợp pháp; trẻ em trong "
                    "độ tuổi đi học được đến trường",
                    "Working-age members work with lawful income; school-age children attend "
                    "school",
                ),
            ],
        ),
        (
            "III",
            "Gia đình no ấm, tiến bộ, hạnh phúc, văn minh",
            "A prosperous, progressive, happy and civilised family",
            [
                (
                    "Thực hiện các tiêu chí ứng xử trong gia đình; bình đẳng giới",
                    "Family behaviour criteria; gender equality",
                ),
                (
                    "Thực hiện chính sách dân số, hôn nhân và gia đình",
                    "Population, marriage and family policy",
                ),
            ],
        ),
    ],
    CulturalTitle.VILLAGE: [
        (
            "I",
            "Đời sống kinh tế ổn định và phát triển",
            "A stable, developing economic life",
            [
                (
                    "Có việc làm, tỷ lệ hộ nghèo, cận nghèo thấp; phát triển nghề truyền thống",
                    "Employment, a low share of poor households, traditional trades",
                ),
            ],
        ),
        (
            "II",
            "Đời sống văn hóa, tinh thần lành mạnh, phong phú",
            "A healthy cultural life",
            [
                (
                    "Có nhà văn hóa, sân thể thao, điểm đọc sách; hoạt động văn hóa, thể thao",
                    "Cultural house, sports ground, reading point; cultural and sports activities",
                ),
                (
                    "Tỷ lệ hộ thực hiện nếp sống văn minh theo quy định của tỉnh",
                    "The share of households following civilised customs, as the province sets",
                ),
            ],
        ),
    ],
    CulturalTitle.EXEMPLARY_COMMUNE: [
        (
            "I",
            "Hoàn thành nhiệm vụ phát triển kinh tế - xã hội, quốc phòng, an ninh",
            "Socio-economic, defence and security tasks fulfilled",
            [],
        ),
        ("II", "Kinh tế ổn định và phát triển", "A stable, developing economy", []),
        ("III", "Đời sống văn hóa lành mạnh", "A healthy cultural life", []),
        (
            "IV",
            "Môi trường an toàn, thân thiện; cảnh quan sạch đẹp",
            "A safe, friendly environment and a clean landscape",
            [],
        ),
        (
            "V",
            "Chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
            "Compliance with Party and State policy and law",
            [],
        ),
    ],
}
DEFAULT_CRITERIA[CulturalTitle.RESIDENTIAL_GROUP] = DEFAULT_CRITERIA[CulturalTitle.VILLAGE]
DEFAULT_AUTHORITY: dict[str, tuple[str, str]] = {
    CulturalTitle.FAMILY: ("commune_chairman", ""),
    CulturalTitle.VILLAGE: (
        "other",
        "Chưa xác định sau khi bỏ cấp huyện (1/7/2025); trước đó: Chủ tịch UBND cấp huyện.",
    ),
    CulturalTitle.RESIDENTIAL_GROUP: (
        "other",
        "Chưa xác định sau khi bỏ cấp huyện (1/7/2025); trước đó: Chủ tịch UBND cấp huyện.",
    ),
    CulturalTitle.EXEMPLARY_COMMUNE: ("province_chairman", ""),
}


@transaction.atomic
def load_title_rules(
    *, actor: User | None, unit: OrgUnit, valid_from: datetime.date = DECREE_86_FROM
) -> list[TitleRule]:
    """The four titles under Decree 86/2023 for a province, with editable checklists; once."""
    if actor is not None:
        ensure_manages(actor, unit, COORDINATOR_ROLES)
    rules = []
    with acting_as(actor):
        for title in CulturalTitle.values:
            authority, note = DEFAULT_AUTHORITY[title]
            rule, created = TitleRule.objects.get_or_create(
                unit=unit,
                title=title,
                valid_from=valid_from,
                defaults={"deciding_authority": authority, "authority_note": note},
            )
            if created:
                for group, group_title, _group_en, items in DEFAULT_CRITERIA[title]:
                    if not items:
                        Criterion.objects.create(
                            rule=rule,
                            group=group,
                            group_title=group_title,
                            position=1,
                            text=group_title,
                            text_en=_group_en,
                        )
                    for position, (text, text_en) in enumerate(items, start=1):
                        Criterion.objects.create(
                            rule=rule,
                            group=group,
                            group_title=group_title,
                            position=position,
                            text=text,
                            text_en=text_en,
                        )
            rules.append(rule)
    return rules


RULE_FIELDS = frozenset(
    {
        "deciding_authority",
        "authority_note",
        "legal_basis",
        "closes_month",
        "closes_day",
        "comment_days",
        "decision_days",
        "publication_days",
        "target_indicator",
    }
)


@transaction.atomic
def update_title_rule(*, actor: User, rule: TitleRule, **changes: object) -> TitleRule:
    unknown = set(changes) - RULE_FIELDS
    if unknown:
        raise TypeError(f"update_title_rule() got unknown fields: {sorted(unknown)}")
    ensure_manages(actor, rule.unit, COORDINATOR_ROLES)
    for name, value in changes.items():
        setattr(rule, name, value)
    try:
        datetime.date(2024, rule.closes_month, rule.closes_day)
    except ValueError:
        raise ValidationError({"closes_day": _("This day does not exist in that month.")}) from None
    validate(rule)
    with acting_as(actor):
        rule.save()
    return rule


@transaction.atomic
def add_criterion(
    *, actor: User, rule: TitleRule, group: str, group_title: str, text: str, text_en: str = ""
) -> Criterion:
    ensure_manages(actor, rule.unit, COORDINATOR_ROLES)
    last = rule.criteria.filter(group=group.strip()).order_by("-position").first()
    criterion = Criterion(
        rule=rule,
        group=group.strip(),
        group_title=group_title.strip() or (last.group_title if last else ""),
        position=(last.position + 1) if last else 1,
        text=text.strip(),
        text_en=text_en.strip(),
        is_summary=False,
    )
    validate(criterion)
    with acting_as(actor):
        criterion.save()
    return criterion


@transaction.atomic
def remove_criterion(*, actor: User, criterion: Criterion) -> None:
    ensure_manages(actor, criterion.rule.unit, COORDINATOR_ROLES)
    with acting_as(actor):
        criterion.delete()


def rule_for(unit: OrgUnit, title: str, year: int) -> TitleRule | None:
    """The rule set in force for the title in the province above (or at) `unit`."""
    return (
        TitleRule.objects.in_force(title, year)
        .filter(unit__path__in=self_and_ancestors(unit))
        .order_by("-unit__depth", "-valid_from")
        .first()
    )


@transaction.atomic
def open_cycle(*, actor: User, rule: TitleRule, year: int) -> TitleCycle:
    ensure_manages(actor, rule.unit, COORDINATOR_ROLES)
    with acting_as(actor):
        cycle, _created = TitleCycle.objects.get_or_create(rule=rule, year=year)
    return cycle


CYCLE_STEPS = ("evaluation_closed_on", "list_posted_on", "decided_on", "published_on")


@transaction.atomic
def record_cycle_step(
    *, actor: User, cycle: TitleCycle, step: str, on: datetime.date, decision_no: str = ""
) -> TitleCycle:
    """Record the day a step of the yearly cycle happened, in order."""
    ensure_manages(actor, cycle.rule.unit, COORDINATOR_ROLES)
    if step not in CYCLE_STEPS:
        raise ValidationError({"step": _("Unknown step.")})
    position = CYCLE_STEPS.index(step)
    before = [getattr(cycle, name) for name in CYCLE_STEPS[:position]]
    if step != "evaluation_closed_on" and any(day is None for day in before[1:]):
        raise ValidationError({"step": _("Record the earlier steps first.")})
    if any(day is not None and on < day for day in before):
        raise ValidationError({"on": _("This step cannot come before an earlier one.")})
    if step == "list_posted_on" and on > cycle.evaluation_deadline + datetime.timedelta(days=1):
        # Still recorded: the list is late, which the cycle page shows.
        pass
    comment_ends = cycle.comment_ends
    if step == "decided_on":
        if comment_ends is not None and on < comment_ends:
            raise ValidationError(
                {
                    "on": _("The public comment period runs until %(date)s.")
                    % {"date": comment_ends.strftime("%d/%m/%Y")}
                }
            )
        cycle.decision_no = decision_no.strip()
    setattr(cycle, step, on)
    with acting_as(actor):
        cycle.save()
    return cycle


# Days before each due date on which the cycle reminder goes out.
CYCLE_REMINDER_DAYS = (14, 7, 3, 1)


def cycle_due_dates(cycle: TitleCycle) -> list[tuple[str, datetime.date]]:
    """The next steps still to do, with their due dates."""
    due: datetime.date | None
    if cycle.published_on:
        return []
    if cycle.decided_on:
        stage, due = CycleStage.AWAITING_PUBLICATION, cycle.publication_due
    elif cycle.list_posted_on:
        stage, due = CycleStage.AWAITING_DECISION, cycle.decision_due
    else:
        stage, due = CycleStage.EVALUATING, cycle.evaluation_deadline
    return [(stage, due)] if due is not None else []


@transaction.atomic
def send_cycle_reminders(*, today: datetime.date) -> int:
    """Remind the province's coordinators 14, 7, 3 and 1 days before the evaluation closes,
    the decision is due and publication is due, and on each day a step is late."""
    sent = 0
    cycles = TitleCycle.objects.filter(
        year__in=[today.year, today.year - 1], published_on__isnull=True
    ).select_related("rule__unit")
    for cycle in cycles:
        for step, due in cycle_due_dates(cycle):
            days = (due - today).days
            if days not in CYCLE_REMINDER_DAYS and days >= 0:
                continue
            if CycleReminder.objects.filter(cycle=cycle, step=step, sent_on=today).exists():
                continue
            users = (
                get_user_model()
                .objects.filter(
                    is_active=True,
                    role_assignments__unit=cycle.rule.unit,
                    role_assignments__role=Role.COORDINATOR,
                )
                .exclude(email="")
                .distinct()
            )
            emailed = sum(_email_cycle(cycle, step, due, user.email) for user in users)
            CycleReminder.objects.create(
                cycle=cycle, step=step, due_on=due, sent_on=today, recipients=emailed
            )
            sent += 1
    return sent


def _email_cycle(cycle: TitleCycle, step: str, due: datetime.date, address: str) -> bool:
    with translation.override(language_for(address)):
        values = {
            "title": cycle.rule.get_title_display(),
            "year": cycle.year,
            "step": CycleStage(step).label,
            "date": due.strftime("%d/%m/%Y"),
            "link": settings.SITE_URL + reverse("programmes:cycle_detail", args=[cycle.pk]),
        }
        subject = _("%(title)s %(year)s: %(step)s due %(date)s") % values
        body = _('%(title)s, %(year)s: the step "%(step)s" is due on %(date)s. %(link)s\n') % (
            values
        )
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # noqa: BLE001 - an SMTP failure must not stop the other reminders
        logger.exception("Could not e-mail a cycle reminder for cycle %s", cycle.pk)
        return False
    return True


@transaction.atomic
def set_title_count(
    *, actor: User, title: str, year: int, unit: OrgUnit, eligible: int, assessed: int
) -> TitleCount:
    ensure_manages(actor, unit)
    if assessed > eligible:
        raise ValidationError({"assessed": _("More assessed than eligible.")})
    with acting_as(actor):
        count, _created = TitleCount.objects.update_or_create(
            title=title,
            year=year,
            unit=unit,
            defaults={"eligible": eligible, "assessed": assessed, "recorded_by": actor},
        )
    return count


@transaction.atomic
def import_recognitions(
    *,
    actor: User,
    root: OrgUnit,
    title: str,
    year: int,
    table: Table,
    dry_run: bool = False,
    replace: bool = True,
) -> ImportResult:
    """A recognition list for one title and year under `root`. The list replaces the
    recognitions of that title and year under `root` (an imported list is the whole
    decision). Any error and nothing is written."""
    ensure_manages(actor, root)
    rule = rule_for(root, title, year)
    if rule is None:
        raise ValidationError(
            _("No rule set for %(title)s is in force in %(year)s here: load Decree 86 first.")
            % {"title": CulturalTitle(title).label, "year": year}
        )
    kinds = figures.TITLE_UNIT_KINDS.get(title)
    plan = plan_recognitions(table=table, root=root, title=title, kinds=kinds)
    result = ImportResult(errors=plan.errors, warnings=plan.warnings, dry_run=dry_run)
    if plan.errors:
        return result
    existing = {
        (r.unit_id, r.household_code): r
        for r in Recognition.objects.filter(
            title=title, year=year, unit__path__startswith=root.path
        )
    }
    keys = {(row.unit.pk, row.household_code) for row in plan.rows}
    for key in keys:
        if key in existing:
            result.unchanged += 1
        else:
            result.created += 1
    removed = [r for key, r in existing.items() if key not in keys] if replace else []
    if removed:
        result.warnings.append(
            problem(
                None,
                "",
                ngettext(
                    "%(count)s recognition of this year not in the file is removed.",
                    "%(count)s recognitions of this year not in the file are removed.",
                    len(removed),
                )
                % {"count": format_number(len(removed))},
            )
        )
    if dry_run:
        return result
    with acting_as(actor):
        for recognition in removed:
            recognition.delete()
        for row in plan.rows:
            Recognition.objects.update_or_create(
                title=title,
                year=year,
                unit=row.unit,
                household_code=row.household_code,
                defaults={
                    "rule": rule,
                    "household_head": row.household_head,
                    "address": row.address,
                    "decision_no": row.decision_no,
                    "decided_on": row.decided_on,
                    "recorded_by": actor,
                },
            )
    return result
