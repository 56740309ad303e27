"""The README is what an operator and an integrator follow: its configuration table lists every setting with its
default, and its shell examples work as written, on macOS and BSD too."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import requests

from api.config import SETTINGS
from tests.keys import Keys
from tests.live import LiveServer

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


def shell_blocks() -> list[str]:
    """The README's ```sh blocks, as a reader copies them."""
    return re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)


def test_shell_examples_use_no_gnu_only_options() -> None:
    """macOS and BSD users copy these too: no `sed -i`/`-r`, no sed `I` flag, no `grep -P`, `xargs -r`, `date -d`."""
    gnu_only = re.compile(r"\bsed\s+-\w*[ir]|\bsed\b.*/[gpI]*I[gpI]*'|\bgrep\s+-\w*P|\bxargs\s+-\w*r|\bdate\s+-d"
                          r"|\breadlink\s+-f|\bbase64\s+-w")
    found = [line for block in shell_blocks() for line in block.splitlines() if gnu_only.search(line)]
    assert found == []


def test_etag_and_patch_example_works_in_a_posix_shell(fresh_url: str, fresh_keys: Keys) -> None:
    """The README's ETag + PATCH example, run as written by /bin/sh (dash here: POSIX, not bash) with curl."""
    block = next(block for block in shell_blocks() if "ETAG=$(" in block)
    with LiveServer(fresh_url) as server:
        script = block.replace("http://127.0.0.1:8000", server.url) + '\nprintf "\\nETAG=%s\\n" "$ETAG"\n'
        env = {**os.environ, "KEY": fresh_keys.curator}
        ran = subprocess.run(["/bin/sh", "-eu", "-c", script], env=env, capture_output=True, text=True, timeout=60,
                             check=False)
        assert ran.returncode == 0, ran.stderr
        etag = ran.stdout.rsplit("ETAG=", 1)[1].strip()
        assert etag.startswith(('"', 'W/"')), ran.stdout
        after = requests.get(f"{server.url}/api/v1/organisations/ess", timeout=30)
    assert after.json()["description"] == "Nieuwe beschrijving"
    assert after.headers["ETag"] != etag
