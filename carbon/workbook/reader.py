"""Deprecated: moved to :mod:`carbon.io.park_workbook` (this module goes in the next release)."""

from carbon._moved import moved

__getattr__ = moved(
    __name__,
    "carbon.io.park_workbook",
    {
        "_column_index": "carbon.validation.tables:column_index",
        "_table_keys": "carbon.validation.tables:table_keys",
        "RawPark": "carbon.validation.tables:RawPark",
    },
)
