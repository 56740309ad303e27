"""The README's configuration table is the one an operator reads: it must list every setting with its default."""

from __future__ import annotations

import re
from pathlib import Path

from api.config import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_in_the_readme_table_with_its_default() -> None:
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `KENNISBANK_([A-Z_]+)` \| ([^|]*) \|", README.read_text(encoding="utf-8"), re.M)
    }
    for setting in SETTINGS:
        assert setting.name in rows, f"KENNISBANK_{setting.name} is missing from the README's configuration table"
        shown = rows[setting.name].strip()
        assert shown == (f"`{setting.default}`" if setting.default else "(empty)"), (setting.name, shown)
