"""Modules left at their old import paths for one release: they re-export from the new home and warn on use.

A module that moved keeps a thin file at its old path whose module-level ``__getattr__`` is :func:`moved`:
importing the old module is silent; reading a name from it returns the object from its new home and warns
:class:`DeprecationWarning` naming that home (never at import, so ``import carbon`` stays quiet).
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping

__all__ = ["moved"]


def moved(
    old: str, new: str, renamed: Mapping[str, str] | None = None, *, only: bool = False
) -> Callable[[str], object]:
    """A module ``__getattr__`` that forwards every name of module ``old`` to module ``new``, warning.

    Parameters
    ----------
    old : str
        The old module's name (``__name__`` of the thin module).
    new : str
        The module that now holds the names.
    renamed : mapping of str to str, optional
        Names that moved elsewhere or were renamed: old name -> ``"module:name"``.
    only : bool, default False
        Forward the names of ``renamed`` only (a module that stays, with a few names gone elsewhere).

    Returns
    -------
    callable
        The ``__getattr__`` to assign in the old module.
    """
    targets = dict(renamed or {})

    def __getattr__(name: str) -> object:
        if (name.startswith("__") and name.endswith("__")) or (only and name not in targets):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        module_name, _, attribute = targets.get(name, f"{new}:{name}").partition(":")
        try:
            value = getattr(importlib.import_module(module_name), attribute)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        warnings.warn(
            f"{old}.{name} has moved to {module_name}.{attribute}; import it from there "
            f"({old + '.' + name if only else old} is kept for one release only)",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    __getattr__.new = new  # type: ignore[attr-defined]  # for tests/test_moved.py
    __getattr__.renamed = dict(targets)  # type: ignore[attr-defined]
    __getattr__.only = only  # type: ignore[attr-defined]
    return __getattr__
