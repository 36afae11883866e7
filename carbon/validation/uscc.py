"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

An 18-character code: registration authority (1), entity type (1), administrative division (6),
organisation code (9, the last of which is its own check character) and a final check character over the
first 17. Characters come from ``0-9`` and ``ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z).
"""

from __future__ import annotations

import numpy as np

__all__ = ["uscc_check_character", "uscc_problem", "uscc_valid"]

#: The 31 code characters in value order, GB 32100-2015 §4 (表1).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
#: Position weights W_i = 3^(i-1) mod 31 for positions 1-17, GB 32100-2015 §5.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code.

    Notes
    -----
    .. math:: C_{18} = 31 - \\left(\\sum_{i=1}^{17} C_i W_i \\bmod 31\\right), \\quad 31 \\mapsto 0

    References
    ----------
    .. [1] GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》, §5 校验码.
    """
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> tuple[str, str] | None:
    """What is wrong with a code, in Chinese and English, or None when it is valid."""
    if len(code) != 18:
        return (f"应为 18 位，实为 {len(code)} 位", f"must have 18 characters, has {len(code)}")
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return (
            f"含非法字符 {''.join(bad)}（不用 I、O、S、V、Z）",
            f"contains invalid characters {''.join(bad)} (I, O, S, V, Z are not used)",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return (f"校验位应为 {expected}，实为 {code[17]}", f"check character should be {expected}, is {code[17]}")
    return None


_CODE_POINTS = np.full(128, -1, dtype=np.int64)
_CODE_POINTS[[ord(c) for c in ALPHABET]] = np.arange(len(ALPHABET))


def uscc_valid(codes) -> np.ndarray:
    """Per code (a sequence of text): True where :func:`uscc_problem` finds nothing wrong, computed on arrays.

    The codes are laid out as an (n, 18) array of code points; the check character of GB 32100-2015 §5 is
    the weighted sum of each row."""
    codes = list(codes)
    # lengths in Python: NumPy's fixed-width strings drop a trailing NUL, and "…7D\x00" would pass as 18 long
    valid = np.fromiter((len(code) == 18 for code in codes), dtype=bool, count=len(codes))
    if not valid.any():
        return valid
    points = np.asarray(codes, dtype=str)[valid].astype("<U18").view(np.uint32).reshape(-1, 18)
    values = np.where(points < 128, _CODE_POINTS[np.minimum(points, 127)], -1)
    check = (31 - (values[:, :17] * np.array(WEIGHTS)).sum(axis=1) % 31) % 31
    valid[valid] = (values >= 0).all(axis=1) & (values[:, 17] == check)
    return valid
