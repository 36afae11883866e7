"""Break a copy of the sample park in known ways; each break names the cell and the problem code expected."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from carbon.schema import TABLES, table
from carbon.validation.problems import column_letter

SHEETS = {t.name: t.sheet for t in TABLES}


def _column(name: str, column: str) -> str:
    return column_letter(table(name).names.index(column))


def _find(sheet, column: str, predicate) -> int:
    for row in range(2, sheet.max_row + 1):
        if predicate(sheet[f"{column}{row}"].value, row):
            return row
    raise LookupError(column)


def break_sample(source: Path, target: Path) -> dict[tuple[str, str], str]:
    """Write a broken copy of ``source``; returns {(sheet, cell): expected problem code}."""
    book = openpyxl.load_workbook(source)
    expected: dict[tuple[str, str], str] = {}

    def put(name: str, column: str, row: int, value: object, code: str) -> None:
        ref = f"{_column(name, column)}{row}"
        book[SHEETS[name]][ref] = value
        expected[(SHEETS[name], ref)] = code

    energy = book[SHEETS["energy"]]
    carrier = _column("energy", "carrier")
    gas_rows = [r for r in range(2, energy.max_row + 1) if energy[f"{carrier}{r}"].value == "天然气"]
    power_rows = [r for r in range(2, energy.max_row + 1) if energy[f"{carrier}{r}"].value == "电力"]
    put("energy", "quantity", power_rows[0], "十二", "unreadable")  # text in a number cell
    put("energy", "unit", power_rows[1], "xyz", "unreadable")  # unknown unit
    put("energy", "quantity", power_rows[2], -5, "negative")  # negative quantity
    put("energy", "unit", gas_rows[0], "吨", "unit_carrier")  # natural gas in tonnes
    put("energy", "enterprise_id", power_rows[3], "91630100MA00000000", "unknown_enterprise")
    put("energy", "quantity", power_rows[4], "=1+1", "uncalculated_formula")  # never calculated
    put("energy", "quantity", power_rows[5], "#DIV/0!", "error_value")

    put("economics", "output_value", 3, None, "required")

    projects = book[SHEETS["projects"]]
    first_id = projects[f"{_column('projects', 'project_id')}2"].value
    put("projects", "project_id", 3, first_id, "duplicate")
    put("projects", "planned_completion", 4, "05/01/2024", "unreadable")

    waste = book[SHEETS["solid_waste"]]
    generated = waste[f"{_column('solid_waste', 'generated')}5"].value
    put("solid_waste", "utilized", 5, generated + 10_000, "waste_balance")

    put("boilers", "efficiency_before", 2, 500, "range")

    green = book[SHEETS["green_power"]]
    instrument, cert = _column("green_power", "instrument"), _column("green_power", "certificate_id")
    certificates = [r for r in range(2, green.max_row + 1) if green[f"{instrument}{r}"].value == "绿证"]
    enterprise = _column("green_power", "enterprise_id")
    other = next(
        r for r in certificates if green[f"{enterprise}{r}"].value != green[f"{enterprise}{certificates[0]}"].value
    )
    put("green_power", "certificate_id", other, green[f"{cert}{certificates[0]}"].value, "certificate_twice")
    trades = [r for r in range(2, green.max_row + 1) if green[f"{instrument}{r}"].value == "绿电交易"]
    with_certificates = {green[f"{enterprise}{r}"].value for r in certificates}
    lone_trade = next(r for r in trades if green[f"{enterprise}{r}"].value not in with_certificates)
    put("green_power", "quantity", lone_trade, 9.9e9, "green_above_use")

    enterprises = book[SHEETS["enterprises"]]
    row = enterprises.max_row + 1
    put("enterprises", "enterprise_id", row, "91630100MA7520000A", "uscc")
    enterprises[f"{_column('enterprises', 'name')}{row}"] = "青海校验位有误有限公司"
    enterprises[f"{_column('enterprises', 'industry')}{row}"] = "化工"
    enterprises[f"{_column('enterprises', 'above_designated_size')}{row}"] = "否"

    book.save(target)
    return expected
