"""Deprecated: the account workbook (碳账本) moved to :mod:`carbon.io.account_workbook` (``write_account``,
``read_account``) and its sheet names to :mod:`carbon.schema.outputs`; this module goes in the next release."""

from carbon._moved import moved

__getattr__ = moved(
    __name__,
    "carbon.io.account_workbook",
    {
        "LEDGER_SHEETS": "carbon.schema.outputs:SHEET_NAMES",
        "SUMMARY": "carbon.schema.outputs:SUMMARY",
        "MANIFEST": "carbon.schema.outputs:MANIFEST",
        "COLUMNS": "carbon.schema.outputs:COLUMNS",
        "CHART_DATA": "carbon.schema.outputs:CHART_DATA",
        "TOTAL": "carbon.schema.outputs:TOTAL",
        "STATUS_LABELS": "carbon.schema.outputs:STATUS_LABELS",
        "ledger_frames": "carbon.io.account_workbook:account_frames",
    },
)
