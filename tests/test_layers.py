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


def test_every_package_of_carbon_is_in_the_wheel():
    """pyproject.toml lists the packages by name: a new subpackage missing there installs without it (the editable
    install used in development hides it; a fresh wheel does not)."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(root).parts)
        for path in (root / "carbon").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed, sorted(found - listed)
