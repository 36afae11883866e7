"""Deprecated: moved to :mod:`carbon.io.park_template` (this module goes in the next release)."""

from carbon._moved import moved

__getattr__ = moved(
    __name__,
    "carbon.io.park_template",
    {
        "_atomic": "carbon.io.excel:atomic_write",
        "_print_setup": "carbon.io.excel:print_setup",
        "_text_width": "carbon.io.excel:display_width",
    },
)
