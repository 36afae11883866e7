"""carbon/_moved.py: the modules left at their old paths for one release re-export and warn on use, never at import.

The thin modules are found by walking the package (a module whose ``__getattr__`` comes from
:func:`carbon._moved.moved`), so a new one is tested without being listed here.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import carbon


def _thin_modules() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(carbon.__path__, "carbon."):
        if info.name.startswith(("carbon.factors", "carbon.seeds")) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        hook = module.__dict__.get("__getattr__")
        if hook is not None and getattr(hook, "__qualname__", "").startswith("moved."):
            found.append(info.name)
    return sorted(found)


THIN = _thin_modules()


def _forwarded(old: str) -> list[tuple[str, str, str]]:
    """(old name, new module, new name): every renamed name and every public name of the new module."""
    hook = importlib.import_module(old).__getattr__
    new = importlib.import_module(hook.new)
    pairs = [(name, *target.split(":")) for name, target in hook.renamed.items()]
    if not hook.only:  # a module that stays forwards its few moved names only
        pairs += [(name, hook.new, name) for name in getattr(new, "__all__", []) if name not in hook.renamed]
    return pairs


def test_every_old_path_has_its_thin_module():
    old = {"models", "problems", "uscc", "ledgerbook"} | {
        f"workbook.{m}" for m in ("xlsx", "reader", "writer", "tables", "annotate", "cells", "validate")
    }
    assert {f"carbon.{m}" for m in old} <= set(THIN)


@pytest.mark.parametrize("old", THIN)
def test_an_old_name_warns_and_gives_the_new_object(old):
    module = importlib.import_module(old)
    pairs = _forwarded(old)
    assert pairs, old
    for name, new, new_name in pairs:
        with pytest.warns(DeprecationWarning, match=rf"{new}\.{new_name}"):
            value = getattr(module, name)
        assert value is getattr(importlib.import_module(new), new_name), (old, name)


@pytest.mark.parametrize("old", THIN)
def test_an_unknown_name_is_an_attribute_error(old):
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        importlib.import_module(old).nothing_here  # noqa: B018


def test_importing_the_old_modules_and_the_package_is_silent():
    code = f"import carbon, carbon.cli, importlib; [importlib.import_module(m) for m in {THIN!r}]"
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)
