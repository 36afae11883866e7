"""The layer contract of DEVELOPERS.md, checked by import-linter (the contract is in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_points_down_the_layers():
    linter = Path(sys.executable).parent / "lint-imports"
    if not linter.exists():
        linter = shutil.which("lint-imports")
    if linter is None:
        pytest.fail("import-linter is not installed: pip install '.[test]'")
    result = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Contracts: 1 kept, 0 broken." in result.stdout
