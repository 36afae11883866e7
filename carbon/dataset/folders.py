"""Output folders written beside their place and renamed into it (a dataset, the results of its account)."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from carbon.errors import CarbonError, bilingual
from carbon.io.excel import output_path

__all__ = ["move_into_place", "staging_folder"]


def staging_folder(out: object, replace: bool, inputs: Iterable[object], marker: str) -> tuple[Path, Path]:
    """(the output folder, an empty folder beside it to write into).

    Refused before any work, in one line: an empty name, a file, a folder holding something other than an
    earlier output of the same kind (a folder with ``marker``), an earlier output when ``replace`` is False, a
    folder that overlaps one of ``inputs`` (paths), or a place that cannot be written."""
    target = output_path(out)
    text = str(out)
    if not text.strip():
        raise CarbonError(bilingual("输出文件夹名为空", "the output folder name is empty"))
    if target.exists() and not target.is_dir():
        raise CarbonError(
            bilingual(f"「{text}」已存在且不是文件夹", f"{text!r} exists and is not a folder: give a folder name")
        )
    if target.is_dir() and any(target.iterdir()):
        if not (target / marker).is_file():
            raise CarbonError(
                bilingual(
                    f"文件夹「{text}」不是空的，也不是 carbon 写出的同类结果：不会写入其中",
                    f"the folder {text!r} is neither empty nor an earlier output of this command: nothing is written "
                    "into it",
                )
            )
        if not replace:
            raise CarbonError(
                bilingual(
                    f"「{text}」已有数据集；加 --force 替换",
                    f"{text!r} already holds a dataset; replace it with --force (in Python: replace=True)",
                )
            )
    resolved = target.resolve()
    for item in inputs:
        given = output_path(item).resolve()
        if given == resolved or resolved in given.parents or given in resolved.parents:
            raise CarbonError(
                bilingual(
                    f"输出文件夹「{text}」与输入「{item}」重叠",
                    f"the output folder {text!r} overlaps the input {item!r}",
                )
            )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        staging.mkdir()
    except OSError as exc:
        raise CarbonError(
            bilingual(f"无法写入「{text}」：{exc.strerror}", f"cannot write {text!r}: {exc.strerror}")
        ) from None
    return target, staging


def move_into_place(staging: Path, target: Path) -> None:
    """Rename the finished ``staging`` folder to ``target``; an earlier ``target`` is removed once replaced."""
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.{secrets.token_hex(4)}.old"
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
