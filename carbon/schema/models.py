"""pydantic row models of the ledger tables, built from :mod:`carbon.schema.inputs`.

One model per table (``models.row_model("energy")``), with ``extra="forbid"``, constrained types and no
infinite or NaN numbers. The workbook reader runs every row that passed its own checks through these models
as the final gate at the boundary; ``Ledger.from_frames`` uses the same path for data built in Python.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from carbon.schema.inputs import CHOICES, Column, table

__all__ = ["row_model"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True, frozen=True)


def _annotation(column: Column) -> tuple[Any, dict[str, Any]]:
    kind = column.kind
    bounds: dict[str, Any] = {}
    if column.minimum is not None:
        bounds["ge"] = column.minimum
    if column.maximum is not None:
        bounds["le"] = column.maximum
    if kind in ("text", "enterprise", "enterprise_id", "unit", "carrier"):
        return str, {"min_length": 1}
    if kind == "year":
        return int, {"ge": 1990, "le": 2100}
    if kind == "month":
        return int, {"ge": 1, "le": 12}
    if kind in ("number", "percent"):
        return float, bounds
    if kind == "date":
        return dt.date, {}
    if kind == "choice":
        ids = tuple(c.id for c in CHOICES[column.choices or ""])
        return Literal[ids], {}  # type: ignore[valid-type]
    if kind == "bool":
        return bool, {}
    if kind == "list":
        return tuple[str, ...], {}
    raise ValueError(f"unknown column kind {kind!r}")


@functools.cache
def row_model(name: str) -> type[BaseModel]:
    """The pydantic model of one row of table ``name``."""
    spec = table(name)
    fields: dict[str, Any] = {}
    for column in spec.columns:
        annotation, constraints = _annotation(column)
        if column.required:
            fields[column.name] = (annotation, Field(**constraints))
        else:
            fields[column.name] = (annotation | None, Field(default=None, **constraints))
    return create_model(f"{''.join(p.title() for p in name.split('_'))}Row", __base__=_Row, **fields)
