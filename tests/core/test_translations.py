"""Every user-facing string is translated: Vietnamese first, English second."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _untranslated(po_file: Path) -> str:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    return (result.stdout + fuzzy.stdout).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_string_in_the_code_is_translated(tmp_path, language):
    # Extract the strings afresh from a copy of the code, merged with the committed
    # catalogue: anything new or changed shows up as untranslated.
    copy = tmp_path / "civility"
    shutil.copytree(ROOT / "civility", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            language,
            "--ignore",
            "*/migrations/*",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    missing = _untranslated(copy / "locale" / language / "LC_MESSAGES" / "django.po")
    assert missing == "", f"untranslated or fuzzy {language} strings:\n{missing[:3000]}"
