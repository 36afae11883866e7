"""``carbon serve``'s application (carbon.web.app) through Starlette's test client, as a person uses it: the blank
template, a good and a broken workbook, every download, the escaping of workbook text, the limits, the token,
sessions kept apart and removed."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

import carbon  # noqa: E402
from carbon.web.app import create_app  # noqa: E402

ENERGY = "能源消费 energy"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _workbook(tmp: Path, name: str, **cells: tuple[str, str, object]) -> Path:
    """A copy of the sample park with some cells changed: key -> (sheet, cell, value)."""
    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    for sheet, cell, value in cells.values():
        book[sheet][cell] = value
    path = tmp / name
    book.save(path)
    return path


def _upload(client: TestClient, path: Path, name: str | None = None):
    with open(path, "rb") as handle:
        return client.post("/upload", files={"workbook": (name or path.name, handle)})


def _sid(response) -> str:
    match = re.search(r"/s/([\w-]+)/", str(response.url))
    assert match, response.url
    return match.group(1)


def _compute(client: TestClient, sid: str, **choices: str):
    page = client.get(f"/s/{sid}/problems").text
    form = {"lang": "zh+en"}
    for option in carbon.account.methods.cli_options():
        if not option["flag_only"]:
            form[option["dest"]] = str(option["default"])
            assert f'name="{option["dest"]}"' in page  # the form offers every method choice
    form.update(choices)
    return client.post(f"/s/{sid}/compute", data=form)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def client(workdir):
    with TestClient(create_app(workdir=workdir)) as client:
        yield client


@pytest.fixture(scope="module")
def sample(client):
    """The sample park uploaded and computed with the default methods: (session id, dashboard response)."""
    checked = client.post("/upload", data={"sample": "1"})
    sid = _sid(checked)
    dashboard = _compute(client, sid)
    return sid, checked, dashboard


@pytest.fixture(scope="module")
def account():
    return carbon.read_workbook(carbon.sample_workbook_path()).account(methods=carbon.Methods())


def test_home_offers_the_template_and_the_upload_with_no_external_url(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'action="/upload"' in page.text and 'type="file"' in page.text and 'name="sample"' in page.text
    assert "上传" in page.text and "Upload" in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)  # no CDN, nothing from the network


def test_the_blank_template_downloads_as_a_workbook(client, tmp_path):
    response = client.get("/template")
    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["content-type"]
    assert "attachment" in response.headers["content-disposition"]
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    assert ENERGY in openpyxl.load_workbook(path).sheetnames


def test_the_sample_has_no_errors_and_offers_the_method_form(sample):
    _, checked, _ = sample
    assert checked.status_code == 200
    assert checked.history and checked.history[0].status_code == 303
    assert 'id="compute"' in checked.text
    assert "没有错误" in checked.text and "No errors" in checked.text
    for option in carbon.account.methods.cli_options():
        assert f'name="{option["dest"]}"' in checked.text
        if option["choices"]:
            assert f'<option value="{option["default"]}" selected>' in checked.text  # the default is chosen
    for lang in ("zh+en", "zh", "en"):
        assert f'value="{lang}"' in checked.text


def test_the_dashboard_shows_the_core_indicator_of_the_account(sample, account):
    _, _, dashboard = sample
    assert dashboard.status_code == 200
    core = f"{account.summary['carbon_per_energy_tco2_per_tce']:.4f}"
    assert f'<span id="core-indicator">{core}</span>' in dashboard.text
    assert account.park["name"] in dashboard.text
    assert "download/ledger.xlsx" in dashboard.text


def test_the_ledger_downloads_and_reads_back_with_the_figures_shown(client, sample, account, tmp_path):
    sid, _, dashboard = sample
    response = client.get(f"/s/{sid}/download/ledger.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "2023.xlsx" in response.headers["content-disposition"]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(response.content)
    back = carbon.read_account(path)
    shown = re.search(r'id="core-indicator">([\d.,]+)<', dashboard.text).group(1)
    # the page, the account and the 碳账本 agree
    assert shown == f"{back.summary['carbon_per_energy_tco2_per_tce']:.4f}"
    assert back.summary["carbon_per_energy_tco2_per_tce"] == pytest.approx(
        account.summary["carbon_per_energy_tco2_per_tce"]
    )


def test_the_html_report_downloads_when_it_can_be_made(client, sample):
    sid, _, dashboard = sample
    if "download/report.html" not in dashboard.text:
        pytest.skip(
            "carbon.web.report could not make the report yet: " + dashboard.text.split("report-error")[-1][:300]
        )
    response = client.get(f"/s/{sid}/download/report.html")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.lstrip().lower().startswith("<!doctype html")


def test_the_method_choices_reach_the_account(client, tmp_path):
    sid = _sid(client.post("/upload", data={"sample": "1"}))
    dashboard = _compute(client, sid, scope2="location", lang="en")
    expected = carbon.read_workbook(carbon.sample_workbook_path()).account(methods=carbon.Methods(scope2="location"))
    assert f'id="core-indicator">{expected.summary["carbon_per_energy_tco2_per_tce"]:.4f}<' in dashboard.text
    path = tmp_path / "en.xlsx"
    path.write_bytes(client.get(f"/s/{sid}/download/ledger.xlsx").content)
    assert carbon.read_account(path).methods.scope2 == "location"


def test_an_unknown_method_choice_is_a_bilingual_page(client):
    sid = _sid(client.post("/upload", data={"sample": "1"}))
    response = _compute(client, sid, scope2="nonsense")
    assert response.status_code == 422
    assert "nonsense" in response.text and "Traceback" not in response.text


def test_a_broken_workbook_lists_its_cell_and_offers_the_annotated_copy(client, tmp_path):
    path = _workbook(tmp_path, "broken.xlsx", e5=(ENERGY, "E5", "十二"))
    checked = _upload(client, path)
    assert checked.status_code == 200
    assert "有错误" in checked.text and 'id="compute"' not in checked.text  # nothing to compute
    rows = re.findall(r"<tr>(.*?)</tr>", checked.text, flags=re.S)
    assert any(ENERGY in row and ">E5<" in row and "十二" in row and "sev-error" in row for row in rows)
    sid = _sid(checked)
    annotated = client.get(f"/s/{sid}/download/annotated.xlsx")
    assert annotated.status_code == 200
    copy = tmp_path / "annotated.xlsx"
    copy.write_bytes(annotated.content)
    book = openpyxl.load_workbook(copy)
    assert book[ENERGY]["E5"].comment is not None  # the problem cell is marked
    assert len(book.sheetnames) == len(openpyxl.load_workbook(path).sheetnames) + 1  # and the list is added
    # computing anyway is refused with the reason, not a traceback
    refused = client.post(f"/s/{sid}/compute", data={"lang": "zh+en"})
    assert refused.status_code == 422 and "errors" in refused.text and "Traceback" not in refused.text


def test_text_from_the_workbook_is_escaped_in_the_problem_list(client, tmp_path):
    path = _workbook(tmp_path, "script.xlsx", e5=(ENERGY, "E5", SCRIPT))
    checked = _upload(client, path)
    assert ESCAPED in checked.text
    assert SCRIPT not in checked.text


def test_an_enterprise_named_script_is_escaped_on_the_dashboard(client, tmp_path):
    path = _workbook(tmp_path, "name.xlsx", c2=("企业 enterprises", "C2", SCRIPT))
    checked = _upload(client, path)
    assert 'id="compute"' in checked.text, checked.text
    dashboard = _compute(client, _sid(checked))
    assert dashboard.status_code == 200
    assert SCRIPT not in dashboard.text
    sid = _sid(checked)
    report = client.get(f"/s/{sid}/download/report.html")
    if report.status_code == 200:  # the report shows the enterprises: as text there too
        assert SCRIPT not in report.text
    else:
        assert ESCAPED in dashboard.text  # without the report, the dashboard lists the enterprises itself


def test_a_file_that_is_no_workbook_is_a_problem_not_a_traceback(client):
    checked = client.post("/upload", files={"workbook": ("data.xlsx", io.BytesIO(b"name,value\na,1\n"))})
    assert checked.status_code == 200
    assert "不是 .xlsx 工作簿" in checked.text and "not an .xlsx workbook" in checked.text
    assert "Traceback" not in checked.text and "annotated.xlsx" not in checked.text
    sid = _sid(checked)
    assert client.get(f"/s/{sid}/download/annotated.xlsx").status_code == 404
    refused = client.post(f"/s/{sid}/compute", data={"lang": "zh+en"})
    assert refused.status_code == 422 and "Traceback" not in refused.text


def test_only_xlsx_is_accepted(client):
    response = client.post("/upload", files={"workbook": ("data.csv", io.BytesIO(b"a,b\n1,2\n"))})
    assert response.status_code == 400
    assert ".xlsx" in response.text and "另存为" in response.text and "save it as" in response.text


def test_no_file_chosen_is_a_page(client):
    response = client.post("/upload", files={"workbook": ("", io.BytesIO(b""))})
    assert response.status_code == 400 and "未选择文件" in response.text


@pytest.fixture
def small(tmp_path):
    with TestClient(create_app(max_upload_mb=1, workdir=tmp_path)) as client:
        yield client


def test_an_upload_over_the_limit_is_refused_with_413(small, tmp_path):
    big = io.BytesIO(b"x" * (2 * 1024 * 1024))
    response = small.post("/upload", files={"workbook": ("big.xlsx", big)})
    assert response.status_code == 413
    assert "文件太大" in response.text and "too large" in response.text and "1 MB" in response.text
    assert not list(small.app.state.root.glob("session-*"))  # nothing kept


def test_an_upload_without_its_length_is_cut_at_the_limit(small):
    boundary = "carbonboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="big.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    sent = []

    def body():
        yield head
        for _ in range(64):  # 4 MB in chunks, no Content-Length: the server stops reading after the limit
            sent.append(1)
            yield b"x" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = small.post(
        "/upload", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 413


def test_a_download_name_cannot_leave_the_session_folder(client, sample, workdir):
    sid, _, _ = sample
    secret = workdir / "secret.txt"
    secret.write_text("secret")
    for name in (
        "..%2F..%2Fsecret.txt",
        "..%2Fworkbook.xlsx",
        "%2E%2E%2F%2E%2E%2Fsecret.txt",
        "workbook.xlsx%2F..%2F..%2F..%2Fsecret.txt",
        "..",
        "secret.txt",
    ):
        response = client.get(f"/s/{sid}/download/{name}")
        assert response.status_code == 404, name
        assert "secret" != response.text
    assert client.get(f"/s/{sid}/download/workbook.xlsx").status_code == 200  # the allowed name is served
    assert client.get(f"/s/{sid}/../../secret.txt").status_code == 404
    assert client.get("/s/not-a-session/download/ledger.xlsx").status_code == 404


def test_two_people_never_see_each_others_files(workdir, tmp_path):
    broken = _workbook(tmp_path, "broken.xlsx", e5=(ENERGY, "E5", "十二"))
    with TestClient(create_app(workdir=tmp_path)) as a, TestClient(a.app) as b:
        results = {}

        def run(name, client, send):
            results[name] = send(client)

        threads = [
            threading.Thread(target=run, args=("a", a, lambda c: c.post("/upload", data={"sample": "1"}))),
            threading.Thread(target=run, args=("b", b, lambda c: _upload(c, broken))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sid_a, sid_b = _sid(results["a"]), _sid(results["b"])
        assert sid_a != sid_b
        assert "没有错误" in results["a"].text and "十二" not in results["a"].text
        assert "十二" in results["b"].text
        # each sees its own upload; the other's address, even known, is not found
        assert a.get(f"/s/{sid_a}/download/workbook.xlsx").content == carbon.sample_workbook_path().read_bytes()
        assert b.get(f"/s/{sid_b}/download/workbook.xlsx").content == broken.read_bytes()
        assert a.get(f"/s/{sid_b}/problems").status_code == 404
        assert b.get(f"/s/{sid_a}/download/workbook.xlsx").status_code == 404
        folders = {s.folder for s in a.app.state.sessions._sessions.values()}
        assert len(folders) == 2


def test_session_folders_are_removed_on_shutdown_and_after_the_time_limit(tmp_path):
    app = create_app(workdir=tmp_path, session_minutes=0)
    root = app.state.root
    with TestClient(app) as client:
        checked = client.post("/upload", data={"sample": "1"}, follow_redirects=False)
        assert checked.status_code == 303
        assert len(list(root.glob("session-*"))) == 1
        # a session unused longer than the limit is gone with its files
        assert client.get(checked.headers["location"]).status_code == 404
        assert not list(root.glob("session-*"))
        client.post("/upload", data={"sample": "1"}, follow_redirects=False)
        assert root.exists()
    assert not root.exists()  # shutdown removes everything the app wrote


def test_with_a_token_every_request_needs_it(tmp_path):
    with TestClient(create_app(token="s3cret-token", workdir=tmp_path)) as client:
        refused = client.get("/")
        assert refused.status_code == 403
        assert "令牌" in refused.text and "token" in refused.text.lower()
        assert client.get("/template").status_code == 403
        assert client.post("/upload", data={"sample": "1"}).status_code == 403
        assert client.get("/?token=wrong").status_code == 403
        first = client.get("/?token=s3cret-token")
        assert first.status_code == 200
        assert "HttpOnly" in first.headers["set-cookie"]
        # then the cookie is enough
        assert client.get("/").status_code == 200
        assert client.post("/upload", data={"sample": "1"}).status_code == 200
    with TestClient(create_app(token="s3cret-token", workdir=tmp_path)) as other:
        assert other.get("/").status_code == 403  # another browser without it is refused


def test_errors_are_pages_without_a_traceback(client):
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert "找不到" in missing.text and "Not found" in missing.text
    wrong = client.get("/upload")
    assert wrong.status_code == 405 and "Traceback" not in wrong.text


def test_without_the_report_the_dashboard_shows_the_figures_itself(monkeypatch, tmp_path):
    import carbon.web.app as web_app

    monkeypatch.setattr(web_app, "_render_report", lambda: None)
    path = _workbook(tmp_path, "name.xlsx", c2=("企业 enterprises", "C2", SCRIPT))
    with TestClient(create_app(workdir=tmp_path)) as client:
        sid = _sid(_upload(client, path))
        dashboard = _compute(client, sid)
        assert 'id="indicators"' in dashboard.text and 'id="enterprises"' in dashboard.text
        assert ESCAPED in dashboard.text and SCRIPT not in dashboard.text
        assert "download/report.html" not in dashboard.text
        assert client.get(f"/s/{sid}/download/report.html").status_code == 404


def test_a_report_that_fails_leaves_the_ledger_and_says_why(monkeypatch, tmp_path):
    import carbon.web.app as web_app

    def broken(account, *, lang):
        raise RuntimeError("no template")

    monkeypatch.setattr(web_app, "_render_report", lambda: broken)
    with TestClient(create_app(workdir=tmp_path)) as client:
        sid = _sid(client.post("/upload", data={"sample": "1"}))
        dashboard = _compute(client, sid)
        assert dashboard.status_code == 200
        assert 'id="report-error"' in dashboard.text and "no template" in dashboard.text
        assert client.get(f"/s/{sid}/download/ledger.xlsx").status_code == 200


def test_carbon_serve_starts_prints_its_address_and_stops_on_ctrl_c(tmp_path):
    """The command staff run: it prints where the page is, the page answers, Ctrl-C stops it cleanly."""
    import shutil as _shutil
    import signal
    import subprocess
    import sys
    import urllib.request

    script = _shutil.which("carbon") or str(Path(sys.executable).with_name("carbon"))
    process = subprocess.Popen(
        [script, "serve", "--port", "0", "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line
        with urllib.request.urlopen(match.group(0), timeout=30) as answer:
            assert answer.status == 200 and "碳账本" in answer.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err


def test_carbon_serve_help_speaks_of_the_token(capsys):
    from carbon.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--help"])
    assert stopped.value.code == 0 and "令牌" in capsys.readouterr().out


def test_a_post_from_another_website_is_refused_and_nothing_is_uploaded(tmp_path):
    app = create_app(workdir=tmp_path)
    root = app.state.root
    with TestClient(app) as client:
        for headers in (
            {"Origin": "http://evil.example"},
            {"Origin": "null"},  # a sandboxed frame or a page that hides where it is
            {"Origin": "http://testserver:8080"},  # another port is another origin
            {"Origin": "https://testserver"},  # and so is another scheme
            {"Referer": "http://evil.example/page.html"},  # an older browser: no Origin, the Referer tells
        ):
            response = client.post("/upload", data={"sample": "1"}, headers=headers)
            assert response.status_code == 403, headers
            assert "跨站" in response.text and "Cross-site" in response.text, headers
            assert "Traceback" not in response.text
            assert not list(root.glob("session-*")), headers  # nothing uploaded
        big = io.BytesIO(b"x" * 1024)
        sent = client.post("/upload", files={"workbook": ("a.xlsx", big)}, headers={"Origin": "http://evil.example"})
        assert sent.status_code == 403 and not list(root.glob("session-*"))
        # computing from another site is refused too, even with the browser's own cookie and session
        sid = _sid(client.post("/upload", data={"sample": "1"}))
        refused = client.post(f"/s/{sid}/compute", data={"lang": "zh+en"}, headers={"Origin": "http://evil.example"})
        assert refused.status_code == 403
        assert client.get(f"/s/{sid}/dashboard", follow_redirects=False).status_code == 303  # nothing computed
        # reading is not changing: a link from elsewhere still opens the page
        assert client.get("/", headers={"Origin": "http://evil.example"}).status_code == 200


def test_a_post_from_the_page_itself_or_without_origin_is_accepted(tmp_path):
    with TestClient(create_app(workdir=tmp_path)) as client:
        own = client.post("/upload", data={"sample": "1"}, headers={"Origin": "http://testserver"})
        assert own.status_code == 200 and "没有错误" in own.text
        explicit = client.post("/upload", data={"sample": "1"}, headers={"Origin": "http://TestServer:80"})
        assert explicit.status_code == 200  # the default port and the case of the name do not matter
        referred = client.post("/upload", data={"sample": "1"}, headers={"Referer": "http://testserver/"})
        assert referred.status_code == 200
        bare = client.post("/upload", data={"sample": "1"})  # curl, scripts: neither header
        assert bare.status_code == 200
        computed = client.post(
            f"/s/{_sid(bare)}/compute", data={"lang": "zh+en"}, headers={"Origin": "http://testserver"}
        )
        assert computed.status_code == 200 and 'id="core-indicator"' in computed.text


def test_the_origin_is_checked_after_the_token(tmp_path):
    with TestClient(create_app(token="s3cret-token", workdir=tmp_path)) as client:
        assert client.get("/?token=s3cret-token").status_code == 200
        evil = client.post("/upload", data={"sample": "1"}, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403 and "Cross-site" in evil.text
        own = client.post("/upload", data={"sample": "1"}, headers={"Origin": "http://testserver"})
        assert own.status_code == 200


def test_on_this_machine_only_this_machines_names_are_answered(tmp_path):
    """A page of another site whose name a DNS trick points at 127.0.0.1 has its own origin; the Host check
    refuses it (carbon serve gives the local names when it binds 127.0.0.1)."""
    app = create_app(workdir=tmp_path, allowed_hosts=["127.0.0.1", "localhost", "::1"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400


def test_the_dashboard_states_the_methods_in_words(tmp_path):
    with TestClient(create_app(workdir=tmp_path)) as client:
        page = client.post("/upload", data={"sample": "1"}, follow_redirects=True)
        assert page.status_code == 200
        form = {o["dest"]: str(o["default"]) for o in carbon.account.methods.cli_options() if not o["flag_only"]}
        done = client.post(page.url.path.replace("problems", "compute"), data={**form, "lang": "zh+en"})
        dashboard = client.get(
            done.url.path if done.url.path.endswith("dashboard") else done.headers.get("location", "")
        )
        text = dashboard.text if dashboard.status_code == 200 else done.text
        assert "两种都算" in text and "scope2=both" not in text


def test_a_computation_says_which_step_it_is_on(tmp_path):
    """The page polls /s/{sid}/status while the account is computed: the steps of reading, computing and
    writing the 碳账本 sheet by sheet, then done."""
    with TestClient(create_app(workdir=tmp_path)) as client:
        page = client.post("/upload", data={"sample": "1"}, follow_redirects=True)
        status = page.url.path.replace("problems", "status")
        assert client.get(status).json() == {"step": ""}
        form = {o["dest"]: str(o["default"]) for o in carbon.account.methods.cli_options() if not o["flag_only"]}
        done = threading.Event()

        def compute():
            try:  # a failing computation ends the wait too (the assertions below then say why)
                client.post(page.url.path.replace("problems", "compute"), data={**form, "lang": "zh"})
            finally:
                done.set()

        threading.Thread(target=compute).start()
        seen = []
        while not done.is_set():
            step = client.get(status).json()["step"]
            if step and (not seen or seen[-1] != step):
                seen.append(step)
        assert client.get(status).json()["step"] == "完成 done"
        assert any("碳账本" in s and "/" in s for s in seen), seen  # a sheet of the ledger, with its count
    assert "status" in page.text  # the compute form asks for it
