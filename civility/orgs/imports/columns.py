"""The columns of each import and the words accepted in them.

The Vietnamese column titles and value labels are part of the file format (users'
spreadsheets carry them), not interface text, so they are plain constants, not gettext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from civility.orgs.imports.files import normalize
from civility.orgs.models import StaffCategory, UnitKind


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # Vietnamese title used in the templates
    required: bool
    help: Any  # lazy translatable text
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    example: Any = ""
    text_format: bool = False  # format the template column as text (codes keep leading 0s)

    def names(self) -> set[str]:
        return {normalize(n) for n in (self.key, self.title, *self.aliases)} - {""}


STRUCTURE_COLUMNS = (
    Column(
        "code",
        "Mã đơn vị",
        True,
        gettext_lazy(
            "The unit's code, unique for its kind. Re-importing the same code "
            "updates the unit instead of adding a new one."
        ),
        aliases=("ma", "unit code"),
        max_length=32,
        example="VP",
        text_format=True,
    ),
    Column(
        "name",
        "Tên đơn vị",
        True,
        gettext_lazy("The unit's name in Vietnamese."),
        aliases=("ten", "name vi", "ten tieng viet"),
        max_length=255,
        example="Văn phòng",
    ),
    Column(
        "name_en",
        "Tên tiếng Anh",
        False,
        gettext_lazy("The unit's name in English (optional)."),
        aliases=("english name", "ten tieng anh"),
        max_length=255,
        example="Office",
    ),
    Column(
        "kind",
        "Loại đơn vị",
        True,
        gettext_lazy("One of the kinds listed below, in Vietnamese or English."),
        aliases=("loai", "unit kind", "type"),
        example="Cơ quan chuyên môn",
    ),
    Column(
        "parent_code",
        "Mã đơn vị cấp trên",
        False,
        gettext_lazy(
            "Code of the unit this one belongs to: a unit already under the unit you "
            "import into, or another row of this file. Leave blank to place the unit "
            "directly under the unit you import into."
        ),
        aliases=("ma cap tren", "parent"),
        max_length=32,
        text_format=True,
    ),
    Column(
        "valid_from",
        "Hiệu lực từ ngày",
        False,
        gettext_lazy("The day the unit started to exist, as dd/mm/yyyy (optional)."),
        aliases=("tu ngay", "ngay hieu luc", "valid from date"),
        example="01/07/2025",
    ),
)

OFFICIAL_COLUMNS = (
    Column(
        "staff_code",
        "Mã nhân sự",
        False,
        gettext_lazy(
            "The unit's own identifier for the person. Re-importing the same code in "
            "the same unit updates the official; rows without one always add a new "
            "official."
        ),
        aliases=("ma can bo", "ma cong chuc", "ma nhan vien", "staff id"),
        max_length=32,
        example="NV001",
        text_format=True,
    ),
    Column(
        "full_name",
        "Họ và tên",
        True,
        gettext_lazy("The official's full name."),
        aliases=("ho ten", "name", "ten"),
        max_length=255,
        example="Nguyễn Thị Lan",
    ),
    Column(
        "staff_category",
        "Phân loại",
        True,
        gettext_lazy("Cadre, civil servant, public employee or worker (in Vietnamese or English)."),
        aliases=("doi tuong", "loai can bo", "category", "ngach"),
        example="Công chức",
    ),
    Column(
        "unit_code",
        "Mã đơn vị",
        False,
        gettext_lazy(
            "Code of the unit the official works in, under the unit you import into. "
            "Leave blank for the unit you import into itself."
        ),
        aliases=("ma don vi cong tac", "unit"),
        max_length=32,
        example="VP",
        text_format=True,
    ),
    Column(
        "post",
        "Vị trí việc làm",
        False,
        gettext_lazy(
            "Name of a post from the catalogue of the official's unit or of a unit "
            "above it (optional)."
        ),
        aliases=("chuc vu", "vi tri", "position"),
        max_length=255,
        example="Chuyên viên",
    ),
    Column(
        "is_leader",
        "Lãnh đạo",
        False,
        gettext_lazy("Whether the official is a leader: yes/no, có/không, x, 1/0. Blank means no."),
        aliases=("la lanh dao", "leader"),
        example="Không",
    ),
    Column(
        "post_start_date",
        "Ngày bắt đầu giữ vị trí",
        False,
        gettext_lazy("The day the official started in the post, as dd/mm/yyyy (optional)."),
        aliases=("ngay nhan vi tri", "ngay bat dau", "start date"),
        example="15/03/2022",
    ),
    Column(
        "email",
        "Thư điện tử",
        False,
        gettext_lazy("E-mail address (optional)."),
        aliases=("email", "e mail", "thu dien tu"),
        max_length=254,
        example="lan.nt@hanoi.gov.vn",
    ),
    Column(
        "phone",
        "Số điện thoại",
        False,
        gettext_lazy("Phone number (optional)."),
        aliases=("dien thoai", "sdt", "phone number"),
        max_length=32,
        example="0912345678",
        text_format=True,
    ),
)

COLUMNS = {"structure": STRUCTURE_COLUMNS, "officials": OFFICIAL_COLUMNS}

# Unit kinds an import may create, with the Vietnamese words users write for them (first one
# is shown in the templates' drop-down lists).
IMPORTABLE_KINDS: dict[str, tuple[str, ...]] = {
    UnitKind.DEPARTMENT: ("Cơ quan chuyên môn", "Sở ban ngành", "Cơ quan", "Sở", "Ban"),
    UnitKind.DIVISION: ("Phòng", "Bộ phận", "Phòng ban", "Phòng chuyên môn"),
    UnitKind.PUBLIC_SERVICE_UNIT: ("Đơn vị sự nghiệp công lập", "Đơn vị sự nghiệp"),
    UnitKind.COUNTER: ("Bộ phận Một cửa", "Quầy một cửa", "Một cửa", "Quầy"),
    UnitKind.VILLAGE: ("Thôn", "Làng", "Bản", "Ấp", "Xóm"),
    UnitKind.RESIDENTIAL_GROUP: ("Tổ dân phố", "TDP"),
    UnitKind.SERVICE_BRANCH: ("Chi nhánh Trung tâm Phục vụ hành chính công", "Chi nhánh"),
    UnitKind.SERVICE_POINT: ("Điểm Phục vụ hành chính công", "Điểm phục vụ"),
}

STAFF_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    StaffCategory.CADRE: ("Cán bộ",),
    StaffCategory.CIVIL_SERVANT: ("Công chức",),
    StaffCategory.PUBLIC_EMPLOYEE: ("Viên chức",),
    StaffCategory.WORKER: ("Người lao động", "Lao động", "Lao động hợp đồng"),
}

YES_WORDS = frozenset({"yes", "y", "co", "x", "1", "true", "dung", "lanh dao"})
NO_WORDS = frozenset({"no", "n", "khong", "0", "false", "sai"})


def vocabulary_of(
    words: dict[str, tuple[str, ...]], choices: Callable[[str], models.Choices]
) -> dict[str, str]:
    """Normalised word → value: the value itself, its labels in each language, the aliases."""
    vocabulary: dict[str, str] = {}
    for value, aliases in words.items():
        names = [value, *aliases]
        for language in ("en", "vi"):
            with translation.override(language):
                names.append(str(choices(value).label))
        names.append(str(choices(value).label))
        for name in names:
            vocabulary.setdefault(normalize(name), value)
    return vocabulary
