"""The ``carbon`` command line: a thin layer over the Python API.

Exit codes: 0 success; 1 a problem with the input (unknown region, carrier, unreadable file, an output path that
cannot or must not be written ...), reported as one line on standard error in Chinese and English; 2 a usage error
(unknown option, missing argument), reported by argparse.

The help is in Chinese first with English beside, argparse's own words ("usage", "options") included. Every output
path is checked before any work is done (:func:`carbon.io.excel.check_output_path`). The long steps of ``ledger``
and ``validate`` show a progress bar on standard error when it is a terminal (``--progress`` forces the bars,
``--no-progress`` silences all progress); otherwise one line per step with the time taken, as in a log.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import get_args

import pandas as pd

from carbon._version import __version__
from carbon.account.methods import Methods, cli_options
from carbon.errors import CarbonError, UnknownNameError, bilingual, printable
from carbon.factorset import Kind, fuel_sets, library
from carbon.io.excel import check_output_path, display_width
from carbon.io.words import Words
from carbon.labels import LANGS
from carbon.names import resolve_carrier, resolve_region
from carbon.validation.problems import ReadReport

KINDS = list(get_args(Kind))

_MAIN_DESCRIPTION = (
    "carbon：园区碳账本——记录、核算并导出范围一、二排放，综合能耗（吨标准煤）和零碳园区指标，排放因子均可溯源。\n"
    "carbon: the carbon ledger (碳账本) of an industrial park: record, compute and export Scope 1/2 emissions, "
    "energy in tce and zero-carbon-park indicators, with traceable Chinese emission factors."
)

_MAIN_EPILOG = """\
退出码 / exit codes:
  0  成功 / success
  1  输入有问题（名称、文件、输出路径），标准错误输出一行中英文说明
     a problem with the input (name, file, output path): one line on stderr
  2  用法错误（未知选项、缺少参数）
     a usage error (unknown option, missing argument)
  3  diff --exit-code：两次结果不同 / diff --exit-code: the two runs differ

示例 / examples:
  carbon factors --region 青海 --year 2023
  carbon template t.xlsx
  carbon validate t.xlsx
  carbon ledger t.xlsx -o 碳账本.xlsx
  carbon report t.xlsx -o 报告.html
  carbon diff 旧.xlsx 新.xlsx
  carbon serve

每个命令的说明 / help on one command:  carbon COMMAND --help
"""

_FACTORS_EPILOG = """\
示例 / examples:
  carbon factors --region 青海 --year 2023
      青海 2023 数据年份的电网因子 / Qinghai's grid factor for data year 2023
  carbon factors --kind fuel --set ipcc2006
      IPCC 2006 燃料缺省值 / the IPCC 2006 fuel defaults
  carbon factors --carrier 天然气
      与天然气有关的全部因子 / every factor about natural gas
  carbon factors --format csv > factors.csv
      整个因子库（CSV，含来源和说明） / the whole library as CSV, with sources and notes
"""

_PROGRESS_HELP = (
    "显示进度条（默认：标准错误输出是终端时显示，否则每步一行）；--no-progress 不显示任何进度 / "
    "show progress bars on stderr (default: when it is a terminal, else one line per step); "
    "--no-progress shows no progress at all"
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter with the "usage:" prefix in both languages and help text wrapped by display width
    (a Chinese character takes two columns; argparse counts one)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法 / usage: " if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        # argparse indents the usage's later lines by len(prefix); "用法" takes two columns more than that
        text = super()._format_usage(usage, actions, groups, prefix)
        extra = display_width(prefix or "") - len(prefix or "")
        return re.sub(r"\n(?= +\S)", "\n" + " " * extra, text) if extra else text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        # descriptions and epilogs keep their lines (one for Chinese, one for English, the examples); a line
        # wider than the terminal is wrapped by display width, its continuation indented like itself
        lines = []
        for line in text.splitlines():
            lead = line[: len(line) - len(line.lstrip())]
            parts = _wrap(line.strip(), max(width - len(lead), 20)) if display_width(line) > width else [line.strip()]
            lines += [indent + lead + part for part in parts]
        return "\n".join(lines)


# a wide character (with the brackets and punctuation that must stay next to it), a run of others, or a space
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(rf"\s+|[(\[（「『]*[{_WIDE}][，。、；：！？）」』]*|[^\s{_WIDE}]+")


def _wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` display columns: lines break at spaces and between Chinese characters."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _TOKENS.findall(text):
        if token.isspace():
            space = True
            continue
        size, gap = display_width(token), (1 if space and line else 0)
        if line and used + gap + size > width:
            lines.append(line)
            line, used = token, size
        else:
            line, used = line + " " * gap + token, used + gap + size
        space = False
    return [*lines, line] if line else lines


class _Parser(argparse.ArgumentParser):
    """argparse with its own fixed words in Chinese and English: section titles, -h and usage errors."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数 / positional arguments"
        self._optionals.title = "选项 / options"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出 / show this help and exit")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 用法错误 / usage error: {message}\n")


def _add_account_options(command: argparse.ArgumentParser, output: tuple[str, str, str, str, str]) -> None:
    """The workbook, year, output, language and progress options of a command that computes an account;
    ``output``: what it writes (中文, English), its extension and default name (中文, English)."""
    what_zh, what_en, suffix, default_zh, default_en = output
    command.add_argument(
        "workbook",
        metavar="WORKBOOK",
        nargs="?",
        help="园区工作簿或表格文件夹（默认：内置示例园区） / "
        "the park workbook or folder of tables (default: the bundled sample park)",
    )
    command.add_argument(
        "--year",
        type=int,
        help="核算年份（默认：园区的报告年份） / the year to account (default: the park's reporting year)",
    )
    command.add_argument(
        "-o",
        "--out",
        metavar=f"OUT{suffix}",
        help=f"{what_zh}写到哪里（{suffix}；默认：当前文件夹的 {default_zh}） / "
        f"where to write {what_en} ({suffix}; default: {default_en} here)",
    )
    command.add_argument(
        "--lang",
        choices=LANGS,
        default="zh+en",
        help=f"{what_zh}的语言：zh+en（中文，英文在旁，默认）、zh（中文）、en（英文） / "
        f"{what_en}'s language: zh+en (Chinese with English beside, the default), zh or en",
    )
    command.add_argument("--progress", action=argparse.BooleanOptionalAction, help=_PROGRESS_HELP)


def _add_method_options(command: argparse.ArgumentParser) -> None:
    """The method choices, from carbon.account.Methods: the same options with the same defaults everywhere."""
    methods = command.add_argument_group("核算方法 / method choices")
    for option in cli_options():
        text = option["help"].replace("(default: ", "(默认 / default: ").replace("%", "%%")
        if option["flag_only"]:
            methods.add_argument(option["flag"], dest=option["dest"], action="store_true", help=text)
        else:
            methods.add_argument(
                option["flag"], dest=option["dest"], choices=option["choices"], default=option["default"], help=text
            )


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="carbon", description=_MAIN_DESCRIPTION, epilog=_MAIN_EPILOG)
    parser.add_argument(
        "--version",
        action="version",
        version=f"carbon {__version__}",
        help="显示版本号并退出 / show the version and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令 / commands")

    factors = commands.add_parser(
        "factors",
        help="列出排放因子和系数及其来源 / list emission factors and coefficients with their sources",
        description="列出因子库：每个数值及其单位、可信度和来源（文号与表号）。筛选条件可以组合。\n"
        "List the factor library: every value with its unit, confidence and source (document number and table). "
        "Filters combine.",
        epilog=_FACTORS_EPILOG,
    )
    factors.add_argument("--kind", choices=KINDS, help="因子类别 / kind of factor")
    factors.add_argument(
        "--region",
        help="省份、电网区域或全国（青海、Qinghai、西北、全国） / province, grid region or 'national'",
    )
    factors.add_argument("--year", type=int, help="因子的数据年份（如 2023） / data year of the factor (e.g. 2023)")
    factors.add_argument(
        "--carrier", help="能源品种或燃料（原煤、natural_gas、电力） / carrier or fuel (原煤, natural_gas, 电力)"
    )
    factors.add_argument(
        "--set",
        dest="fuel_set",
        help=f"燃料缺省值因子集 / fuel-default set ({', '.join(fuel_sets())})",
    )
    factors.add_argument(
        "--format",
        choices=["table", "csv"],
        default="table",
        help="输出格式（默认 table） / output format (default: table)",
    )
    factors.add_argument(
        "--notes", action="store_true", help="在表中显示每个因子的说明 / show each factor's note in the table"
    )
    factors.set_defaults(handler=_run_factors)

    template = commands.add_parser(
        "template",
        help="写出空白园区工作簿 / write the blank park workbook staff fill in",
        description="写出空白园区工作簿：每张表一个工作表（中英文表名和表头）、填表说明、下拉列表、冻结表头和"
        "数字格式。已有的文件不会被替换，除非加 --force。\n"
        "Write the blank park workbook: one sheet per table (bilingual names and headers), an instructions "
        "sheet (填表说明), dropdowns, frozen headers and number formats. An existing file is never replaced "
        "without --force.",
        epilog="示例 / example:\n  carbon template 园区碳账本模板.xlsx",
    )
    template.add_argument("out", metavar="OUT.xlsx", help="模板写到哪里（.xlsx） / where to write the template (.xlsx)")
    template.add_argument(
        "--force",
        action="store_true",
        help="替换已存在的 OUT.xlsx（已填写的工作簿会丢失） / replace OUT.xlsx if it exists (a filled workbook would be lost)",
    )
    template.set_defaults(handler=_run_template)

    validate = commands.add_parser(
        "validate",
        help="检查填好的工作簿，列出每个问题及其单元格 / check a filled workbook and list every problem with its cell",
        description="检查园区工作簿：列出每个问题及其工作表和单元格（中英文）。发现错误时退出码为 1；只有警告"
        "和提示时为 0。\n"
        "Check a park workbook. Prints every problem with its sheet and cell, in Chinese and English. "
        "Exit code 1 when any error is found; warnings and notices alone exit 0.",
        epilog="示例 / examples:\n  carbon validate 园区.xlsx\n  carbon validate 园区.xlsx --annotate 园区_标注.xlsx\n"
        "  carbon validate 园区.xlsx --format json > problems.json",
    )
    validate.add_argument(
        "workbook",
        metavar="IN.xlsx",
        nargs="?",
        help="要检查的工作簿或表格文件夹（不会被修改）；默认：内置示例园区 / "
        "the workbook or folder of tables to check (never modified); default: the bundled sample park",
    )
    validate.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        help="写出一份副本：首页为问题清单（每行链接到其单元格），问题单元格标色并加批注，有问题的工作表标签着色 / "
        "write a copy that opens on a problem list (each row a link to its cell), each problem cell highlighted and "
        "commented, the tabs of sheets with problems coloured",
    )
    validate.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="输出格式（默认 text） / output format (default: text)",
    )
    validate.add_argument("--progress", action=argparse.BooleanOptionalAction, help=_PROGRESS_HELP)
    validate.set_defaults(handler=_run_validate)

    ledger = commands.add_parser(
        "ledger",
        help="核算年度账目并写出碳账本工作簿 / compute the year's account and write the carbon ledger workbook (碳账本)",
        description="读取园区工作簿，核算年度账目，写出碳账本工作簿。未给工作簿时使用内置示例园区。打印简要结果"
        "和写出的文件。\n"
        "Read a park workbook, compute the annual account and write the carbon ledger workbook. Without a "
        "workbook it uses the bundled sample park. Prints a short summary and where it wrote the file.",
        epilog="示例 / examples:\n"
        "  carbon ledger\n"
        "      内置示例园区，报告年份 / the sample park, its reporting year\n"
        "  carbon ledger 园区.xlsx --year 2023 -o 碳账本2023.xlsx\n"
        "  carbon ledger 园区.xlsx --scope2 location --factor-set cn_set_b\n"
        "  carbon ledger 园区.xlsx --lang zh\n"
        "      只用中文 / Chinese only\n"
        "  carbon ledger 园区.xlsx --years 2020-2023\n"
        "      逐年核算并加「趋势」工作表 / every year, with the trend sheet",
    )
    _add_account_options(ledger, ("碳账本", "the ledger", ".xlsx", "碳账本_<年份>.xlsx", "碳账本_<year>.xlsx"))
    ledger.add_argument(
        "--years",
        metavar="年份 YEARS",
        help="逐年核算这些年份（如 2020-2023 或 2020,2022），碳账本加「趋势」工作表和图表；碳账本本身为 --year（默认报告年度）"
        " / account each of these years (2020-2023 or 2020,2022) and add the trend sheet and chart; the ledger itself "
        "is of --year (default: the reporting year)",
    )
    _add_method_options(ledger)
    ledger.set_defaults(handler=_run_ledger)
    report = commands.add_parser(
        "report",
        help="核算年度账目并写出可离线打开、可打印的 HTML 报告 / compute the year's account and write a self-contained HTML report",
        description="读取园区工作簿，核算年度账目，写出一个 HTML 文件：主要数字、零碳园区指标、图表和各表，图表脚本已内嵌，"
        "无需联网即可打开，可按 A4 打印。未给工作簿时使用内置示例园区。\n"
        "Read a park workbook, compute the annual account and write one HTML file: headline figures, the "
        "zero-carbon-park indicators, charts and tables, with the chart script inside, so it opens with no "
        "network and prints on A4. Without a workbook it uses the bundled sample park.",
        epilog="示例 / examples:\n"
        "  carbon report 园区.xlsx -o 碳账本报告.html\n"
        "  carbon report 园区.xlsx --year 2023 --lang zh\n"
        "      只用中文 / Chinese only",
    )
    _add_account_options(report, ("报告", "the report", ".html", "碳账本报告_<年份>.html", "碳账本报告_<year>.html"))
    _add_method_options(report)
    report.set_defaults(handler=_run_report)
    _add_diff_command(commands)
    _add_dataset_commands(commands)
    serve = commands.add_parser(
        "serve",
        help="在浏览器中打开本地网页：下载模板、检查工作簿、核算碳账本 / "
        "a local web page: download the template, check a workbook, compute the ledger",
        description="启动本地网页（默认只在本机 127.0.0.1 上可用，并打开浏览器）：下载空白模板，上传填好的工作簿，"
        "查看问题清单并下载标注副本，选择核算方法并核算，查看仪表板，下载碳账本和 HTML 报告。不连接互联网；"
        "上传的文件只保存在临时文件夹中，停止服务后删除。绑定到其他地址时需用启动时打印的令牌访问。按 Ctrl+C 停止。\n"
        "Start the local web page (on this machine only, 127.0.0.1, by default; the browser opens): download the "
        "blank template, upload a filled workbook, see the problem list and download the annotated copy, choose "
        "the methods and compute, see the dashboard, download the 碳账本 and the HTML report. No internet needed; "
        "uploads stay in a temporary folder removed when the server stops. Bound to another address, the page "
        "needs the token printed at start. Stop it with Ctrl+C.",
        epilog="示例 / examples:\n  carbon serve\n  carbon serve --port 8080 --no-browser\n"
        "  carbon serve --host 0.0.0.0\n      园区内网，需令牌 / the park's intranet, with a token",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="绑定的地址（默认 127.0.0.1，仅本机）；0.0.0.0 供内网访问，需令牌 / "
        "address to bind (default: 127.0.0.1, this machine only); 0.0.0.0 for the intranet, with a token",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=8000,
        help="端口（默认 8000；0 = 任一空闲端口） / port (default: 8000; 0 = any free port)",
    )
    serve.add_argument(
        "--no-browser", dest="browser", action="store_false", help="不自动打开浏览器 / do not open the browser"
    )
    serve.set_defaults(handler=_run_serve)
    return parser


Update = Callable[[str, int, int], None]


class _Progress:
    """What a long command is doing, on standard error.

    ``bars``: a tqdm progress bar per step, refreshed every half second (its clock keeps running through a long
    step without news); ``lines``: one line per step with the time since the start (a log); ``off``: nothing.
    The default is bars when standard error is a terminal, else lines; ``--progress`` and ``--no-progress``
    choose bars or nothing.
    """

    def __init__(self, choice: bool | None = None) -> None:
        if choice is None:
            isatty = getattr(sys.stderr, "isatty", None)
            self.mode = "bars" if isatty is not None and isatty() else "lines"
        else:
            self.mode = "bars" if choice else "off"
        self._start = time.perf_counter()

    @contextmanager
    def step(self, zh: str, en: str) -> Iterator[Update]:
        """A step of the command; yields ``update(step, done, total)``, the callback of the readers and writers."""
        if self.mode == "lines":
            print(f"[{time.perf_counter() - self._start:5.1f} s] {zh} / {en}", file=sys.stderr, flush=True)
        if self.mode != "bars":
            yield lambda step, done, total: None
            return
        from tqdm import tqdm

        bar = tqdm(
            desc=f"{zh} / {en}",
            total=None,
            file=sys.stderr,
            leave=True,
            dynamic_ncols=True,
            bar_format="{desc} {elapsed}{postfix}",
        )

        def update(step: str, done: int, total: int) -> None:
            if bar.total is None:
                bar.bar_format = "{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}]{postfix}"
            bar.total, bar.n = total, done
            bar.set_postfix_str(step)  # refreshes

        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.5):
                bar.refresh()

        ticker = threading.Thread(target=tick, name="carbon-progress", daemon=True)
        ticker.start()
        try:
            yield update
            if bar.total is not None:
                bar.n = bar.total
                bar.set_postfix_str("", refresh=False)
        finally:
            stop.set()
            ticker.join()
            bar.close()


def _account_of(args: argparse.Namespace, progress: _Progress, stem: str, suffix: str):
    """Read the workbook (or the sample), compute the account with the method options, and name the output:
    the output is checked before any work; the default name (``<stem>_<year><suffix>``) needs the year, so
    without --year the folder is checked first and the name once the workbook is read, before computing."""
    from carbon.io.park_workbook import read_workbook
    from carbon.ledger import sample_workbook_path

    source = args.workbook or str(sample_workbook_path())
    default = f"{stem}_{args.year if args.year is not None else 'year'}{suffix}"
    check_output_path(default if args.out is None else args.out, suffix=suffix, inputs=[source])
    if args.workbook is None:
        print("未指定工作簿，使用内置示例园区 / no workbook given: using the bundled sample park", file=sys.stderr)
    with progress.step("读取并校验工作簿", f"reading and checking {source}") as update:
        if Path(source).is_dir():
            from carbon.io.table_folder import read_tables

            ledger = read_tables(source)
        else:
            ledger = read_workbook(source, progress=update)
    year = args.year if args.year is not None else ledger.park.get("reporting_year")
    if args.out is None and year is not None:
        check_output_path(f"{stem}_{year}{suffix}", suffix=suffix, inputs=[source])
    methods = Methods(**{option["dest"]: getattr(args, option["dest"]) for option in cli_options()})
    years = getattr(args, "years", None)
    with progress.step("核算", "computing the account" if years is None else f"computing the accounts of {years}"):
        if years is None:
            account = ledger.account(args.year, methods=methods)
        else:
            yearly = ledger.accounts(years, main_year=args.year, methods=methods)
            account = yearly.account
            args.trend = yearly
    return ledger, account, f"{stem}_{account.year}{suffix}" if args.out is None else args.out


def _run_ledger(args: argparse.Namespace) -> int:
    progress = _Progress(args.progress)
    ledger, account, out = _account_of(args, progress, "碳账本", ".xlsx")
    with progress.step("写入碳账本", f"writing {out}") as update:
        path = account.to_excel(out, progress=update, lang=args.lang)
    s = account.summary
    terms = " + ".join(
        f"{s[f'park910_{t}_tco2']:,.0f}" for t in ("fuel", "conversion", "electricity", "heat", "process")
    )
    rows = [
        (("园区碳排放（910号 附件4）", "E_park (910 Annex 4)"), f"{s['park910_tco2']:,.1f} tCO2"),
        (("  燃料+加工转换+电+热+工业过程", "  fuel + conversion + power + heat + process"), f"{terms} tCO2"),
        (
            ("单位能耗碳排放（附件4）", "carbon per energy (910 Annex 4)"),
            f"{s['carbon_per_energy_tco2_per_tce']:.3f} tCO2/tce",
        ),
        (
            ("  基于位置 / 基于市场", "  location / market"),
            f"{s['carbon_per_energy_location']:.3f} / {s['carbon_per_energy_market']:.3f} tCO2/tce",
        ),
        (("范围一", "Scope 1"), f"{s['scope1_tco2']:,.1f} tCO2"),
        (
            ("范围二（基于位置 / 基于市场）", "Scope 2 (location / market)"),
            f"{s['scope2_location_tco2']:,.1f} / {s['scope2_market_tco2']:,.1f} tCO2",
        ),
        (("综合能耗", "energy"), f"{s['energy_tce']:,.1f} tce"),
        (("清洁能源占比", "clean-energy share"), f"{s['clean_energy_share']:.1%}"),
        (("固废综合利用率", "solid-waste utilisation"), f"{s['solid_waste_utilization_rate']:.1%}"),
        (
            ("锅炉改造", "boilers retrofitted"),
            f"{s['boiler_retrofits']} ({s['boiler_capacity_t_per_h']:.1f} t/h)",
        ),
        (
            ("绿色工厂（国家级 / 省级）", "green factories (national / provincial)"),
            f"{s['green_factories_national']} / {s['green_factories_provincial']}",
        ),
    ]
    words = Words(args.lang)
    # a sub-row is indented once, before its Chinese or, in English alone, before its English
    rows = [(words.pair(zh, en.strip() if words.lang != "en" else en), value) for (zh, en), value in rows]
    print(f"{printable(ledger.park['name'])} {account.year}")
    width = max(display_width(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label}{' ' * (width - display_width(label))}  {value}")
    for item in account.indicators.itertuples(index=False):
        share = item.unit == "fraction"
        value = f"{item.value:.1%}" if share else f"{item.value:,.3f}"
        level = str(item.comparison).startswith("level")  # a level (能效等级 2), not a share
        threshold = f"{item.threshold:.0%}" if share and not level else f"{item.threshold:g}"
        comparison = words.label("comparison", item.comparison, "indicators")
        status, name = words.label("status", item.status), words.label("indicator", item.indicator)
        bound = words.pair("阈值", "threshold")
        print(f"  [{status}] {name}: {value}（{bound} {comparison} {threshold}）")
    trend = getattr(args, "trend", None)
    if trend is not None:
        _print_trend(trend, words)
    print(f"碳账本已写入 / ledger written: {path}")
    return 0


#: The figures the printout's trend shows, with their format.
_TREND_PRINTED = (
    ("park910_tco2", "{:,.0f}"),
    ("total_tco2", "{:,.0f}"),
    ("energy_tce", "{:,.0f}"),
    ("carbon_per_energy_tco2_per_tce", "{:.3f}"),
    ("tce_per_10k_yuan_added_value_constant", "{:.4f}"),
    ("solid_waste_utilization_rate", "{:.1%}"),
)


def _print_trend(yearly, words: Words) -> None:
    """The trend of a few headline figures, one line each, a year per column; a blank year says why below."""
    trend = yearly.trend.set_index(["figure", "year"])
    years = list(yearly.years)
    name_of = {row.figure: words.pair(row.name_zh, row.name_en) for row in yearly.trend.itertuples() if row.name_zh}
    print(words.pair("趋势", "trend") + "  " + "  ".join(f"{y:>12}" for y in years))
    marks = []
    for figure, form in _TREND_PRINTED:
        cells = []
        for year in years:
            row = trend.loc[(figure, year)]
            text = form.format(row["value"]) if row["value"] == row["value"] else "—"
            if row["status"] == "no_account":
                marks.append(str(row["note"]))
                text += "*"
            elif row["status"] != "ok":
                marks.append(f"{name_of[figure]} {year}: {row['note']}")
                text += "*"
            cells.append(f"{text:>12}")
        print(f"  {name_of[figure]}")
        print(" " * (display_width(words.pair("趋势", "trend")) + 2) + "  ".join(cells))
    for mark in dict.fromkeys(marks):
        print(f"  * {mark}")


def _run_template(args: argparse.Namespace) -> int:
    from carbon.io.park_template import write_template

    check_output_path(args.out, replace=args.force)  # never a filled workbook replaced without --force
    path = write_template(args.out)
    print(f"模板已写入 / template written: {path}")
    return 0


def _print_report(report: ReadReport) -> None:
    for problem in report.problems:
        print(problem)
    counts = report.counts_frame()
    if not counts.empty:
        with pd.option_context("display.unicode.east_asian_width", True, "display.width", None):
            print("\n" + counts.to_string(index=False))
    print("\n" + report.summary())


def _run_report(args: argparse.Namespace) -> int:
    try:
        from carbon.web.report import write_report
    except ImportError as error:  # jinja2 is in the web extra
        raise CarbonError(
            bilingual(
                "HTML 报告需要 web 组件：pip install 'carbon-ledger[web]'",
                f"the HTML report needs the web extra: pip install 'carbon-ledger[web]' ({error})",
            )
        ) from error
    progress = _Progress(args.progress)
    _, account, out = _account_of(args, progress, "碳账本报告", ".html")
    with progress.step("写入报告", f"writing {out}"):
        path = write_report(account, out, lang=args.lang)
    print(f"报告已写入 / report written: {path}")
    return 0


_DIFF_EPILOG = """\
退出码 / exit codes:
  0  比较完成（有无变化都是 0；加 --exit-code 时仅在无变化时为 0）
     compared (with or without changes; with --exit-code, only when nothing changed)
  1  输入有问题（文件读不了，一个园区工作簿配一个碳账本 ...） / a problem with the input
  3  加 --exit-code 且两次结果不同 / with --exit-code: the two runs differ

示例 / examples:
  carbon diff 园区_初稿.xlsx 园区_修订.xlsx
      两份园区工作簿：逐行比较各表，重算归因 / two park workbooks: tables row by row, attribution by recomputation
  carbon diff 碳账本_初稿.xlsx 碳账本_修订.xlsx --lang zh
      两份碳账本：按其记录比较 / two 碳账本: compared by what they record
  carbon diff 旧.xlsx 新.xlsx -o 差异.xlsx
      另写出差异工作簿（概要、原因、归因） / also write the diff workbook (summary, causes, attribution)
  carbon diff 旧.xlsx 新.xlsx --json > diff.json
  carbon diff 旧.xlsx 新.xlsx --exit-code || echo 有变化
"""


def _add_diff_command(commands) -> None:
    """``carbon diff A B``: what changed between two runs and why."""
    diff = commands.add_parser(
        "diff",
        help="比较两次结果：哪些数字变了、为什么 / what changed between two runs, and why",
        description="比较两份园区工作簿（或两份碳账本）：列出变化的每个主要数字和零碳指标，及其原因（输入行的新增、删除"
        "和修改，因子，核算方法）。两份园区工作簿按顺序替换逐步重算，说明每个原因使各数字变了多少；碳账本没有可重算的"
        "输入，按数据来源联系。核算方法选项只用于两份园区工作簿，两边相同。\n"
        "Compare two park workbooks (or two 碳账本): every headline figure and indicator that changed, with its "
        "causes (input rows added, removed or changed, factors, method choices). For two park workbooks each "
        "cause's share is found by recomputing step by step (sequential replacement); two 碳账本 hold no inputs "
        "to recompute and are linked by lineage. The method options apply to two park workbooks, both sides "
        "alike.",
        epilog=_DIFF_EPILOG,
    )
    for name, zh, en in (("a", "原来的", "the earlier"), ("b", "修改后的", "the corrected")):
        diff.add_argument(
            name,
            metavar=name.upper(),
            help=f"{zh}园区工作簿（或表格文件夹）或碳账本 / {en} park workbook (or folder of tables) or 碳账本",
        )
    diff.add_argument(
        "--year",
        type=int,
        help="核算年份（两份园区工作簿；默认各自的报告年份） / the year to account (park workbooks; default: each "
        "one's reporting year)",
    )
    diff.add_argument("-o", "--out", metavar="OUT.xlsx", help="另写出差异工作簿 / also write the diff workbook (.xlsx)")
    diff.add_argument(
        "--lang",
        choices=LANGS,
        default="zh+en",
        help="文字和差异工作簿的语言：zh+en（默认）、zh、en / the language of the text and the workbook",
    )
    diff.add_argument(
        "--json", action="store_true", help="输出 JSON（稳定的键，代码而非文字） / print JSON (stable keys, codes)"
    )
    diff.add_argument(
        "--exit-code",
        action="store_true",
        help="两次结果不同时退出码为 3 / exit with 3 when the two runs differ",
    )
    diff.add_argument(
        "--no-attribution",
        dest="attribution",
        action="store_false",
        help="不逐步重算归因（大园区更快） / no attribution by recomputation (faster for a large park)",
    )
    diff.add_argument("--progress", action=argparse.BooleanOptionalAction, help=_PROGRESS_HELP)
    _add_method_options(diff)
    # a choice not given is no choice: two 碳账本 take none, two workbooks take the defaults of Methods
    diff.set_defaults(handler=_run_diff, **{option["dest"]: None for option in cli_options()})


def _run_diff(args: argparse.Namespace) -> int:
    from carbon.diff import diff as compare

    for given in (args.a, args.b):  # before any work: one line, no progress
        if not Path(given).exists():
            raise CarbonError(bilingual(f"{given}：文件不存在", f"{given}: file not found"))
    if args.out is not None:
        check_output_path(args.out, suffix=".xlsx", inputs=[args.a, args.b])
    progress = _Progress(args.progress)
    choices = {option["dest"]: getattr(args, option["dest"]) for option in cli_options()}
    with progress.step("比较", f"comparing {args.a} with {args.b}") as update:
        result = compare(args.a, args.b, year=args.year, attribute=args.attribution, progress=update, **choices)
    path = None
    if args.out is not None:
        with progress.step("写出差异工作簿", f"writing {args.out}"):
            path = result.to_excel(args.out, lang=args.lang)
    print(result.to_json() if args.json else printable(result.to_text(args.lang), lines=True))
    if path is not None:
        print(f"差异工作簿已写入 / diff written: {path}", file=sys.stderr if args.json else sys.stdout)
    return 3 if args.exit_code and not result.identical else 0


_COLLECT_EPILOG = """\
示例 / examples:
  carbon collect 园区A.xlsx 园区B.xlsx 园区C表格/ -o 省数据集
      每个园区一行结果；有错误的园区不写入，问题见 省数据集/problems.parquet
      one line per park; a park with errors is not written, its problems are in 省数据集/problems.parquet
  carbon collect 各园区/*.xlsx -o 省数据集 --force
      替换之前写出的数据集 / replace a dataset written before
"""

_PROVINCE_EPILOG = """\
示例 / examples:
  carbon province 省数据集 -o 省级核算
      本机 LocalCluster（每个核一个工作进程） / a LocalCluster on this machine (one worker process a core)
  carbon province 省数据集 -o 省级核算 --scheduler tcp://10.0.0.5:8786
      已有的 Dask 集群；各工作节点须能以同一路径读到数据集 / an existing Dask cluster; every worker must see
      the dataset at the same path
  carbon province 省数据集 -o 省级核算 --scheduler synchronous
      不用集群，逐个园区在本进程中核算 / no cluster: the parks one after the other in this process
"""


def _add_dataset_commands(commands) -> None:
    """``carbon collect`` (many parks into one Parquet dataset) and ``carbon province`` (its account on Dask)."""
    collect = commands.add_parser(
        "collect",
        help="把多个园区的工作簿汇集为按省份、园区、年度分区的 Parquet 数据集 / "
        "gather many parks' workbooks into a Parquet dataset partitioned by province, park and year",
        description="读取并校验每个园区工作簿（或表格文件夹），写出一个 Parquet 数据集：每张表按省份、园区、报告年度"
        "分区，另有园区清单（读入行数 = 写入 + 拒收）、逐表行数和全部问题（定位到工作表和单元格）。有错误的园区不写入。"
        "有园区未写入时退出码为 1（数据集仍写出）。\n"
        "Read and check each park workbook (or folder of tables) and write one Parquet dataset: every table "
        "partitioned by province, park and reporting year, with the list of parks (rows read = written + "
        "rejected), rows per table and every problem located to its sheet and cell. A park with errors is not "
        "written. Exit code 1 when any park was not written (the dataset is still written).",
        epilog=_COLLECT_EPILOG,
    )
    collect.add_argument(
        "inputs",
        metavar="INPUT",
        nargs="+",
        help="园区工作簿（.xlsx）或表格文件夹，每个一个园区、一个报告年度 / "
        "park workbooks (.xlsx) or folders of tables, each one park's ledger of one reporting year",
    )
    collect.add_argument(
        "-o", "--out", metavar="DATASET", required=True, help="数据集文件夹 / the dataset folder to write"
    )
    collect.add_argument(
        "--force",
        action="store_true",
        help="替换该文件夹中之前写出的数据集 / replace a dataset written there before",
    )
    collect.set_defaults(handler=_run_collect)

    province = commands.add_parser(
        "province",
        help="在 Dask 上核算数据集中每个园区，汇总到省和全国 / "
        "the account of every park of a dataset on Dask, summed per province and nationally",
        description="对 carbon collect 写出的数据集中每个园区做与单个园区完全相同的核算（910号 附件4 的 E_park、"
        "范围一、范围二基于位置和市场、综合能耗），在 Dask 上并行，再按省份和全国（逐年）合计；比值为合计之比。"
        "写出 parks.parquet、provinces.parquet、national.parquet、enterprises.parquet、sub_parks.parquet、"
        "park_indicators.parquet、indicator_counts.parquet、trend.parquet、run.json 和汇总工作簿；替换本命令之前写在该文件夹中的结果。\n"
        "Compute, for every park of a dataset written by carbon collect, the very account of one park (E_park "
        "by 910 Annex 4, scope 1, scope 2 location- and market-based, energy in tce) in parallel on Dask, and "
        "sum it per province and nationally (per year); ratios are ratios of the sums. Writes parks.parquet, "
        "provinces.parquet, national.parquet, enterprises.parquet, sub_parks.parquet, park_indicators.parquet, "
        "indicator_counts.parquet, trend.parquet, run.json and the summary workbook, replacing this command's "
        "earlier results in that folder.",
        epilog=_PROVINCE_EPILOG,
    )
    province.add_argument(
        "dataset", metavar="DATASET", help="carbon collect 写出的数据集 / a dataset of carbon collect"
    )
    province.add_argument(
        "-o", "--out", metavar="OUT", required=True, help="结果文件夹 / the folder to write the results into"
    )
    province.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask 调度器地址（如 tcp://10.0.0.5:8786）；默认在本机启动 LocalCluster；synchronous 为不用集群 / "
        "the Dask scheduler's address (tcp://10.0.0.5:8786); default: a LocalCluster on this machine; "
        "synchronous: no cluster",
    )
    province.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="LocalCluster 的工作进程数（默认：核数，至多每园区一个） / "
        "the LocalCluster's workers (default: the cores, at most one a park)",
    )
    province.add_argument(
        "--threads",
        action="store_true",
        help="LocalCluster 的工作者为本进程的线程（启动快，适合少量园区） / "
        "LocalCluster workers as threads of this process (quick to start, for a few parks)",
    )
    province.add_argument(
        "--lang",
        choices=LANGS,
        default="zh+en",
        help="汇总工作簿的语言：zh+en（默认）、zh、en / the summary workbook's language: zh+en (default), zh or en",
    )
    _add_method_options(province)
    province.set_defaults(handler=_run_province)


def _run_collect(args: argparse.Namespace) -> int:
    from carbon.dataset import collect

    result = collect(args.inputs, args.out, replace=args.force, on_park=lambda line: print(line, flush=True))
    print(result.total_line())
    print(f"数据集已写入 / dataset written: {result.path}")
    if result.refused:
        print(
            f"carbon: {result.refused} 个输入未写入，问题见 problems.parquet / "
            f"{result.refused} input(s) not written: their problems are in problems.parquet",
            file=sys.stderr,
        )
        return 1
    return 0


def _run_province(args: argparse.Namespace) -> int:
    from carbon.dataset import account_dataset

    if args.workers is not None and args.workers < 1:
        raise CarbonError(bilingual("--workers 至少为 1", "--workers must be at least 1"))
    methods = Methods(**{option["dest"]: getattr(args, option["dest"]) for option in cli_options()})
    result = account_dataset(
        args.dataset, methods=methods, scheduler=args.scheduler, workers=args.workers, processes=not args.threads
    )
    path = result.write(args.out, lang=args.lang)
    words = Words(args.lang)

    def figures(row) -> str:
        if pd.isna(row.park910_tco2):  # no park of the level accounted: blank sums, said so
            return "无园区完成核算 / no park accounted"
        return (
            f"E_park {row.park910_tco2:,.0f} tCO2，{row.energy_tce:,.0f} tce，"
            f"{row.carbon_per_energy_tco2_per_tce:.3f} tCO2/tce"
        )

    for row in result.provinces.itertuples(index=False):
        region = words.label("province", row.province)
        print(
            printable(
                f"{row.year} {region}: {row.parks} 个园区 parks，{figures(row)}"
                + ("" if row.complete else f"（{row.parks_failed} 个未能核算 / not accounted）")
            )
        )
    for row in result.national.itertuples(index=False):
        print(f"{row.year} 全国 national: {row.parks} 个园区 parks，{figures(row)}")
    for row in result.parks[result.parks["status"] != "ok"].itertuples(index=False):
        message = " ".join(str(row.message).split())  # one park, one line: its message's line breaks as spaces
        print(printable(f"carbon: 未能核算 / not accounted: {row.name} {row.year}: {message}"), file=sys.stderr)
    print(f"用时 / took {result.seconds:.1f} s ({result.scheduler})")
    print(f"结果已写入 / results written: {path}")
    return 1 if (result.parks["status"] != "ok").any() else 0


_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _listen(host: str, port: int):
    """A socket bound to ``host:port`` (bound here, so that port 0 knows its port before the server starts)."""
    import socket

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)  # connections wait from now on: the address printed answers as soon as it is shown
    except OSError as exc:
        sock.close()
        raise CarbonError(
            bilingual(
                f"无法在 {host}:{port} 上启动（{exc.strerror}）；换一个端口，如 --port 0",
                f"cannot listen on {host}:{port} ({exc.strerror}); try another port, e.g. --port 0",
            )
        ) from exc
    return sock


def _run_serve(args: argparse.Namespace) -> int:
    import secrets
    import socket
    import webbrowser

    try:
        import uvicorn

        from carbon.web.app import create_app
    except ImportError as exc:
        raise CarbonError(
            bilingual(
                f"网页需要 web 组件：pip install 'carbon-ledger[web]'（缺少 {exc.name}）",
                f"the page needs the web extra: pip install 'carbon-ledger[web]' (missing {exc.name})",
            )
        ) from exc
    token = None if args.host in _LOCAL_HOSTS else secrets.token_urlsafe(24)
    sock = _listen(args.host, args.port)
    port = sock.getsockname()[1]
    everywhere = args.host in ("0.0.0.0", "::")
    shown = "127.0.0.1" if args.host in _LOCAL_HOSTS or everywhere else args.host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    # on this machine only, the page answers to this machine's names only (no DNS rebinding)
    local = sorted(_LOCAL_HOSTS) if args.host in _LOCAL_HOSTS else None
    app = create_app(token=token, allowed_hosts=local)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    print(f"碳账本网页已启动 / the carbon ledger page is running: {url}", flush=True)
    if token:
        print(f"访问令牌 / access token: {token}（请只发给园区同事 / share it with park staff only）", flush=True)
    if everywhere:
        host = socket.gethostname()
        print(
            f"其他电脑：用本机的内网地址代替 127.0.0.1（本机名 {host}） / "
            f"from other machines: this machine's intranet address instead of 127.0.0.1 (host {host})",
            flush=True,
        )
    print("按 Ctrl+C 停止 / press Ctrl+C to stop", file=sys.stderr)
    if args.browser:

        def open_when_ready() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.1)
            if server.started:
                webbrowser.open(url)

        threading.Thread(target=open_when_ready, daemon=True).start()
    server.run(sockets=[sock])
    return 0


def _run_validate(args: argparse.Namespace) -> int:
    import json

    from carbon.io.park_workbook import validate_workbook

    progress = _Progress(args.progress)
    if args.workbook is None:
        from carbon.ledger import sample_workbook_path

        args.workbook = str(sample_workbook_path())
        print(
            f"未指定工作簿，检查内置示例园区 / no workbook given: checking the bundled sample park {args.workbook}",
            file=sys.stderr,
        )
    folder = Path(args.workbook).is_dir()
    if args.annotate is not None:  # before any work
        if folder:
            raise CarbonError(
                bilingual(
                    f"--annotate 只能标注 .xlsx 工作簿，「{args.workbook}」是表格文件夹",
                    f"--annotate marks the cells of an .xlsx workbook; {args.workbook!r} is a folder of tables",
                )
            )
        check_output_path(args.annotate, inputs=[args.workbook])
    with progress.step("读取并校验工作簿", f"reading and checking {args.workbook}") as update:
        if folder:
            from carbon.io.table_folder import validate_tables

            report = validate_tables(args.workbook)
        else:
            report = validate_workbook(args.workbook, progress=update)
    # the annotated copy first: a reader that closes the pipe early (``| head``) must not cost the file
    if args.annotate is not None and not report.readable:
        print("文件不可读，无法标注 / the file is not readable: nothing to annotate", file=sys.stderr)
    elif args.annotate is not None:
        from carbon.io.annotate import annotate_workbook

        with progress.step("写出标注副本", f"writing the annotated copy {args.annotate}"):
            path, marked = annotate_workbook(args.workbook, report.problems, args.annotate)
        print(f"已标注 {marked} 个单元格 / {marked} cell(s) marked: {path}", file=sys.stderr)
    try:
        if args.format == "json":
            print(json.dumps([p.to_dict() for p in report.problems], ensure_ascii=False, indent=1))
        else:
            _print_report(report)
        sys.stdout.flush()
    except BrokenPipeError:  # the list was cut short by its reader; the verdict still stands in the exit code
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0 if report.ok else 1


def _run_factors(args: argparse.Namespace) -> int:
    table = library()
    if args.kind:
        table = table[table["kind"] == args.kind]
    if args.region:
        table = table[table["region"] == resolve_region(args.region)]
    if args.carrier:
        table = table[table["carrier"] == resolve_carrier(args.carrier)]
    if args.fuel_set:
        if args.fuel_set not in fuel_sets():
            raise UnknownNameError("factor set", args.fuel_set, fuel_sets())
        table = table[(table["kind"] != "fuel") | (table["set"] == args.fuel_set)]
    before_year = table
    if args.year is not None:
        table = table[table["data_year"] == args.year]

    if table.empty:
        message = "没有符合条件的因子 / no factor matches these filters"
        if args.year is not None:
            earlier = before_year["data_year"].dropna()
            earlier = earlier[earlier < args.year]
            if not earlier.empty:
                message += f"; 最近的更早数据年份 / latest earlier data year: {int(earlier.max())}"
        print(message, file=sys.stderr)
        return 0

    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
        return 0

    shown = pd.DataFrame(
        {
            "id": table["id"],
            "value": table["value"].map(lambda v: f"{v:g}"),
            "unit": table["unit"],
            "carrier": table["carrier"].fillna(""),
            "region": table["region"].fillna(""),
            "year": table["data_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "confidence": table["confidence"],
            "source": table["source"],
        }
    )
    if args.notes:
        shown["note"] = table["note"]
    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        None,
        "display.max_colwidth",
        None,
    ):
        print(shown.to_string(index=False))
    print(f"\n{len(shown)} factor(s). Full provenance: carbon factors --format csv", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except CarbonError as exc:
        print(f"carbon: {printable(exc, lines=True)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader closed the pipe early (``carbon factors --format csv | head``): what it took is complete
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the disk filled up, a file vanished or was locked while carbon worked on it
        where = f" {exc.filename}" if exc.filename else ""
        print(
            f"carbon: 文件读写失败 / a file could not be read or written{where}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        print("\ncarbon: 已中断 / interrupted", file=sys.stderr)
        return 130
