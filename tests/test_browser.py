"""``carbon serve`` in a real browser: uvicorn in a thread, headless Chromium driven by Playwright, as park staff use
it: open the page, choose the sample workbook, see the problem list, compute with the defaults, check the core
indicator shown equals the account's, download the 碳账本 and read it back. Screenshots of the problem list and
the dashboard go to ``$CARBON_ARTIFACTS`` (or the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
playwright = pytest.importorskip("playwright.sync_api")

import carbon  # noqa: E402
from carbon.web.app import create_app  # noqa: E402

CHROMIUM = os.environ.get("CARBON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by uvicorn on a free port in a background thread; stopped (and its folders removed) after."""
    app = create_app(workdir=tmp_path_factory.mktemp("browser-serve"))
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(10)
    assert not app.state.root.exists()  # the lifespan removed every session folder


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed ({CHROMIUM}); .ci/run installs Debian's chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def test_staff_check_the_sample_compute_and_download_the_ledger(server, browser, artifacts, tmp_path):
    url, _ = server
    account = carbon.read_workbook(carbon.sample_workbook_path()).account(methods=carbon.Methods())
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(url + "/")
    assert "园区碳账本" in page.title()
    page.set_input_files("input[type=file][name=workbook]", str(carbon.sample_workbook_path()))
    page.click("#check")
    page.wait_for_selector("#verdict", timeout=60_000)
    assert "没有错误" in page.inner_text("#verdict")
    page.screenshot(path=str(artifacts / "problems_sample.png"), full_page=True)

    # the defaults are chosen in the form: compute with them
    page.click("#run")
    page.wait_for_selector("#core-indicator", timeout=120_000)
    shown = page.inner_text("#core-indicator")
    assert shown == f"{account.summary['carbon_per_energy_tco2_per_tce']:.4f}"
    if page.locator("#report").count():  # the full report in its frame: let its charts draw before the picture
        page.frame_locator("#report").locator("body").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

    with page.expect_download() as info:
        page.click("#download-ledger")
    download = info.value
    assert download.suggested_filename == f"碳账本_{account.year}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    back = carbon.read_account(path)
    assert f"{back.summary['carbon_per_energy_tco2_per_tce']:.4f}" == shown

    assert not errors, errors  # no script error on any page
    assert all(r.startswith(url) or r.startswith(("data:", "blob:", "about:")) for r in requests), requests
    context.close()


def test_the_problem_list_filters_and_sorts_in_the_browser(server, browser, artifacts, tmp_path):
    import openpyxl

    url, _ = server
    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    book["能源消费 energy"]["E5"] = "十二"
    book["能源消费 energy"]["E6"] = "<script>alert(1)</script>"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url + "/")
    page.set_input_files("input[type=file][name=workbook]", str(broken))
    page.click("#check")
    page.wait_for_selector("#problems", timeout=60_000)
    rows = page.locator("#problems tbody tr")
    total = rows.count()
    assert total >= 2
    assert page.locator("#compute").count() == 0  # errors: nothing to compute
    page.screenshot(path=str(artifacts / "problems_broken.png"), full_page=True)

    page.fill("input[data-filter=problems]", "十二")
    visible = [r for r in range(total) if rows.nth(r).is_visible()]
    assert len(visible) == 1 and "E5" in rows.nth(visible[0]).inner_text()
    assert page.inner_text("#problems-count") == "1"
    page.fill("input[data-filter=problems]", "")
    assert all(rows.nth(r).is_visible() for r in range(total))

    cell = page.locator("#problems thead th").nth(3)  # the cell column: a click sorts, another reverses
    cell.click()
    first = page.inner_text("#problems tbody tr:first-child td:nth-child(4)")
    cell.click()
    assert page.inner_text("#problems tbody tr:first-child td:nth-child(4)") != first or total == 1
    assert "<script>alert(1)</script>" in page.inner_text("#problems")  # shown as text, never run
    assert not dialogs
    context.close()


def test_the_english_beside_the_chinese_can_be_hidden_and_stays_hidden(server, browser, artifacts):
    """Chinese first, English beside; the header's toggle hides the English, and the browser remembers it."""
    url, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(url + "/")
    english = page.locator("header a .en")
    assert english.is_visible()
    page.click("#lang-toggle")
    assert not english.is_visible() and "中英对照" in page.inner_text("#lang-toggle")
    assert not page.locator("#check .en").is_visible()  # the buttons too
    page.screenshot(path=str(artifacts / "home_zh_only.png"))
    page.reload()
    assert not page.locator("header a .en").is_visible()  # remembered
    page.click("#lang-toggle")
    assert page.locator("header a .en").is_visible()
    context.close()


def _luminance(rgb: str) -> float:
    """WCAG 2.1 relative luminance of a CSS ``rgb(r, g, b)`` / ``rgba(...)`` colour."""
    channels = [int(float(v)) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_english_on_every_button_can_be_read(server, browser):
    """The English beside the Chinese on a button has a contrast of at least 4.5:1 against the button (WCAG 2.1
    AA, normal text): grey English on the green button read 1.5:1."""
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    pairs = page.eval_on_selector_all(
        "button .en, .button .en",
        """spans => spans.map(span => {
            const button = span.closest('button, .button');
            return [span.textContent, getComputedStyle(span).color, getComputedStyle(button).backgroundColor];
        })""",
    )
    page.close()
    assert len(pairs) >= 3, pairs  # the template, upload-and-check and sample buttons
    for text, color, background in pairs:
        light, dark = sorted((_luminance(color), _luminance(background)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (text, color, background)
