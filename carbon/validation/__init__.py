"""Validation of a park's ledger tables, knowing no file format; used by every reader and by
``Ledger.from_frames``.

- :mod:`~carbon.validation.problems`: :class:`Problem`, :class:`ReadReport` and the collector rules report
  through;
- :mod:`~carbon.validation.cells`: turning what people type into typed values, a column at a time;
- :mod:`~carbon.validation.tables`: raw tables, typing, the pydantic gate, duplicates, references and
  :func:`validate_raw_tables`;
- :mod:`~carbon.validation.rules`: one function per rule across rows and tables, named as a sentence;
- :mod:`~carbon.validation.uscc`: the check character of unified social credit codes (GB 32100-2015).
"""

from carbon.validation.problems import Problem, ReadReport, SheetCount
from carbon.validation.tables import RawPark, RawTable, validate_raw_tables

__all__ = ["Problem", "RawPark", "RawTable", "ReadReport", "SheetCount", "validate_raw_tables"]
