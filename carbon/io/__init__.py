"""Files in and out: one module per format, ``read_*`` / ``write_*`` verbs.

- :mod:`~carbon.io.xlsx_preflight`: what a cell reader does not tell about an .xlsx, checked before reading;
- :mod:`~carbon.io.park_workbook`: read and validate a park workbook (``read_sheets``, ``validate_workbook``);
- :mod:`~carbon.io.park_template`: the blank template and a ledger in its format (``write_template``,
  ``write_workbook``);
- :mod:`~carbon.io.table_folder`: a folder of CSV or Parquet tables (``read_table_folder``);
- :mod:`~carbon.io.annotate`: a copy of a park workbook with its problem cells marked;
- :mod:`~carbon.io.account_workbook`: the account workbook 碳账本 (``write_account``, ``read_account``), with
  its summary, charts and manifest in :mod:`~carbon.io.account_sheets`;
- :mod:`~carbon.io.excel`: what the Excel writers share (atomic write, print layout, width, safe cells).

The package imports nothing at import time; import the module of the format you need.
"""
