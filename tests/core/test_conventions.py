"""docs/architecture.md is the map of the code, and this test keeps it true both ways: every
app and every module name in use is on the map, and everything on the map exists.

A module name shared by several apps is a *kind* ("File kinds": `models`, `actions`,
`figures`…) and means the same in every app; a name only one app uses is listed under
"Modules of one app" as `app/name`. A package split by sub-domain (`awards/models/`) counts
as its kind; its submodules are the sub-domains and are not on the map."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "architecture.md"
NOT_MODULES = {"migrations", "management", "templatetags", "templates", "static", "data", "locale"}


def _section(title: str) -> str:
    text = MAP.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _first_cells(title: str) -> list[str]:
    """The first cell of each row of the section's table, without its backquotes."""
    rows = re.findall(r"^\| `([^`]+)` \|", _section(title), flags=re.MULTILINE)
    assert rows, f"no table under '{title}'"
    return rows


def _apps() -> dict[str, list[str]]:
    """Each app's module names: its .py files and its packages."""
    apps = {}
    for config in sorted((ROOT / "civility").glob("*/apps.py")):
        folder = config.parent
        names = [path.stem for path in folder.glob("*.py") if path.stem != "__init__"]
        names += [
            path.name
            for path in folder.iterdir()
            if path.is_dir() and (path / "__init__.py").exists() and path.name not in NOT_MODULES
        ]
        apps[folder.name] = sorted(names)
    return apps


def test_the_apps_table_names_every_app_and_only_apps():
    listed = {cell.removeprefix("civility/") for cell in _first_cells("Apps")}
    listed = {name for name in listed if not name.endswith(".py")}
    assert listed == set(_apps())


def test_every_project_level_module_is_on_the_map():
    text = MAP.read_text(encoding="utf-8")
    missing = [
        path.name
        for path in sorted((ROOT / "civility").glob("*.py"))
        if path.stem != "__init__" and f"civility/{path.name}" not in text
    ]
    assert not missing, f"add to docs/architecture.md: {missing}"


def test_every_module_name_in_use_is_a_kind_or_listed_for_its_app():
    kinds, singles = set(_first_cells("File kinds")), set(_first_cells("Modules of one app"))
    missing = [
        f"{app}/{name}"
        for app, names in _apps().items()
        for name in names
        if name not in kinds and f"{app}/{name}" not in singles
    ]
    assert not missing, f"add to docs/architecture.md: {missing}"


def test_every_kind_and_module_on_the_map_exists():
    apps = _apps()
    in_use = {name for names in apps.values() for name in names}
    kinds = _first_cells("File kinds")
    assert not [kind for kind in kinds if kind not in in_use], "kinds no app uses"
    singles = _first_cells("Modules of one app")
    gone = [
        entry for entry in singles if entry.split("/")[1] not in apps.get(entry.split("/")[0], [])
    ]
    assert not gone, f"on the map but not in the code: {gone}"


def test_a_name_listed_for_one_app_is_not_also_a_kind():
    kinds = set(_first_cells("File kinds"))
    both = [entry for entry in _first_cells("Modules of one app") if entry.split("/")[1] in kinds]
    assert not both, f"list these only as kinds: {both}"
