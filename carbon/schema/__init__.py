"""Descriptions of every table carbon reads and writes: data only, built on nothing above ``carbon.errors``.

- :mod:`carbon.schema.inputs`: the tables of a park ledger (what staff fill in), one :class:`Table` per sheet;
  the template, the reader, the validation and the README glossary are built from it.
- :mod:`carbon.schema.outputs`: the tables of the account workbook (碳账本), one :class:`~carbon.schema.outputs.
  OutputTable` per table with its sheets; the writer, the reader and the README's table of outputs are built
  from it.
- :mod:`carbon.schema.models`: pydantic row models of the input tables.

``from carbon.schema import table, TABLES, ...`` gives the input descriptions, as it always has.
"""

from carbon.schema.inputs import (
    CERTIFICATE_UNITS,
    CHOICES,
    INDICATOR_UNITS,
    TABLES,
    Choice,
    Column,
    Table,
    glossary_markdown,
    header_key,
    table,
)

__all__ = [
    "CERTIFICATE_UNITS",
    "CHOICES",
    "INDICATOR_UNITS",
    "TABLES",
    "Choice",
    "Column",
    "Table",
    "glossary_markdown",
    "header_key",
    "table",
]
