"""The ``carbon`` command line: a thin layer over the Python API.

Exit codes: 0 success; 1 a problem with the input (unknown region, carrier, ...), reported as one line
on standard error; 2 a usage error (unknown option, missing argument), reported by argparse.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import pandas as pd

from carbon._version import __version__
from carbon.account.methods import Methods, cli_options
from carbon.errors import CarbonError, UnknownNameError, bilingual
from carbon.factorset import Kind, fuel_sets, library
from carbon.names import resolve_carrier, resolve_region
from carbon.validation.problems import ReadReport

KINDS = list(get_args(Kind))

_FACTORS_EPILOG = """\
examples:
  carbon factors --region 青海 --year 2023      Qinghai's grid factor for data year 2023
  carbon factors --kind fuel --set ipcc2006    the IPCC 2006 fuel defaults
  carbon factors --carrier 天然气               every factor about natural gas
  carbon factors --format csv > factors.csv    the whole library as CSV, with sources and notes
"""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carbon",
        description="carbon: the carbon ledger (碳账本) of an industrial park.",
        epilog="exit codes: 0 success; 1 a problem with the input, one line on stderr; 2 a usage error.\n"
        "examples:\n  carbon factors --region 青海 --year 2023\n  carbon template t.xlsx\n  carbon validate t.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"carbon {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    factors = commands.add_parser(
        "factors",
        help="list emission factors and coefficients with their sources",
        description="List the factor library: every value with its unit, confidence and source "
        "(document number and table). Filters combine.",
        epilog=_FACTORS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    factors.add_argument("--kind", choices=KINDS, help="kind of factor")
    factors.add_argument("--region", help="province, grid region or 'national' (青海, Qinghai, 西北, 全国)")
    factors.add_argument("--year", type=int, help="data year of the factor (e.g. 2023)")
    factors.add_argument("--carrier", help="carrier or fuel (原煤, natural_gas, 电力)")
    factors.add_argument("--set", dest="fuel_set", help=f"fuel-default set ({', '.join(fuel_sets())})")
    factors.add_argument("--format", choices=["table", "csv"], default="table", help="output format (default: table)")
    factors.add_argument("--notes", action="store_true", help="show each factor's note in the table")
    factors.set_defaults(handler=_run_factors)

    template = commands.add_parser(
        "template",
        help="write the blank park workbook staff fill in",
        description="Write the blank park workbook: one sheet per table (bilingual names and headers), an "
        "instructions sheet (填表说明), dropdowns, frozen headers and number formats.",
        epilog="example:\n  carbon template 园区碳账本模板.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    template.add_argument("out", metavar="OUT.xlsx", help="where to write the template")
    template.add_argument(
        "--force", action="store_true", help="replace OUT.xlsx if it exists (a filled workbook would be lost)"
    )
    template.set_defaults(handler=_run_template)

    validate = commands.add_parser(
        "validate",
        help="check a filled workbook and list every problem with its cell",
        description="Check a park workbook. Prints every problem with its sheet and cell, in Chinese and "
        "English. Exit code 1 when any error is found; warnings and notices alone exit 0.",
        epilog="examples:\n  carbon validate 园区.xlsx\n  carbon validate 园区.xlsx --annotate 园区_标注.xlsx\n"
        "  carbon validate 园区.xlsx --format json > problems.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument(
        "workbook",
        metavar="IN.xlsx",
        nargs="?",
        help="the workbook to check (never modified); default: the bundled sample park",
    )
    validate.add_argument(
        "--annotate", metavar="OUT.xlsx", help="write a copy with each problem cell highlighted and commented"
    )
    validate.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    validate.set_defaults(handler=_run_validate)

    ledger = commands.add_parser(
        "ledger",
        help="compute the year's account and write the carbon ledger workbook (碳账本)",
        description="Read a park workbook, compute the annual account and write the carbon ledger workbook. "
        "Without a workbook it uses the bundled sample park. Prints a short summary and where it wrote the file.",
        epilog="examples:\n  carbon ledger                                   the sample park, reporting year\n"
        "  carbon ledger 园区.xlsx --year 2023 -o 碳账本2023.xlsx\n"
        "  carbon ledger 园区.xlsx --scope2 location --factor-set cn_set_b",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ledger.add_argument(
        "workbook", metavar="WORKBOOK", nargs="?", help="the park workbook (default: the bundled sample park)"
    )
    ledger.add_argument("--year", type=int, help="the year to account (default: the park's reporting year)")
    ledger.add_argument(
        "-o", "--out", metavar="OUT.xlsx", help="where to write the ledger (default: 碳账本_<year>.xlsx here)"
    )
    for option in cli_options():  # the method choices, from carbon.account.Methods
        if option["flag_only"]:
            ledger.add_argument(option["flag"], dest=option["dest"], action="store_true", help=option["help"])
        else:
            ledger.add_argument(
                option["flag"],
                dest=option["dest"],
                choices=option["choices"],
                default=option["default"],
                help=option["help"],
            )
    ledger.set_defaults(handler=_run_ledger)
    return parser


class _Progress:
    """Stage messages on standard error with the time taken, for runs that take more than a moment."""

    def __init__(self) -> None:
        import time

        self._clock = time.perf_counter
        self._start = self._clock()

    def __call__(self, zh: str, en: str) -> None:
        print(f"[{self._clock() - self._start:5.1f} s] {zh} / {en}", file=sys.stderr, flush=True)


def _run_ledger(args: argparse.Namespace) -> int:
    from carbon.io.park_workbook import read_workbook
    from carbon.ledger import sample_workbook_path

    progress = _Progress()
    if args.out and Path(args.out).is_dir():  # said before the work, not after it
        raise CarbonError(
            bilingual(
                f"输出路径「{args.out}」是文件夹，请给出文件名",
                f"the output path {args.out!r} is a folder: give a file name",
            )
        )
    source = args.workbook or str(sample_workbook_path())
    if args.workbook is None:
        progress("未指定工作簿，使用内置示例园区", "no workbook given: using the bundled sample park")
    progress("读取并校验工作簿", f"reading and checking {source}")
    if Path(source).is_dir():
        from carbon.io.table_folder import read_tables

        ledger = read_tables(source)
    else:
        ledger = read_workbook(source)
    progress("核算", "computing the account")
    methods = Methods(**{option["dest"]: getattr(args, option["dest"]) for option in cli_options()})
    account = ledger.account(args.year, methods=methods)
    out = args.out or f"碳账本_{account.year}.xlsx"
    if Path(out).exists() and Path(source).is_file() and Path(out).resolve() == Path(source).resolve():
        raise CarbonError(bilingual("碳账本不能覆盖输入工作簿", "the ledger must not overwrite the input workbook"))
    progress("写入碳账本", f"writing {out}")
    path = account.to_excel(out)
    s = account.summary
    terms = " + ".join(
        f"{s[f'park910_{t}_tco2']:,.0f}" for t in ("fuel", "conversion", "electricity", "heat", "process")
    )
    rows = [
        ("园区碳排放 E_park (910号 附件4)", f"{s['park910_tco2']:,.1f} tCO2"),
        ("  燃料+加工转换+电+热+工业过程 terms", f"{terms} tCO2"),
        ("单位能耗碳排放 carbon per energy (附件4)", f"{s['carbon_per_energy_tco2_per_tce']:.3f} tCO2/tce"),
        (
            "  基于位置 / 基于市场 location / market",
            f"{s['carbon_per_energy_location']:.3f} / {s['carbon_per_energy_market']:.3f} tCO2/tce",
        ),
        ("范围一 Scope 1", f"{s['scope1_tco2']:,.1f} tCO2"),
        (
            "范围二 Scope 2 (location / market)",
            f"{s['scope2_location_tco2']:,.1f} / {s['scope2_market_tco2']:,.1f} tCO2",
        ),
        ("综合能耗 energy", f"{s['energy_tce']:,.1f} tce"),
        ("清洁能源占比 clean-energy share", f"{s['clean_energy_share']:.1%}"),
        ("固废综合利用率 solid-waste utilisation", f"{s['solid_waste_utilization_rate']:.1%}"),
        ("锅炉改造 boilers retrofitted", f"{s['boiler_retrofits']} ({s['boiler_capacity_t_per_h']:.1f} t/h)"),
        (
            "绿色工厂 green factories (national / provincial)",
            f"{s['green_factories_national']} / {s['green_factories_provincial']}",
        ),
    ]
    print(f"{ledger.park['name']} {account.year}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    for item in account.indicators.itertuples(index=False):
        print(f"  [{item.status}] {item.indicator}: {item.value:,.3f} {item.comparison} {item.threshold:g}")
    print(f"碳账本已写入 / ledger written: {path}")
    return 0


def _run_template(args: argparse.Namespace) -> int:
    from carbon.io.park_template import write_template

    if Path(args.out).is_file() and not args.force:
        raise CarbonError(
            bilingual(
                f"{args.out} 已存在，未覆盖（若是已填写的工作簿，覆盖会丢失数据）：请换一个文件名，或加 --force",
                f"{args.out} exists and was not replaced (a filled workbook would be lost): choose another name, "
                "or add --force",
            )
        )
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


def _run_validate(args: argparse.Namespace) -> int:
    import json

    from carbon.io.park_workbook import validate_workbook

    if args.workbook is None:
        from carbon.ledger import sample_workbook_path

        args.workbook = str(sample_workbook_path())
        print(
            f"未指定工作簿，检查内置示例园区 / no workbook given: checking the bundled sample park {args.workbook}",
            file=sys.stderr,
        )
    if Path(args.workbook).is_dir():
        from carbon.io.table_folder import validate_tables

        report = validate_tables(args.workbook)
    else:
        report = validate_workbook(args.workbook)
    if args.format == "json":
        print(json.dumps([p.to_dict() for p in report.problems], ensure_ascii=False, indent=1))
    else:
        _print_report(report)
    if args.annotate and not report.readable:
        print("文件不可读，无法标注 / the file is not readable: nothing to annotate", file=sys.stderr)
    elif args.annotate:
        from carbon.io.annotate import annotate_workbook

        path, marked = annotate_workbook(args.workbook, report.problems, args.annotate)
        print(f"已标注 {marked} 个单元格 / {marked} cell(s) marked: {path}", file=sys.stderr)
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
        print(f"carbon: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader closed the pipe early (``carbon factors --format csv | head``): what it took is complete
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
