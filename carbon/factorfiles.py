"""The factor files: the format of ``factors/`` (``# key: value`` header lines, then one row per value),
validated row by row, and the whole library as one table.

In files of kind ``process_co2`` (industrial-process CO2 per tonne of product, 发改环资〔2025〕910号 附件4) the
``carrier`` column holds a product id of ``carbon/data/products.csv``, not a carrier id.

:mod:`carbon.factorset` looks values up in it; ``factors/README.md`` describes the format.
"""

from __future__ import annotations

import functools
import io
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from carbon._data import data_files
from carbon.errors import FactorFileError, UnknownNameError
from carbon.names import resolve_carrier, resolve_product, resolve_region
from carbon.units import parse_unit, ureg

__all__ = ["COLUMNS", "Confidence", "Kind", "factor_files", "library"]

Kind = Literal[
    "electricity_co2",
    "heat_co2",
    "standard_coal",
    "fuel",
    "fuel_non_co2",
    "gwp",
    "indicator_threshold",
    "boiler_efficiency",
    "park_method",
    "process_co2",
]
Confidence = Literal["primary", "secondary", "unconfirmed"]

COLUMNS = [
    "id",
    "parameter",
    "carrier",
    "region",
    "data_year",
    "applies_from",
    "applies_to",
    "condition_min",
    "condition_max",
    "value",
    "unit",
    "source",
    "confidence",
    "note",
]
_OPTIONAL_COLUMNS = {"applies_from", "applies_to", "condition_min", "condition_max"}

#: The parameter and the unit dimension of every row of a ``process_co2`` file: tCO2 per mass of product.
PROCESS_PARAMETER = "process_co2"
_PROCESS_DIMENSION = ureg.parse_units("tCO2/t").dimensionality


class FileHeader(BaseModel):
    """The ``# key: value`` lines at the top of a factor file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    document: str = Field(min_length=1)
    number: str = Field(min_length=1)
    table: str = Field(min_length=1)
    year: str = Field(min_length=1)
    kind: Kind
    read_from: str = Field(min_length=1)
    set: str | None = None
    url: str | None = None
    notes: str | None = None
    data_year: int | None = None
    condition: str | None = None


class FactorRow(BaseModel):
    """One row of a factor file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    parameter: str = Field(pattern=r"^[a-z0-9_]+$")
    carrier: str | None = None
    region: str | None = None
    data_year: int | None = Field(default=None, ge=1990, le=2100)
    applies_from: int | None = Field(default=None, ge=1990, le=2100)
    applies_to: int | None = Field(default=None, ge=1990, le=2100)
    condition_min: float | None = None
    condition_max: float | None = None
    value: float
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)
    confidence: Confidence
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def unit_is_known_to_the_registry(cls, unit: str) -> str:
        parse_unit(unit)
        return unit

    @field_validator("region")
    @classmethod
    def region_is_a_canonical_region_id(cls, region: str | None) -> str | None:
        if region and resolve_region(region) != region:
            raise ValueError(f"region {region!r} is not a canonical id (use {resolve_region(region)!r})")
        return region or None

    @field_validator("carrier")
    @classmethod
    def carrier_is_not_blank(cls, carrier: str | None) -> str | None:
        return carrier or None

    @field_validator("note")
    @classmethod
    def note_may_be_blank(cls, note: str | None) -> str:
        return note or ""


def _blank_to_none(record: dict[str, str]) -> dict[str, str | None]:
    return {key: (value if value != "" else None) for key, value in record.items()}


def _parse_file(name: str, text: str) -> tuple[FileHeader, list[FactorRow]]:
    problems: list[str] = []
    header_values: dict[str, str] = {}
    lines = text.splitlines()
    body_start = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            body_start = number - 1
            break
        key, sep, value = line[1:].partition(":")
        if not sep:
            problems.append(f"line {number}: header line without 'key: value'")
            continue
        header_values[key.strip()] = value.strip()
    try:
        header = FileHeader(**header_values)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(f"header {'.'.join(map(str, error['loc']))}: {error['msg']}")
        raise FactorFileError(name, problems) from None

    table = pd.read_csv(io.StringIO("\n".join(lines[body_start:])), dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns and c not in _OPTIONAL_COLUMNS]
    extra = [c for c in table.columns if c not in COLUMNS]
    if missing or extra:
        problems.append(f"line {body_start + 1}: columns missing {missing}, unexpected {extra}")
        raise FactorFileError(name, problems)

    rows: list[FactorRow] = []
    first_data_line = body_start + 2
    for offset, record in enumerate(table.to_dict(orient="records")):
        line = first_data_line + offset
        try:
            row = FactorRow(**_blank_to_none(record))
        except (ValidationError, ValueError) as exc:
            details = (
                [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
                if isinstance(exc, ValidationError)
                else [str(exc)]
            )
            problems.extend(f"line {line} ({record.get('id', '?')}): {d}" for d in details)
            continue
        if header.kind == "process_co2":
            problem = _process_row_problem(row)
            if problem:
                problems.append(f"line {line} ({row.id}): {problem}")
                continue
        elif header.kind != "gwp" and row.carrier is not None:
            try:
                canonical = resolve_carrier(row.carrier)
            except UnknownNameError:
                canonical = None
            if canonical != row.carrier:
                problems.append(f"line {line} ({row.id}): carrier {row.carrier!r} is not a canonical carrier id")
                continue
        rows.append(row)
    if header.kind == "fuel" and not header.set:
        problems.append("header set: a fuel file must name its set")
    if problems:
        raise FactorFileError(name, problems)
    return header, rows


def _process_row_problem(row: FactorRow) -> str:
    """What is wrong with a row of a ``process_co2`` file (empty when nothing): its ``carrier`` column must be a
    product id of carbon/data/products.csv, its parameter ``process_co2``, its unit tCO2 per mass of product."""
    if row.carrier is None:
        return "carrier: a process_co2 row must name a product id (carbon/data/products.csv)"
    try:
        canonical = resolve_product(row.carrier)
    except UnknownNameError:
        canonical = None
    if canonical != row.carrier:
        hint = f" (use {canonical!r})" if canonical else ""
        return f"carrier {row.carrier!r} is not a product id of carbon/data/products.csv{hint}"
    if row.parameter != PROCESS_PARAMETER:
        return f"parameter {row.parameter!r}: a process_co2 row has parameter {PROCESS_PARAMETER!r}"
    if parse_unit(row.unit).dimensionality != _PROCESS_DIMENSION:
        return f"unit {row.unit!r}: a process_co2 value is CO2 per mass of product (tCO2/t)"
    return ""


def factor_files() -> list[str]:
    """Names of the factor files shipped in the installed package, sorted."""
    root = data_files("carbon.factors")
    return sorted(entry.name for entry in root.iterdir() if entry.name.endswith(".csv"))


@functools.cache
def _load_library() -> tuple[pd.DataFrame, pd.DataFrame]:
    root = data_files("carbon.factors")
    frames: list[pd.DataFrame] = []
    headers: list[dict[str, object]] = []
    for name in factor_files():
        header, rows = _parse_file(name, (root / name).read_text(encoding="utf-8"))
        frame = pd.DataFrame([row.model_dump() for row in rows], columns=COLUMNS)
        frame.insert(1, "kind", header.kind)
        frame.insert(2, "set", header.set)
        frame["document"] = header.document
        frame["number"] = header.number
        frame["file"] = name
        frames.append(frame)
        headers.append({"file": name, **header.model_dump()})
    table = pd.concat(frames, ignore_index=True)
    for column in ("data_year", "applies_from", "applies_to"):
        table[column] = table[column].astype("Int64")
    table["value"] = table["value"].astype(float)
    duplicated = table.loc[table["id"].duplicated(keep=False), ["id", "file"]]
    if not duplicated.empty:
        raise FactorFileError(
            ", ".join(sorted(set(duplicated["file"]))),
            [f"factor id {i!r} appears more than once" for i in sorted(set(duplicated["id"]))],
        )
    return table, pd.DataFrame(headers)


def library() -> pd.DataFrame:
    """Every factor in the library, all fuel sets included, as a new DataFrame.

    Columns: id, kind, set, parameter, carrier, region, data_year, applies_from, applies_to, value, unit,
    source, confidence, note, document, number, file.
    """
    return _load_library()[0].copy()
