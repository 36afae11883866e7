"""Where the data packages are: ``carbon.factors`` and ``carbon.seeds`` are installed from the top-level
``factors/`` and ``seeds/`` folders (see pyproject.toml). Run from a source checkout (Python started inside the
project folder, where the source ``carbon/`` shadows the installed one), those packages do not exist: the
folders themselves hold the very same files, so they are read from there.
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_files"]


def data_files(package: str) -> Traversable:
    """The files of ``carbon.factors`` or ``carbon.seeds``, installed or in the source checkout."""
    try:
        return importlib.resources.files(package)
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parent.parent / package.rpartition(".")[2]
        if folder.is_dir():
            return folder
        raise
