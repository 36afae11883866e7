"""Shared test configuration: hypothesis profiles and paths."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: The source checkout (the folder that holds pyproject.toml and factors/).
REPO = Path(__file__).resolve().parents[1]

# CI runs the same examples every time (reproducible); developers get fresh ones.
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100)
settings.register_profile("dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (.ci/run sets CI=true and installs LibreOffice and Chromium), a test skipped because a system tool
    is missing fails instead: the rendering and browser tests must run there, not skip."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and "not installed" in str(report.longrepr):
        report.outcome = "failed"
        report.longrepr = f"{report.longrepr}\nCI installs this tool (.ci/run): the test must not skip there"


@pytest.fixture
def artifacts(tmp_path) -> Path:
    """Where a test saves what a person may want to look at (screenshots): ``$CARBON_ARTIFACTS``, or the test's own
    temporary folder (never a fixed path that two runs, or two pytest-xdist workers, would share)."""
    folder = Path(os.environ.get("CARBON_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def render_pdf(workbook: Path, folder: Path) -> subprocess.CompletedProcess:
    """LibreOffice prints ``workbook`` to ``folder/<its name>.pdf``, with a profile of its own (a second soffice
    on the same profile hands its job to the first and can print nothing)."""
    profile = (folder / "soffice-profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    return subprocess.run(
        [*command, "--outdir", str(folder), str(workbook)], capture_output=True, text=True, timeout=300, check=False
    )
