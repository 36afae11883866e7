"""Deprecated: moved to :mod:`carbon.io.annotate` (this module goes in the next release)."""

from carbon._moved import moved

__getattr__ = moved(__name__, "carbon.io.annotate")
