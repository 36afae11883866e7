"""The HTML report (carbon.web.report): figures equal the account's, every indicator with its status, no address
outside the file, text from the workbook escaped, the ECharts licence shipped, and a real browser (Debian's
chromium through Playwright) drawing the charts offline and printing on A4."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import carbon
from carbon.errors import CarbonError
from carbon.io.words import Words
from carbon.schema.outputs import FRACTION, SUMMARY_FIGURES

jinja2 = pytest.importorskip("jinja2")  # the web extra

from carbon.web.report import ECHARTS_VERSION, render_report, write_report  # noqa: E402

HOSTILE = "<script>alert(1)</script>"
HOSTILE_SUB_PARK = "</script><b>片区</b>"


class _Page(HTMLParser):
    """What a reader of the page sees: the text of elements with data-key / data-status / data-indicator, the
    text of the whole body (scripts apart), and every attribute that could fetch something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.keys: dict[str, list[str]] = {}
        self.statuses: dict[str, list[str]] = {}  # indicator -> status codes and texts
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self._open: list[tuple[str, str, list[str]]] = []
        self._indicator: str | None = None
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("src", "href", "action", "poster", "data", "srcset"):
            if a.get(name):
                self.links.append(a[name])
        if tag == "script":
            self.scripts.append(a)
            self._in_script = True
        if tag == "tr" and a.get("data-indicator"):
            self._indicator = a["data-indicator"]
        if a.get("data-key"):
            self._open.append(("key", a["data-key"], []))
        if a.get("data-status"):
            self._open.append(("status", f"{self._indicator}|{a['data-status']}", []))
        if tag not in ("br", "meta", "input", "img", "link"):
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if not self.stack:
            return
        _, a = self.stack.pop()
        if a.get("data-status"):
            _, name, parts = self._open.pop()
            self.statuses.setdefault(name.split("|")[0], []).append((name.split("|")[1], "".join(parts).strip()))
        if a.get("data-key"):
            _, name, parts = self._open.pop()
            self.keys.setdefault(name, []).append("".join(parts).strip())
        if tag == "tr":
            self._indicator = None

    def handle_data(self, data):
        if self._in_script:
            return
        self.text.append(data)
        for _, _, parts in self._open:
            parts.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _value(text: str) -> tuple[float, float]:
    """The number a figure shows and half its last decimal: ``4,392,145.02`` -> (4392145.02, 0.005),
    ``27.7%`` -> (0.277, 0.0005)."""
    percent = text.endswith("%")
    digits = text.rstrip("%").replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    half = 0.5 * 10.0**-decimals
    return (float(digits) / 100, half / 100) if percent else (float(digits), half)


@pytest.fixture(scope="module")
def ledger():
    return carbon.read_workbook(carbon.sample_workbook_path())


@pytest.fixture(scope="module")
def account(ledger):
    return ledger.account()


@pytest.fixture(scope="module")
def html(account):
    return render_report(account)


@pytest.fixture(scope="module")
def page(html):
    return _parse(html)


def test_every_headline_figure_equals_the_account(account, page):
    checked = 0
    for spec in SUMMARY_FIGURES:
        value = account.summary.get(spec.name)
        shown = page.keys.get(spec.name)
        assert shown, f"{spec.name} is not in the report"
        for text in shown:
            if value is None or pd.isna(value):
                assert text == "—", (spec.name, text)
                continue
            assert text.endswith("%") == (spec.num_format == FRACTION), (spec.name, text)
            number, half = _value(text)
            assert abs(number - float(value)) <= half * 1.0001 + 1e-12, (spec.name, text, value)
            checked += 1
    # the cards show the core indicator, E_park with its five terms, scope 1 and 2 beside the full list
    for key in ("carbon_per_energy_tco2_per_tce", "park910_tco2", "scope2_market_tco2", "reduction_tco2"):
        assert len(page.keys[key]) == 2, key
    assert checked >= len(SUMMARY_FIGURES) + 10


def test_the_core_indicator_reads_as_the_account_s(account, page):
    s = account.summary
    assert page.keys["carbon_per_energy_tco2_per_tce"][0] == f"{s['carbon_per_energy_tco2_per_tce']:,.4f}"
    assert page.keys["carbon_per_energy_location"][0] == f"{s['carbon_per_energy_location']:,.4f}"
    assert page.keys["carbon_per_energy_market"][0] == f"{s['carbon_per_energy_market']:,.4f}"
    assert page.keys["park910_tco2"][0] == f"{s['park910_tco2']:,.2f}"
    terms = sum(s[f"park910_{t}_tco2"] for t in ("fuel", "conversion", "electricity", "heat", "process"))
    assert terms == pytest.approx(s["park910_tco2"], rel=1e-9)


def test_every_indicator_with_its_status_label(account, page):
    words = Words("zh+en")
    indicators = account.indicators
    assert len(indicators) == 6
    body = " ".join(page.text)
    for item in indicators.itertuples(index=False):
        assert item.indicator in page.statuses, item.indicator
        label = str(words.label("status", item.status))
        assert (item.status, label) in page.statuses[item.indicator]
        assert str(words.label("indicator", item.indicator)) in body
        if item.unit == "fraction":
            assert f"{item.value:.1%}" in body  # a share as a percentage, never 0.2768
    assert "未达标 gap" in body and "达标 achieved" in body


def test_no_address_outside_the_file(html, page):
    assert page.links == [], page.links  # no src, href ...: nothing to fetch
    assert all("src" not in attrs for attrs in page.scripts)
    assert len(page.scripts) == 3  # the chart data, ECharts, the drawing
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert "<link" not in html.lower() and "<iframe" not in html.lower()


def test_the_charts_are_inline_at_the_pinned_version(html):
    assert f't.version="{ECHARTS_VERSION}"' in html
    assert "echarts.init(" in html
    for chart in ("park910_terms", "by_sub_park", "by_industry", "energy_mix", "attainment", "trajectory"):
        assert f'id="chart-{chart}"' in html


def test_the_echarts_licence_ships_with_the_script():
    static = resources.files("carbon.web") / "static"
    script = (static / "echarts.min.js").read_text(encoding="utf-8")
    assert f't.version="{ECHARTS_VERSION}"' in script
    assert "</script" not in script.lower()
    assert "Apache License" in (static / "echarts.LICENSE").read_text(encoding="utf-8")
    assert "Apache ECharts" in (static / "echarts.NOTICE").read_text(encoding="utf-8")
    assert "BSD 3-Clause" in (static / "zrender.LICENSE").read_text(encoding="utf-8")
    assert ECHARTS_VERSION in (static / "README.md").read_text(encoding="utf-8")


def test_text_from_the_workbook_is_escaped(ledger):
    tables = {name: frame for name, frame in ledger.tables.items() if not frame.empty}
    enterprises = tables["enterprises"].copy()
    enterprises["name"] = enterprises["name"].astype(object)
    enterprises.loc[enterprises.index[0], "name"] = HOSTILE
    sub_park = enterprises["sub_park"].astype(object)
    enterprises["sub_park"] = sub_park.where(sub_park != sub_park.iloc[1], HOSTILE_SUB_PARK)
    tables["enterprises"] = enterprises
    park = dict(ledger.park)
    if park.get("sub_parks"):
        park["sub_parks"] = [HOSTILE_SUB_PARK if s == sub_park.iloc[1] else s for s in park["sub_parks"]]
    hostile = carbon.Ledger.from_frames(park, **tables).account()
    assert HOSTILE in set(hostile.by("enterprise")["name"])
    assert HOSTILE_SUB_PARK in set(hostile.by("sub_park")["key"])
    html = render_report(hostile)
    assert HOSTILE not in html and "<b>片区</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<\\/script><b>片区<\\/b>" in html  # in the chart data, </ cannot end the script block
    page = _parse(html)
    assert len(page.scripts) == 3
    assert HOSTILE in "".join(page.text)  # shown as text
    assert HOSTILE_SUB_PARK in "".join(page.text)


def test_one_language(account):
    zh, en = _parse(render_report(account, lang="zh")), _parse(render_report(account, lang="en"))
    assert "主要指标" in "".join(zh.text) and "headline figures" not in "".join(zh.text)
    assert "headline figures" in "".join(en.text) and "主要指标" not in "".join(en.text)
    assert zh.keys["park910_tco2"] == en.keys["park910_tco2"]


def test_write_report_checks_the_path_first(account, tmp_path):
    with pytest.raises(CarbonError):
        write_report(account, tmp_path / "report.xlsx")
    with pytest.raises(CarbonError):
        write_report(account, tmp_path / "missing" / "report.html")
    path = write_report(account, tmp_path / "报告.html")
    assert path == tmp_path / "报告.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_core_package_does_not_import_the_web_parts():
    # jinja2 is the web page's; dask (the dataset extra) imports it too when pint finds dask installed, which is
    # not carbon's doing: checked only where dask is absent
    code = (
        "import sys, importlib.util as u, carbon; carbon.read_workbook; print('carbon.web' in sys.modules, "
        "'starlette' in sys.modules, 'jinja2' in sys.modules and u.find_spec('dask') is None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


# -- a real browser ------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_the_report_in_a_browser_offline_and_printed_on_a4(account, artifacts, tmp_path):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    path = write_report(account, tmp_path / "report.html")
    requested, errors, dialogs = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requested.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(path.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.chart').length === 6 && "
                "[...document.querySelectorAll('.chart')].every(c => c.querySelector('svg path, canvas'))",
                timeout=20_000,
            )
            assert page.get_attribute("html", "data-charts") == "6"
            core = page.inner_text("#core [data-key=carbon_per_energy_tco2_per_tce]")
            assert core == f"{account.summary['carbon_per_energy_tco2_per_tce']:,.4f}"
            # each chart drew its data: the sub-park bars carry the account's totals as labels
            drawn = page.inner_text("#chart-by_sub_park")
            for total in account.by("sub_park")["total_tco2"]:
                assert f"{total:,.0f}" in drawn.replace("\u202f", ",")
            # the enterprise filter keeps the rows that match
            name = str(account.by("enterprise")["name"].iloc[0])
            page.fill("#enterprise-filter", name)
            visible = page.locator("#enterprise-table tbody tr:visible")
            assert visible.count() >= 1 and name in visible.first.inner_text()
            page.fill("#enterprise-filter", "")
            page.screenshot(path=str(artifacts / "report.png"), full_page=True)
            page.emulate_media(media="print")
            pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4", print_background=True)
        finally:
            browser.close()
    assert errors == [] and dialogs == []
    assert [u for u in requested if not u.startswith("file:")] == []
    assert (artifacts / "report.png").stat().st_size > 50_000
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 3 <= pages <= 30
    # A4 portrait: 595 x 842 points
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+595\.\d+\s+842\.\d+\s*\]", pdf)


def test_the_report_the_account_and_the_ledger_agree(account, tmp_path):
    """The figures of the HTML report (written by account.to_html), of the account and of its 碳账本 (written and
    read back) are one set of numbers: every headline figure, to the last decimal the report shows."""
    report = account.to_html(tmp_path / "报告.html")
    ledger = carbon.read_account(account.to_excel(tmp_path / "碳账本.xlsx"))
    shown = _parse(Path(report).read_text(encoding="utf-8")).keys
    compared = 0
    for spec in SUMMARY_FIGURES:
        value, written = account.summary.get(spec.name), ledger.summary.get(spec.name)
        if value is None or pd.isna(value):
            assert written is None or pd.isna(written), spec.name
            continue
        assert float(written) == pytest.approx(float(value), rel=1e-12), spec.name
        number, half = _value(shown[spec.name][0])
        assert abs(number - float(written)) <= half * 1.0001 + 1e-12, (spec.name, shown[spec.name][0], written)
        compared += 1
    assert compared >= 25


def test_the_report_command_writes_an_html_file(tmp_path, capsys, monkeypatch):
    from carbon.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["report", "--lang", "zh", "--no-progress"]) == 0
    written = tmp_path / "碳账本报告_2023.html"
    assert written.is_file() and "report written" in capsys.readouterr().out
    page = _parse(written.read_text(encoding="utf-8"))
    assert page.keys["carbon_per_energy_tco2_per_tce"]
    assert main(["report", "-o", "x.xlsx", "--no-progress"]) == 1  # the path is checked before any work
    assert ".html" in capsys.readouterr().err
