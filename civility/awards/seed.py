"""The starting title catalogue and base salaries (framework §4; editable afterwards).

Every title is shipped in three versions: version 0 for the decisions before 2024 (Law on
Emulation and Commendation 2003, amended 2005 and 2013, and Decree 91/2017/NĐ-CP), then under
Law 06/2022 + Decree 98/2023 (from 1 Jan 2024) and under Decree 152/2025 (from 1 Jul 2025),
which carried over the same conditions and multipliers. Where the sources disagree or were not
found the setting is a default and `conditions_note` says so; `multiplier` stays empty where no
multiplier was found.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from civility.awards.rules import DECREE_98_2023_ART_54

# Not a legal date: the pre-2024 versions accept decisions from here on. When the Law of 2003
# entered into force was not checked against its text (domain audit of December 2026).
EARLIEST_RECORDED = datetime.date(2000, 1, 1)
PRE_2024_VERSION = 0
# (version number, rule set, valid from, valid to); version 0 is the pre-2024 one.
VERSIONS = (
    (PRE_2024_VERSION, "law-2003", EARLIEST_RECORDED, datetime.date(2023, 12, 31)),
    (1, "decree-98-2023", datetime.date(2024, 1, 1), datetime.date(2025, 6, 30)),
    (2, "decree-152-2025", datetime.date(2025, 7, 1), None),
)
MULTIPLIER_SOURCE = f"{DECREE_98_2023_ART_54}; giữ nguyên tại Nghị định 152/2025/NĐ-CP"

TITLES: list[dict[str, Any]] = [
    {
        "key": "advanced-worker",
        "name": "Lao động tiên tiến",
        "name_en": "Advanced Worker",
        "recipient": "individual",
        "form": "emulation_title",
        "level": "grassroots",
        "legal_basis": "Luật 06/2022/QH15, Điều 24",
        "multiplier": Decimal("0.3"),
        "min_classification": "good",
        "extra_conditions": "Có tinh thần tự lực, tự cường; đoàn kết, tương trợ; tích cực tham "
        "gia phong trào thi đua",
        "conditions_note": "Law 06/2022 Art. 24: classified 'well completed tasks' or higher, "
        "with solidarity and emulation. The Law sets no quota for this title. Decree 91/2017 "
        "also excluded officials recruited less than 10 months before and officials "
        "disciplined at reprimand or above; whether Decrees 98/2023 and 152/2025 keep these "
        "exclusions was not found, so each is a setting (to be confirmed). The exclusion for "
        "40 working days' absence was repealed in 2017 and does not apply.",
    },
    {
        "key": "grassroots-fighter",
        "name": "Chiến sĩ thi đua cơ sở",
        "name_en": "Grassroots Emulation Fighter",
        "recipient": "individual",
        "form": "emulation_title",
        "level": "grassroots",
        "legal_basis": "Luật 06/2022/QH15, Điều 23",
        "multiplier": Decimal("1.0"),
        "prerequisite_key": "advanced-worker",
        "initiative_rule": "excellent_or_initiative",
        "conditions_note": "UNCONFIRMED: the sources disagree on whether a recognised "
        "initiative is mandatory (the old law required one; the 2025 draft amendment would "
        "require both excellent completion and an initiative). Default: Advanced Worker and "
        "(excellently completed tasks or a recognised initiative). No legal quota (the 15% "
        "cap was not found); a unit may set one.",
    },
    {
        "key": "city-fighter",
        "name": "Chiến sĩ thi đua {tier}",
        "name_en": "{tier_en} Emulation Fighter",
        "recipient": "individual",
        "form": "emulation_title",
        "level": "city",
        "legal_basis": "Luật 06/2022/QH15",
        "multiplier": Decimal("3.0"),
        "consecutive_key": "grassroots-fighter",
        "consecutive_years": 3,
        "extra_conditions": "Sáng kiến hoặc đề tài khoa học có phạm vi ảnh hưởng {scope}",
        "conditions_note": "UNCONFIRMED: the old law selected among holders of 3 consecutive "
        "Grassroots Emulation Fighter titles; the Law 06/2022 wording was not confirmed. The "
        "count of years is a setting.",
    },
    {
        "key": "national-fighter",
        "name": "Chiến sĩ thi đua toàn quốc",
        "name_en": "National Emulation Fighter",
        "recipient": "individual",
        "form": "emulation_title",
        "level": "national",
        "legal_basis": "Luật 06/2022/QH15, Điều 21",
        "multiplier": Decimal("4.5"),
        "consecutive_key": "city-fighter",
        "consecutive_years": 2,
        "extra_conditions": "Sáng kiến hoặc đề tài khoa học có phạm vi ảnh hưởng toàn quốc",
        "conditions_note": "Law 06/2022 Art. 21: two consecutive provincial/ministerial "
        "fighter titles and an initiative of nationwide effect.",
    },
    {
        "key": "advanced-collective",
        "name": "Tập thể lao động tiên tiến",
        "name_en": "Advanced Labour Collective",
        "recipient": "collective",
        "form": "emulation_title",
        "level": "grassroots",
        "legal_basis": "Luật 06/2022/QH15, Điều 28",
        "multiplier": Decimal("0.8"),
        "member_share_key": "advanced-worker",
        "member_share_percent": 70,
        "member_no_discipline_from": "warning",
        "extra_conditions": "Hoàn thành tốt nhiệm vụ; phong trào thi đua thường xuyên, thiết "
        "thực; nội bộ đoàn kết, chấp hành tốt chủ trương, chính sách",
        "conditions_note": "Law 06/2022 Art. 28 (medium confidence: the Vietnamese text of the "
        "article was not found): at least 70% of members Advanced Workers and no member "
        "disciplined at warning or above (the old law required more than 50%).",
    },
    {
        "key": "excellent-collective",
        "name": "Tập thể lao động xuất sắc",
        "name_en": "Excellent Labour Collective",
        "recipient": "collective",
        "form": "emulation_title",
        "level": "grassroots",
        "legal_basis": "Luật 06/2022/QH15, Điều 27 khoản 1",
        "multiplier": Decimal("1.5"),
        "member_share_key": "advanced-worker",
        "member_share_percent": 70,
        "member_min_classification": "completed",
        "member_at_least_one_key": "grassroots-fighter",
        "extra_conditions": "Hoàn thành xuất sắc nhiệm vụ; phong trào thi đua thường xuyên, "
        "thiết thực, hiệu quả; nội bộ đoàn kết",
        "conditions_note": "Law 06/2022 Art. 27 cl. 1: excellent completion of tasks; 100% of "
        "members complete their tasks, at least 70% of them Advanced Workers; at least one "
        "member a Grassroots Emulation Fighter; solidarity. The Law sets no discipline "
        "condition for this title.",
    },
    {
        "key": "city-flag",
        "name": "Cờ thi đua của UBND {body}",
        "name_en": "{tier_en} People's Committee emulation flag",
        "recipient": "collective",
        "form": "emulation_title",
        "level": "city",
        "legal_basis": "Luật 06/2022/QH15",
        "multiplier": Decimal("8.0"),
        "extra_conditions": "Tập thể dẫn đầu cụm, khối thi đua của {body}",
        "conditions_note": "Detailed criteria under Law 06/2022 were not found.",
    },
    {
        "key": "certificate-commendation",
        "name": "Giấy khen",
        "name_en": "Certificate of commendation",
        "recipient": "individual",
        "form": "commendation",
        "level": "grassroots",
        "legal_basis": "Luật 06/2022/QH15",
        "extra_conditions": "Thành tích theo tiêu chuẩn của người đứng đầu cơ quan, đơn vị",
        "conditions_note": "Given by heads of departments and commune chairmen. Detailed "
        "criteria and the bonus multiplier under Law 06/2022 were not found: set them here.",
    },
    {
        "key": "certificate-commendation-collective",
        "name": "Giấy khen (tập thể)",
        "name_en": "Certificate of commendation (collective)",
        "recipient": "collective",
        "form": "commendation",
        "level": "grassroots",
        "legal_basis": "Luật 06/2022/QH15",
        "extra_conditions": "Thành tích theo tiêu chuẩn của người đứng đầu cơ quan, đơn vị",
        "conditions_note": "Detailed criteria and the bonus multiplier under Law 06/2022 were "
        "not found: set them here.",
    },
    {
        "key": "city-merit",
        "name": "Bằng khen của Chủ tịch UBND {body}",
        "name_en": "Certificate of merit of the {tier_en} Chairman",
        "recipient": "individual",
        "form": "commendation",
        "level": "city",
        "legal_basis": "Luật 06/2022/QH15",
        "extra_conditions": "Thành tích xuất sắc theo tiêu chuẩn của {body}",
        "conditions_note": "Detailed criteria under Law 06/2022 were not found (an older "
        "provincial example required two consecutive years of certificates of commendation). "
        "Set the conditions and multiplier here.",
    },
    {
        "key": "city-merit-collective",
        "name": "Bằng khen của Chủ tịch UBND {body} (tập thể)",
        "name_en": "Certificate of merit of the {tier_en} Chairman (collective)",
        "recipient": "collective",
        "form": "commendation",
        "level": "city",
        "legal_basis": "Luật 06/2022/QH15",
        "extra_conditions": "Thành tích xuất sắc theo tiêu chuẩn của {body}",
        "conditions_note": "Detailed criteria under Law 06/2022 were not found.",
    },
    {
        "key": "good-person-good-deed",
        "province": "01",
        "name": "Người tốt, việc tốt",
        "name_en": "Good person, good deed",
        "recipient": "individual",
        "form": "commendation",
        "level": "city",
        "legal_basis": "Quyết định 09/2020/QĐ-UBND (Hà Nội)",
        "extra_conditions": "Hành động, việc làm tốt được cộng đồng ghi nhận",
        "conditions_note": "Hanoi's own title under its former regulation (Decision "
        "09/2020/QĐ-UBND); the replacement regulation under Law 06/2022 was not found: check "
        "its legal status before use.",
    },
    {
        "key": "capital-initiative",
        "province": "01",
        "name": "Sáng kiến Thủ đô",
        "name_en": "Capital Initiative",
        "recipient": "individual",
        "form": "commendation",
        "level": "city",
        "legal_basis": "Quyết định 09/2020/QĐ-UBND (Hà Nội)",
        "initiative_rule": "required",
        "conditions_note": "Hanoi's own title under its former regulation (Decision "
        "09/2020/QĐ-UBND); the replacement regulation under Law 06/2022 was not found.",
    },
]

# The words of the provincial-level titles: Law 06/2022 names the level "tỉnh"; a centrally-
# run city's titles say "thành phố" (Hanoi: "Chiến sĩ thi đua thành phố").
CITY_WORDS = {"tier": "thành phố", "scope": "cấp thành phố", "body": "Thành phố", "tier_en": "City"}
PROVINCE_WORDS = {"tier": "cấp tỉnh", "scope": "cấp tỉnh", "body": "tỉnh", "tier_en": "Provincial"}
WORDED_FIELDS = ("name", "name_en", "extra_conditions")


def titles_for(province_code: str, *, city: bool) -> list[dict[str, Any]]:
    """The starting catalogue of one province: the national titles in its words, and the
    titles of its own (`"province"`: Hanoi's "Người tốt, việc tốt"), never another's."""
    words = CITY_WORDS if city else PROVINCE_WORDS
    titles = []
    for data in TITLES:
        if data.get("province", province_code) != province_code:
            continue
        title = {name: value for name, value in data.items() if name != "province"}
        for name in WORDED_FIELDS:
            if name in title:
                title[name] = title[name].format(**words)
        titles.append(title)
    return titles


# --- The pre-2024 catalogue --------------------------------------------------------------
# The titles kept their names and keys across the 2024 change, so that consecutive-year
# conditions read across it. Their conditions were NOT checked against the texts of that era:
# each is the 2024 default, kept as a setting and marked to be confirmed; the facts the domain
# files state about "the old law" (framework §4.2–4.3, sources F10 and F14) are noted, not
# cited as articles. No multiplier of Decree 91/2017 is in the sources: left empty.
PRE_2024_BASIS = (
    "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2005, 2013); Nghị định 91/2017/NĐ-CP"
)
PRE_2024_NOTE = (
    "TO BE CONFIRMED: pre-2024 version, for recording decisions taken before 1 January 2024. "
    "Its conditions are the 2024 defaults kept as settings; they were not checked against the "
    "Law of 2003 (amended 2005, 2013) or Decree 91/2017/NĐ-CP. The bonus multiplier of that "
    "era was not found: set it here."
)
PRE_2024_CHANGES: dict[str, dict[str, Any]] = {
    "grassroots-fighter": {
        "initiative_rule": "required",
        "conditions_note": "The old law required a recognised initiative (framework F10).",
    },
    "city-fighter": {
        "conditions_note": "The old law selected among holders of 3 consecutive Grassroots "
        "Emulation Fighter titles (framework F10).",
    },
    "advanced-collective": {
        "member_share_percent": 50,
        "conditions_note": "The old law required more than 50% of members to be Advanced "
        "Workers (framework F14); Civility checks at least the share set here.",
    },
    # Hanoi's own titles rest on its Decision 09/2020/QĐ-UBND, in force from 8 May 2020.
    "good-person-good-deed": {"valid_from": datetime.date(2020, 5, 8), "keep_basis": True},
    "capital-initiative": {"valid_from": datetime.date(2020, 5, 8), "keep_basis": True},
}


def pre_2024_version(title: dict[str, Any]) -> dict[str, Any]:
    """The pre-2024 version of a title from its (worded) fields: same name, recipient and
    conditions as settings to be confirmed, no multiplier, the texts of that era."""
    changes = dict(PRE_2024_CHANGES.get(title["key"], {}))
    keep_basis = changes.pop("keep_basis", False)
    note = " ".join(filter(None, [PRE_2024_NOTE, changes.pop("conditions_note", "")]))
    return {
        **title,
        "legal_basis": title["legal_basis"] if keep_basis else PRE_2024_BASIS,
        "multiplier": None,
        "conditions_note": note,
        **changes,
    }


# The base salary (lương cơ sở) bonuses are multiples of: from, amount, source, and whether
# it is still to be confirmed (Decree 161/2026 was read on one secondary source only).
BASE_SALARIES = [
    (datetime.date(2019, 7, 1), Decimal("1490000"), "Nghị định 38/2019/NĐ-CP", False),
    (datetime.date(2023, 7, 1), Decimal("1800000"), "Nghị định 24/2023/NĐ-CP", False),
    (datetime.date(2024, 7, 1), Decimal("2340000"), "Nghị định 73/2024/NĐ-CP", False),
    (datetime.date(2026, 7, 1), Decimal("2530000"), "Nghị định 161/2026/NĐ-CP", True),
]
