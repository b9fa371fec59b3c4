"""bandit over the application code: no finding of medium severity or above goes unexplained.

A finding that is not a problem is marked where it is, `# nosec BXXX: <reason>`, so the reason
sits next to the code. Low-severity findings are listed in SECURITY.md (`random` for shuffling quiz
choices, the development-only secret key, the backup command's subprocess call).
pip-audit needs PyPI's vulnerability service, so it is run by hand; SECURITY.md records the result.
"""

import json
import subprocess  # nosec B404: runs the venv's own bandit, with a fixed argument list
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BANDIT = Path(sys.executable).with_name("bandit")


def test_bandit_finds_nothing_of_medium_severity_or_above():
    if not BANDIT.exists():
        pytest.fail(f"bandit is missing at {BANDIT}: pip install -r requirements-dev.txt")
    result = subprocess.run(  # nosec B603: fixed arguments, no shell
        [str(BANDIT), "-r", "learning", "site", "-ll", "-x", "learning/migrations,tests", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{item['filename']}:{item['line_number']}: {item['test_id']} {item['issue_severity']}: {item['issue_text']}"
        for item in report["results"]
    ]
    assert not report["errors"], report["errors"]
    assert not findings, "explain with `# nosec BXXX: reason` or fix:\n" + "\n".join(findings)
    assert result.returncode == 0, result.stderr


def test_make_test_lints_once_then_runs_the_database_free_tests_on_sqlite_only():
    # `make -n` prints the commands without running them (the sub-makes print theirs too).
    result = subprocess.run(  # nosec B603 B607: fixed arguments, no shell
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    lines = result.stdout.splitlines()
    lint = [lines.index(f".venv/bin/{command}") for command in ("ruff check .", "ruff format --check .")]
    lint.append(lines.index("PYTHONPATH=site:. .venv/bin/lint-imports"))
    sqlite = next(i for i, line in enumerate(lines) if "pytest" in line and "env -u DATABASE_URL" in line)
    postgres = next(i for i, line in enumerate(lines) if "pytest" in line and '"$url"' in line)
    assert max(lint) < sqlite < postgres, result.stdout
    assert sum("lint-imports" in line for line in lines) == 1
    assert '-m "not load"' in lines[sqlite] and '-m "not nodb"' in lines[postgres]
    assert "--durations=15" in lines[sqlite] and "--durations=15" in lines[postgres]
