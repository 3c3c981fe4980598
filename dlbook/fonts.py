"""让 matplotlib 显示中文。

matplotlib 自带的 DejaVu Sans 没有汉字字形，中文会变成方框并打印
``Glyph ... missing from font`` 警告。这里按顺序找一个中文字体：

1. ``mplfonts`` 包自带的 Noto Sans CJK SC（pip 安装，本地、CI、Colab 都一样）；
2. 系统里已装的中文字体（如 Debian 的 ``fonts-noto-cjk``、Windows 的 微软雅黑、macOS 的 苹方）。

都找不到时抛出 :class:`RuntimeError`，并说明该装什么。
"""

from __future__ import annotations

from pathlib import Path

#: 系统字体的候选名（按优先级）。
SYSTEM_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


def _bundled_font() -> Path | None:
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


def configure_chinese_font() -> str:
    """注册并启用一个中文字体，返回字体名。"""
    import matplotlib as mpl
    from matplotlib import font_manager

    bundled = _bundled_font()
    if bundled is not None:
        font_manager.fontManager.addfont(str(bundled))
        name = font_manager.FontProperties(fname=str(bundled)).get_name()
    else:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        name = next((n for n in SYSTEM_CJK_FONTS if n in installed), None)
        if name is None:
            raise RuntimeError(
                "找不到中文字体，图中的中文会显示成方框。请运行 `pip install mplfonts`"
                "（推荐，自带 Noto Sans CJK SC），或安装系统字体（Debian/Ubuntu："
                "`apt-get install fonts-noto-cjk`）。"
            )

    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    # 中文字体里的 U+2212 减号宽度不一，统一用 ASCII 连字符。
    mpl.rcParams["axes.unicode_minus"] = False
    return name
