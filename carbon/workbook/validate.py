"""Deprecated: moved to :mod:`carbon.validation.tables` (the rules to :mod:`carbon.validation.rules`); this
module goes in the next release."""

from carbon._moved import moved

__getattr__ = moved(
    __name__,
    "carbon.validation.tables",
    {
        "_Collector": "carbon.validation.problems:Collector",
        "_show": "carbon.validation.problems:show",
        "validate_tables": "carbon.validation.tables:validate_raw_tables",
    },
)
