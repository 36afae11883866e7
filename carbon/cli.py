"""The ``carbon`` command line: a thin layer over the Python API.

Exit codes: 0 success; 1 a problem with the input (unknown region, carrier, ...), reported as one line
on standard error; 2 a usage error (unknown option, missing argument), reported by argparse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from carbon import __version__
from carbon.errors import CarbonError, UnknownNameError
from carbon.factorset import fuel_sets, library
from carbon.names import resolve_carrier, resolve_region

KINDS = ["electricity_co2", "heat_co2", "standard_coal", "fuel", "gwp"]

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
        "example:  carbon factors --region 青海 --year 2023",
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
    return parser


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
