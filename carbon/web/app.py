"""``carbon serve``: the local web page where park staff check a workbook and get the 碳账本 without a terminal.

:func:`create_app` builds a Starlette application with server-side Jinja2 templates (autoescaped), Chinese first
with English beside, and no external URL: every style and the few lines of script are inline.

A person downloads the blank template, uploads a filled workbook (or takes the sample park), sees the problems
the command line's ``carbon validate`` finds (sortable and filterable, with the annotated copy to download),
chooses the method options (the :class:`~carbon.account.Methods` fields drive the form), computes, and sees the
dashboard with the 碳账本 and the HTML report to download.

Safe by default: each upload gets its own random id and temporary folder (removed after a time limit and on
shutdown); files are served only by that id and a fixed name from an allow-list; uploads are limited in size
(413 before the body is read when its length is announced) and must be ``.xlsx``; with a ``token`` every
request must carry it (``?token=`` once, then a cookie); a request that changes something (a POST) whose
``Origin`` (or, without one, ``Referer``) names another site than the page's own is refused (403), so no other
website open in the same browser can upload or compute through it; a :class:`~carbon.CarbonError` becomes a page with its
bilingual message and any other error a plain bilingual page, never a traceback.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carbon.account import Methods
from carbon.account.methods import cli_options
from carbon.errors import CarbonError
from carbon.io.annotate import annotate_workbook
from carbon.io.park_template import write_template
from carbon.io.park_workbook import read_workbook, validate_workbook
from carbon.io.words import LANGS, Words
from carbon.ledger import sample_workbook_path

__all__ = ["DOWNLOADS", "create_app"]

#: The only files a session serves: the name in its folder -> what the browser saves it as ({year} filled in).
DOWNLOADS = {
    "workbook.xlsx": "园区工作簿.xlsx",
    "annotated.xlsx": "问题标注_annotated.xlsx",
    "ledger.xlsx": "碳账本_{year}.xlsx",
    "report.html": "碳账本报告_{year}.html",
}

_LANG_NAMES = {"zh+en": "中文 + English", "zh": "中文", "en": "English"}
_COOKIE = "carbon_token"
_OWNER = "carbon_browser"  # a random id per browser: a session is shown only to the browser that made it


@dataclass
class _Session:
    """One upload: its folder, what was found and computed. Only the thread of its request writes it."""

    id: str
    folder: Path
    filename: str
    owner: str
    used: float = field(default_factory=time.monotonic)
    problems: list[Any] = field(default_factory=list)
    readable: bool = True
    ok: bool = False
    summary: str = ""
    year: object = None
    lang: str = "zh+en"
    methods: dict[str, Any] = field(default_factory=dict)
    dashboard: dict[str, Any] | None = None
    report_error: str = ""
    step: str = ""  # what a computation is doing now, for the page's progress line (/s/{sid}/status)


class _Sessions:
    """The sessions of the running app, each in its own temporary folder under ``root``; old ones removed."""

    def __init__(self, root: Path, ttl: float) -> None:
        self.root, self.ttl = root, ttl
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def new(self, filename: str, owner: str) -> _Session:
        self.expire()
        folder = Path(tempfile.mkdtemp(prefix="session-", dir=self.root))
        session = _Session(secrets.token_urlsafe(16), folder, filename, owner)
        with self._lock:
            self._sessions[session.id] = session
        return session

    def get(self, sid: str, owner: str) -> _Session:
        """The session ``sid`` of the browser ``owner`` (its cookie): another browser is told it does not exist."""
        self.expire()
        with self._lock:
            session = self._sessions.get(sid)
        if session is None or not secrets.compare_digest(session.owner.encode(), owner.encode()):
            raise HTTPException(404, "session")
        session.used = time.monotonic()
        return session

    def expire(self) -> None:
        now = time.monotonic()
        with self._lock:
            old = [s for s in self._sessions.values() if now - s.used > self.ttl]
            for session in old:
                del self._sessions[session.id]
        for session in old:
            shutil.rmtree(session.folder, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            self._sessions.clear()
        shutil.rmtree(self.root, ignore_errors=True)


class _TooLarge(Exception):
    pass


class _TokenGate:
    """Every request carries the token: ``?token=`` once (then kept in a cookie) or the cookie; else 403."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = request.query_params.get("token")
        if given is not None and secrets.compare_digest(given.encode(), self.token.encode()):

            async def send_cookie(message: Message) -> None:
                if message["type"] == "http.response.start":
                    cookie = f"{_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
                await send(message)

            await self.app(scope, receive, send_cookie)
            return
        cookie = request.cookies.get(_COOKIE, "")
        if cookie and secrets.compare_digest(cookie.encode(), self.token.encode()):
            await self.app(scope, receive, send)
            return
        refused = _message(
            request,
            403,
            "需要令牌",
            "Token required",
            "请使用启动时打印的完整地址（含 ?token=…）打开本页。",
            "Open this page with the full address printed at start (with ?token=…).",
        )
        await refused(scope, receive, send)


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """``url``'s origin as (scheme, host, port), the default port filled in; None when it names none ("null")."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS.get(scheme)


def _cross_site(request: Request) -> str | None:
    """The other site a request says it comes from (its ``Origin``, or without one its ``Referer``), or None when
    it names the request's own origin or says nothing (curl, scripts, the test client)."""
    claimed = request.headers.get("origin")
    if claimed is None:
        claimed = request.headers.get("referer") or None  # an empty Referer says nothing
    if claimed is None:
        return None
    theirs = _origin(claimed)
    return None if theirs is not None and theirs == _origin(str(request.url)) else claimed


class _SameOrigin:
    """A request that changes something (POST, …) sent from another website's page is refused with 403 before
    its body is read: with no token on 127.0.0.1, any site open in the same browser could otherwise post to it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        other = _cross_site(request)
        if other is None:
            await self.app(scope, receive, send)
            return
        shown = other if len(other) <= 100 else other[:100] + "…"
        refused = _message(
            request,
            403,
            "跨站请求已拒绝",
            "Cross-site request refused",
            f"该请求来自另一个网站（{shown}），不是本页面；请在本页面上传或核算。",
            f"This request came from another website ({shown}), not this page; upload or compute on this page.",
        )
        await refused(scope, receive, send)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,  # every text from a workbook is shown as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _method_fields() -> list[dict[str, Any]]:
    """The method options of the compute form, from :func:`cli_options` (choices and defaults of Methods)."""
    fields = []
    for option in cli_options():
        description = Methods.model_fields[option["dest"]].description or option["dest"]
        zh, _, en = description.partition(" / ")
        fields.append(
            {
                "name": option["dest"],
                "zh": zh,
                "en": en,
                "default": option["default"],
                "choices": option["choices"],
                "flag": option["flag_only"],
            }
        )
    return fields


def _render_report() -> Callable[..., str] | None:
    """``carbon.web.report.render_report`` when it is installed, else None (the dashboard shows the headline)."""
    try:
        from carbon.web.report import render_report
    except ImportError:
        return None
    return render_report


def _dashboard(account: Any, lang: str) -> dict[str, Any]:
    """The figures the dashboard page shows (when there is no HTML report to show them all); the core indicator
    with four decimals, as the 碳账本 and the report show it."""
    words = Words(lang)
    s = account.summary
    headline = [
        ("园区碳排放（910号 附件4）", "E_park (910 Annex 4)", f"{s['park910_tco2']:,.1f}", "tCO2"),
        ("范围一", "Scope 1", f"{s['scope1_tco2']:,.1f}", "tCO2"),
        (
            "范围二（基于位置 / 基于市场）",
            "Scope 2 (location / market)",
            f"{s['scope2_location_tco2']:,.1f} / {s['scope2_market_tco2']:,.1f}",
            "tCO2",
        ),
        ("综合能耗", "energy", f"{s['energy_tce']:,.1f}", "tce"),
        ("清洁能源占比", "clean-energy share", f"{s['clean_energy_share']:.1%}", ""),
        ("固废综合利用率", "solid-waste utilisation", f"{s['solid_waste_utilization_rate']:.1%}", ""),
    ]
    indicators = []
    for item in account.indicators.itertuples(index=False):
        share = item.unit == "fraction"
        level = str(item.comparison).startswith("level")
        indicators.append(
            {
                "name": words.label("indicator", item.indicator),
                "value": f"{item.value:.1%}" if share else f"{item.value:,.3f}",
                "comparison": words.label("comparison", item.comparison, "indicators"),
                "threshold": f"{item.threshold:.0%}" if share and not level else f"{item.threshold:g}",
                "status": words.label("status", item.status),
                "met": str(item.status) == "achieved",
            }
        )
    enterprises = account.by("enterprise").sort_values("total_tco2", ascending=False)
    return {
        "park": account.park.get("name", ""),
        "year": account.year,
        "core": f"{s['carbon_per_energy_tco2_per_tce']:.4f}",  # as the 碳账本 and the report show it
        "core_split": f"{s['carbon_per_energy_location']:.4f} / {s['carbon_per_energy_market']:.4f}",
        "headline": headline,
        "indicators": indicators,
        "enterprises": [
            {
                "name": row.name,
                "sub_park": row.sub_park,
                "industry": row.industry,
                "total": f"{row.total_tco2:,.1f}",
                "tce": f"{row.tce:,.1f}",
                "intensity": f"{row.tco2_per_tce:.3f}",
            }
            for row in enterprises.itertuples(index=False)
        ],
        # the choices in words (两种都算…, GB/T 32151 缺省值), as the 碳账本's summary states them
        "methods": {
            k: (v if k == "gwp" else Words("zh+en").label(f"methods.{k}", v)) for k, v in account.methods.items()
        },
    }


@dataclass(frozen=True)
class _Settings:
    """What :func:`create_app` was given, kept in ``app.state.settings`` for the handlers."""

    max_upload_mb: float
    limit: int  # the largest workbook in bytes
    root: Path  # the app's own folder: the template and every session's folder


def create_app(
    *,
    token: str | None = None,
    max_upload_mb: int = 20,
    workdir: Path | None = None,
    session_minutes: float = 120,
    allowed_hosts: Sequence[str] | None = None,
) -> Starlette:
    """The ``carbon serve`` application.

    ``token``: required on every request when given (``?token=`` once, then a cookie). ``max_upload_mb``: the
    largest workbook accepted (413 above it). ``workdir``: where the sessions' temporary folders live (default:
    the system's temporary folder); everything the app writes is under one folder of its own there, removed on
    shutdown. ``session_minutes``: a session unused this long is removed with its files. ``allowed_hosts``: the
    only ``Host`` headers answered (``carbon serve`` on 127.0.0.1 gives the local names: a page of another site
    whose address a DNS trick points here is refused).

    The handlers are the module's functions; they read what they need from ``request.app.state``: ``settings``
    (:class:`_Settings`), ``env`` (the Jinja2 environment), ``sessions``, ``root`` and ``template_lock``.
    """
    root = Path(tempfile.mkdtemp(prefix="carbon-serve-", dir=workdir))
    app = Starlette(
        routes=_ROUTES,
        lifespan=_lifespan,
        middleware=[Middleware(_SameOrigin)],
        exception_handlers={
            CarbonError: _carbon_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    app.state.settings = _Settings(max_upload_mb, int(max_upload_mb * 1024 * 1024), root)
    app.state.env = _environment()
    app.state.sessions = _Sessions(root, session_minutes * 60)
    app.state.root = root
    app.state.template_lock = threading.Lock()
    if token:
        app.add_middleware(_TokenGate, token=token)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    return app


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    try:
        yield
    finally:
        app.state.sessions.close()  # every session's folder, on shutdown


# pages


def _page(request: Request, name: str, **values: Any) -> str:
    state = request.app.state
    return state.env.get_template(name).render(max_upload_mb=state.settings.max_upload_mb, **values)


def _message(request: Request, status: int, title_zh: str, title_en: str, zh: str, en: str) -> HTMLResponse:
    html = _page(request, "app_message.html", title_zh=title_zh, title_en=title_en, zh=zh, en=en)
    return HTMLResponse(html, status_code=status)


def _too_large(request: Request) -> HTMLResponse:
    mb = request.app.state.settings.max_upload_mb
    return _message(
        request,
        413,
        "文件太大",
        "File too large",
        f"上传的文件超过 {mb} MB 的上限。",
        f"The upload is larger than the limit of {mb} MB.",
    )


def _session(request: Request) -> _Session:
    """The session of the address, if it is this browser's (else 404)."""
    return request.app.state.sessions.get(request.path_params["sid"], request.cookies.get(_OWNER, ""))


# the routes


async def _home(request: Request) -> HTMLResponse:
    return HTMLResponse(_page(request, "app_home.html"))


async def _template(request: Request) -> FileResponse:
    path = request.app.state.settings.root / "园区碳账本模板.xlsx"
    await run_in_threadpool(_write_template_once, path, request.app.state.template_lock)
    return FileResponse(path, filename="园区碳账本模板.xlsx", media_type=_XLSX)


def _write_template_once(path: Path, lock: threading.Lock) -> None:
    """The blank template, written by the first request that asks (in a worker thread: the lock never blocks
    the event loop)."""
    with lock:
        if not path.exists():
            write_template(path)


async def _upload(request: Request) -> Response:
    cap = request.app.state.settings.limit + 64 * 1024  # the form's own bytes around the file
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        return _too_large(request)
    counted = Request(request.scope, _counting(request.receive, cap))
    try:
        form = await counted.form(max_files=1, max_fields=10)
    except _TooLarge:
        return _too_large(request)
    owner = request.cookies.get(_OWNER) or secrets.token_urlsafe(16)
    try:
        stored = await _store(request, form, owner)
    finally:
        await form.close()
    if isinstance(stored, Response):
        return stored
    await run_in_threadpool(_check, stored)
    response = RedirectResponse(f"/s/{stored.id}/problems", status_code=303)
    response.set_cookie(_OWNER, owner, httponly=True, samesite="strict")
    return response


async def _store(request: Request, form: FormData, owner: str) -> _Session | Response:
    """A new session with the uploaded workbook (or the sample) in its folder, or the page saying why not."""
    sessions = request.app.state.sessions
    upload = form.get("workbook")
    if form.get("sample"):
        session = sessions.new(sample_workbook_path().name, owner)
        shutil.copyfile(sample_workbook_path(), session.folder / "workbook.xlsx")
        return session
    if not (isinstance(upload, UploadFile) and upload.filename):
        return _message(
            request,
            400,
            "未选择文件",
            "No file chosen",
            "请选择一个填好的 .xlsx 工作簿，或使用示例园区。",
            "Choose a filled .xlsx workbook, or use the sample park.",
        )
    if not upload.filename.lower().endswith(".xlsx"):
        return _message(
            request,
            400,
            "只接受 .xlsx 工作簿",
            "Only .xlsx workbooks",
            f"「{upload.filename}」不是 .xlsx 文件；请在 Excel 或 WPS 中另存为 .xlsx 后再上传。",
            f"{upload.filename!r} is not an .xlsx file; save it as .xlsx in Excel or WPS and upload it again.",
        )
    data = await upload.read()
    if len(data) > request.app.state.settings.limit:
        return _too_large(request)
    session = sessions.new(Path(upload.filename).name, owner)
    (session.folder / "workbook.xlsx").write_bytes(data)
    return session


async def _problems(request: Request) -> HTMLResponse:
    session = _session(request)
    html = _page(
        request,
        "app_problems.html",
        s=session,
        fields=_method_fields(),
        langs=[(code, _LANG_NAMES.get(code, code)) for code in LANGS],
        annotated=(session.folder / "annotated.xlsx").exists(),
    )
    return HTMLResponse(html)


async def _compute_page(request: Request) -> Response:
    session = _session(request)
    form = await request.form(max_files=0, max_fields=20)
    choices: dict[str, Any] = {}
    for option in _method_fields():
        if option["flag"]:
            choices[option["name"]] = form.get(option["name"]) in ("on", "true", "1")
        else:
            value = form.get(option["name"])
            choices[option["name"]] = option["default"] if value in (None, "") else str(value)
    lang = str(form.get("lang") or "zh+en")
    if lang not in LANGS:
        raise CarbonError(f"未知的语言 {lang!r}，可选 {', '.join(LANGS)} / unknown language {lang!r}")
    methods = Methods(**choices)  # an unknown choice: an UnknownNameError naming the valid ones
    await run_in_threadpool(_compute, session, methods, lang)
    return RedirectResponse(f"/s/{session.id}/dashboard", status_code=303)


async def _status(request: Request) -> Response:
    """What the session's computation is doing now (the page polls it while it waits)."""
    return JSONResponse({"step": _session(request).step})


async def _dashboard_page(request: Request) -> Response:
    session = _session(request)
    if session.dashboard is None:
        return RedirectResponse(f"/s/{session.id}/problems", status_code=303)
    html = _page(
        request,
        "app_dashboard.html",
        s=session,
        d=session.dashboard,
        report=(session.folder / "report.html").exists(),
    )
    return HTMLResponse(html)


async def _download(request: Request) -> FileResponse:
    session = _session(request)
    name = request.path_params["name"]
    if name not in DOWNLOADS:  # an allow-list: no other name, so no path, ever reaches the disk
        raise HTTPException(404, "file")
    path = session.folder / name
    if not path.is_file():
        raise HTTPException(404, "file")
    saved = DOWNLOADS[name].format(year=session.year or "")
    if name == "report.html" and request.query_params.get("view"):
        return FileResponse(path, media_type="text/html; charset=utf-8")
    media = "text/html; charset=utf-8" if name.endswith(".html") else _XLSX
    return FileResponse(path, filename=saved, media_type=media)


_ROUTES = [
    Route("/", _home),
    Route("/template", _template),
    Route("/upload", _upload, methods=["POST"]),
    Route("/s/{sid}/problems", _problems),
    Route("/s/{sid}/compute", _compute_page, methods=["POST"]),
    Route("/s/{sid}/dashboard", _dashboard_page),
    Route("/s/{sid}/status", _status),
    Route("/s/{sid}/download/{name}", _download),
]


# errors: bilingual pages, never a traceback

_HTTP_MESSAGES = {
    403: ("禁止访问", "Forbidden", "没有访问权限。", "Access is not allowed."),
    404: (
        "找不到",
        "Not found",
        "该页面或文件不存在，或会话已过期被清理；请重新上传工作簿。",
        "This page or file does not exist, or the session expired and was removed; upload the workbook again.",
    ),
    405: ("方法不允许", "Method not allowed", "请从首页开始。", "Start from the home page."),
}
_BAD_REQUEST = ("请求有误", "Bad request", "请从首页开始。", "Start from the home page.")


async def _carbon_error(request: Request, exc: Exception) -> HTMLResponse:
    zh, _, en = str(exc).partition(" / ")
    return _message(request, 422, "无法完成", "Could not be done", zh, en)


async def _http_error(request: Request, exc: Exception) -> HTMLResponse:
    code = getattr(exc, "status_code", 500)
    return _message(request, code, *_HTTP_MESSAGES.get(code, _BAD_REQUEST))


async def _server_error(request: Request, exc: Exception) -> HTMLResponse:
    return _message(
        request,
        500,
        "出错了",
        "Something went wrong",
        f"服务器内部错误（{type(exc).__name__}）。请重试；如仍出错，请用命令行 carbon validate 检查工作簿。",
        f"An internal error ({type(exc).__name__}). Try again; if it persists, check the workbook with "
        "carbon validate on the command line.",
    )


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _counting(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops once the body passes ``limit`` bytes (a body sent without its length)."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return counted


def _check(session: _Session) -> None:
    """The command line's pre-flight and validation; the annotated copy when there is something to mark."""
    path = session.folder / "workbook.xlsx"
    report = validate_workbook(path)
    session.problems = list(report.problems)
    session.readable = report.readable
    session.ok = report.ok
    session.summary = report.summary()
    if report.readable and report.problems:
        annotate_workbook(path, report.problems, session.folder / "annotated.xlsx")


def _compute(session: _Session, methods: Methods, lang: str) -> None:
    """The account, the 碳账本 and (when the report module is there) the HTML report."""
    if not session.ok:
        raise CarbonError(
            "工作簿仍有错误，请先修正再核算 / the workbook still has errors: correct them before computing"
        )

    def reading(sheet: str, done: int, total: int) -> None:
        session.step = f"读取工作簿 reading the workbook: {sheet} ({done + 1}/{total})"

    def writing(sheet: str, done: int, total: int) -> None:
        session.step = f"写入碳账本 writing the 碳账本: {sheet} ({done + 1}/{total})"

    ledger = read_workbook(session.folder / "workbook.xlsx", progress=reading)
    session.step = "核算 computing the account"
    account = ledger.account(methods=methods)
    account.to_excel(session.folder / "ledger.xlsx", lang=lang, progress=writing)
    session.step = "写出 HTML 报告 writing the HTML report"
    render = _render_report()
    session.report_error = ""
    (session.folder / "report.html").unlink(missing_ok=True)  # never the report of an earlier choice
    if render is not None:
        try:
            (session.folder / "report.html").write_text(render(account, lang=lang), encoding="utf-8")
        except Exception as exc:  # the ledger is there: the dashboard shows its figures and says why no report
            session.report_error = f"{type(exc).__name__}: {exc}"
    session.year, session.lang = account.year, lang
    session.dashboard = _dashboard(account, lang)
    session.step = "完成 done"
