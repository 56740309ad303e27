"""A clone of the repository needs nothing beside it: the reference data and the ADR ruleset are inside.

The committed HEAD is cloned into a temporary folder that holds nothing else, and the reference-data tests and the
seed generator's check run there, with this venv's packages but the clone's own code.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ADR_RULESET, REFERENCE_DATA, REPO

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """`command` in the clone, with this venv's python, the clone first on the path and no KENNISBANK_* setting."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KENNISBANK_")}
    env["PYTHONPATH"] = str(cwd)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed HEAD, cloned alone into an otherwise empty folder."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True,
                          timeout=30).stdout.strip()
    lone = tmp_path_factory.mktemp("lone")
    target = lone / "kennisbank"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO), str(target)], check=True, timeout=300,
                   capture_output=True)
    subprocess.run(["git", "checkout", "--quiet", head], cwd=target, check=True, timeout=120, capture_output=True)
    assert [p.name for p in lone.iterdir()] == ["kennisbank"]  # the clone has no sibling folders
    return target


def test_the_repository_holds_its_reference_data_and_ruleset() -> None:
    assert REFERENCE_DATA.is_relative_to(REPO) and ADR_RULESET.is_relative_to(REPO)
    for name in ("gemeenten.csv", "veiligheidsregios.csv", "politie_eenheden.csv", "veiligheidshuizen.csv"):
        assert (REFERENCE_DATA / name).stat().st_size > 0, name
    assert "rules:" in ADR_RULESET.read_text(encoding="utf-8")
    assert "CC BY 4.0" in (ADR_RULESET.parent / "README.md").read_text(encoding="utf-8")


def test_reference_data_tests_pass_in_a_clone_without_siblings(clone: Path) -> None:
    where = run([sys.executable, "-c", "import api, tests.conftest as c; print(api.__file__); print(c.REPO)"], clone)
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(clone)) for line in where.stdout.split()), where.stdout  # the clone's own code
    tested = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                  "tests/catalogue/test_reference_data.py"], clone)
    summary = tested.stdout.strip().splitlines()[-1] if tested.stdout.strip() else ""
    assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary and "error" not in summary, summary


def test_seed_generator_reads_the_clone_s_own_reference_data(clone: Path) -> None:
    checked = run([sys.executable, "tools/build_reference_seed.py", "--check"], clone, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "up to date" in checked.stdout
