"""The diff as text to print (``carbon diff A B``): the figures that changed, each cause with the figures it
moved, the notes; Chinese with English beside, or one language."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from carbon.io.diff_workbook import (
    change_text,
    figure_name,
    parse_cause_numbers,
    show_change,
    show_value,
    status_text,
    unit_text,
    where_text,
)
from carbon.io.excel import display_width
from carbon.io.words import Words

__all__ = ["render"]

#: At most this many causes of one sheet are printed (the rest: --json or -o diff.xlsx).
SHOWN_CAUSES = 10
#: At most this many figures a step moved are printed after it.
SHOWN_MOVES = 6
#: The width of the column of figure names (a longer name takes a line of its own).
NAME_WIDTH = 44


def _figures(diff, words: Words) -> list[str]:
    figures = diff._figures.to_dict("records")
    lines = [words.pair("变化的数字", "figures changed", " / ") + f": {len(figures)}"]
    names = [figure_name(f, words) for f in figures]
    width = min(max((display_width(n) for n in names), default=0), NAME_WIDTH)
    for name, f in zip(names, figures, strict=True):
        unit = str(f["unit"] or "")
        status_a, status_b = (f[s] if isinstance(f[s], str) else None for s in ("status_a", "status_b"))
        text = ""
        if not (pd.isna(f["a"]) and pd.isna(f["b"])):  # a status only (a target's) has no number
            shown = unit_text(unit, words, "")
            text = f"{show_value(f['a'], unit, words)} → {show_value(f['b'], unit, words)} {shown}".rstrip()
            text += f"  {show_change(f['change'], f['relative'], unit, words)}".rstrip()
            text += "  "
        if status_a != status_b:
            text += f"{status_text(status_a, words)} → {status_text(status_b, words)}"
        elif status_b is not None:
            text += f"[{status_text(status_b, words)}]"
        text = text.rstrip()
        if f["causes"]:
            text += "  ← " + words.pair("原因", "causes") + f" {_few(f['causes'])}"
        if display_width(name) > width:  # a long name on its own line
            lines += [f"  {name}", f"  {' ' * width}  {text}"]
        else:
            lines.append(f"  {name}{' ' * (width - display_width(name))}  {text}")
    return lines


def _few(causes: str, most: int = 8) -> str:
    """The first runs of a list of cause numbers, and how many there are in all."""
    runs = causes.split(", ")
    if len(runs) <= most:
        return causes
    return ", ".join(runs[:most]) + f", …（{len(parse_cause_numbers(causes))}）"


def _moves(step: Mapping[str, object], diff, words: Words) -> list[str]:
    """The figures one step (or one cause's lineage) moved, with the change of each (a status: from what to
    what, when the step is among its causes)."""
    parts = []
    numbers = set(parse_cause_numbers(str(step["causes"])))
    for f in diff._figures.to_dict("records"):
        if f["figure"] not in step:  # a status only: moved by the steps among its causes
            if numbers & set(parse_cause_numbers(str(f["causes"]))):
                moved = f"{status_text(f['status_a'], words)} → {status_text(f['status_b'], words)}"
                parts.append(f"{figure_name(f, words)} {moved}")
            continue
        delta = step.get(f["figure"])
        unit = str(f["unit"] or "")
        if delta is None or (pd.isna(delta) and step["basis"] == "lineage") or delta == 0:
            continue
        if pd.isna(delta):  # blank on one side (a target added or removed): from what to what
            parts.append(
                f"{figure_name(f, words)} {show_value(f['a'], unit, words)} → {show_value(f['b'], unit, words)}"
            )
            continue
        if unit == "bool":  # a yes or no: what it became
            parts.append(f"{figure_name(f, words)} → {show_value(f['b'], unit, words)}")
            continue
        change = show_change(float(delta), math.nan, unit, words, with_unit=True)
        parts.append(f"{figure_name(f, words)} {change}")
    more = len(parts) - SHOWN_MOVES
    return parts[:SHOWN_MOVES] + ([words.pair(f"……另 {more} 项", f"... {more} more")] if more > 0 else [])


def _causes(diff, words: Words) -> list[str]:
    """Each cause where it is and what changed, at most :data:`SHOWN_CAUSES` of a sheet; after the last cause of
    a step, the figures the step moved."""
    causes = diff._causes.to_dict("records")
    lines = [words.pair("原因", "causes", " / ") + f": {len(causes)}"]
    step_of: dict[int, Mapping[str, object]] = {}
    for row in diff._attribution.to_dict("records"):
        for number in parse_cause_numbers(row["causes"]):
            step_of.setdefault(number, row)
    shown: dict[str, int] = {}
    printed: set[int] = set()
    for index, cause in enumerate(causes):
        group = str(cause["table"] or cause["kind"])
        shown[group] = shown.get(group, 0) + 1
        if shown[group] <= SHOWN_CAUSES:
            printed.add(cause["cause"])
            lines += [f"  {cause['cause']}. {where_text(cause, words)}", f"       {change_text(cause, words)}"]
        following = causes[index + 1] if index + 1 < len(causes) else None
        if shown[group] > SHOWN_CAUSES and (following is None or str(following["table"] or following["kind"]) != group):
            more = shown[group] - SHOWN_CAUSES
            lines.append("  " + words.pair(f"……另 {more} 项：见 --json 或 -o", f"... {more} more: --json or -o"))
        step = step_of.get(cause["cause"])
        numbers = parse_cause_numbers(step["causes"]) if step is not None else [cause["cause"]]
        if step is not None and (following is None or following["cause"] not in numbers) and numbers[0] in printed:
            moved = _moves(step, diff, words)
            if moved and len(numbers) > 1:
                lines.append(
                    "       " + words.pair(f"原因 {step['causes']} 为同一步", f"causes {step['causes']}: one step")
                )
            lines += [("       → " if i == 0 else "         ") + part for i, part in enumerate(moved)]
    return lines


def render(diff, words: Words) -> str:
    """The text of ``diff`` (a :class:`carbon.diff.Diff`) in ``words``' language."""
    compared = {"workbooks": ("园区工作簿", "park workbooks"), "accounts": ("碳账本", "碳账本")}[diff.compared]
    lines = [f"carbon diff（{words.pair(*compared)}）"]
    for side, facts in (("A", diff.a), ("B", diff.b)):
        lines.append(f"  {side}  {facts.get('path')}：{facts.get('park')} {facts.get('year')}")
    lines.append("")
    if diff.identical:
        lines.append(words.pair("无变化：各数字和输入均相同", "no change: the same figures and the same inputs", " / "))
        return "\n".join(lines)
    lines += _figures(diff, words) + [""] + _causes(diff, words)
    if diff.notes:
        lines += ["", words.pair("说明", "notes", " / ") + ":"]
        lines += [f"  - {words.note(note)}" for note in diff.notes]
    return "\n".join(lines)
