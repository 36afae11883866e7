"""Deprecated: the pydantic row models moved to :mod:`carbon.schema.models` (this module goes in the next release)."""

from carbon._moved import moved

__getattr__ = moved(__name__, "carbon.schema.models")
