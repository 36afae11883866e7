"""Deprecated: moved to :mod:`carbon.io.table_folder` (this module goes in the next release)."""

from carbon._moved import moved

__getattr__ = moved(__name__, "carbon.io.table_folder")
