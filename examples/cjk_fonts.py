"""Chinese in matplotlib and pandas plots: use an installed CJK font, or say once that there is none.

matplotlib's default font (DejaVu Sans) has no Chinese: 片区, 电力 and 910号 附件4 come out as boxes. Before
plotting, call ``use_cjk_font()`` (the examples beside this file import it; copy it into a notebook as it is)::

    from cjk_fonts import use_cjk_font

    use_cjk_font()  # then plot as usual: matplotlib, or pandas' DataFrame.plot

It puts the first installed CJK font of :data:`CJK_FONTS` in front of ``font.sans-serif`` (the others after it,
as fallbacks) and turns off ``axes.unicode_minus`` (not every CJK font has the sign U+2212). Without a CJK font it
warns once and changes nothing: the plot is still drawn, with boxes. On Debian or Ubuntu,
``apt-get install fonts-noto-cjk`` installs one; on Windows and macOS SimHei / Microsoft YaHei / PingFang are
there already.

Run it as ``python examples/cjk_fonts.py`` to see which font it picks.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

#: CJK fonts in order of preference: Linux (Noto, Source Han, WenQuanYi), Windows, macOS.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
    "Arial Unicode MS",
)

#: Parts of the file names of CJK fonts, to find those matplotlib's cached font list does not know yet.
_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "simhei", "msyh", "pingfang", "sourcehan", "hiragino", "uming", "notosanssc")

_warned = False


def _available() -> list[str]:
    known = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in known]


def _add_system_cjk_fonts() -> None:
    """Register CJK font files installed after matplotlib built its font cache (it reads the cache, not the
    system, on later runs)."""
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower() for hint in _FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read: skip it
                continue


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese: returns the font used, or None (with one warning) when none is installed."""
    global _warned
    found = _available()
    if not found:
        _add_system_cjk_fonts()
        found = _available()
    if not found:
        if not _warned:
            warnings.warn(
                "未找到中文字体，图中的中文将显示为方框 / no CJK font found: Chinese in plots will show as boxes "
                "(Debian/Ubuntu: apt-get install fonts-noto-cjk)",
                stacklevel=2,
            )
            _warned = True
        return None
    rest = [name for name in matplotlib.rcParams["font.sans-serif"] if name not in found]
    matplotlib.rcParams["font.sans-serif"] = [*found, *rest]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found[0]


if __name__ == "__main__":
    font = use_cjk_font()
    print(f"CJK font for plots: {font}" if font else "no CJK font installed: Chinese in plots shows as boxes")
