"""书里的图在网页上怎样才读得清：双倍像素、色盲友好的配色、按版心定的宽度与字号、替代文字。

:func:`dlbook.setup` 会调用 :func:`use_book_figures`，读者不必直接用这个模块。
每张内联图输出时附带元数据 ``{"width", "height", "dlbook": {...}}``：
``width``/``height`` 是显示尺寸（CSS 像素，图是其两倍像素），``dlbook`` 里记着图的宽度（英寸）、
图中最小的字号和坐标轴标签的最小字号（磅）以及一段替代文字；网站构建时把替代文字写进 ``<img alt>``，
网站测试据此算出每张图上的文字在版心里显示成多少像素。
"""

from __future__ import annotations

import struct

from dlbook._checks import check_int

__all__ = ["PALETTE", "MAX_WIDTH_IN", "figure_texts", "describe", "figure_png", "use_book_figures"]

#: Okabe–Ito 配色：蓝、橙、蓝绿、朱红、紫红、天蓝、黄、黑。红绿色弱的读者也能区分前几种。
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: 图的最大宽度（英寸）。网页版心约 688 CSS 像素，内联图每英寸 100 像素，
#: 宽 9.6 英寸的图缩到版心后每英寸约 72 像素，11 磅的字约 11 像素。
MAX_WIDTH_IN = 9.6

_ALT_LIMIT = 240


def _visible(artist) -> bool:
    return bool(artist.get_visible() and str(artist.get_text()).strip())


def figure_texts(fig):
    """图上真正画出来的文字，返回 ``[(Text, 种类)]``，种类是 ``"label"``（坐标轴标签）或 ``"text"``。"""
    found = [(t, "text") for t in fig.texts if _visible(t)]
    for legend in fig.legends:
        found += [(t, "text") for t in legend.get_texts() if _visible(t)]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        titles = (ax.title, ax._left_title, ax._right_title)
        found += [(t, "text") for t in (*titles, *ax.texts) if _visible(t)]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            found += [(t, "text") for t in legend.get_texts() if _visible(t)]
        if not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible():
                continue
            if _visible(axis.label):
                found.append((axis.label, "label"))
            found += [(t, "text") for t in axis.get_ticklabels() if _visible(t)]
    return found


def _clip(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _ALT_LIMIT else text[: _ALT_LIMIT - 1] + "…"


def describe(fig) -> str:
    """由图自身的标题与坐标轴生成替代文字，例如 ``图：训练曲线。子图：损失（横轴 轮次，纵轴 损失）``。"""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and _visible(suptitle):
        parts.append(f"图：{suptitle.get_text()}")
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    images = [ax for ax in axes if ax.images and not ax.axison]
    if len(images) > 4:
        titles = [ax.get_title() for ax in images if ax.get_title().strip()]
        text = f"{len(images)} 幅小图"
        if titles:
            text += "，依次标着 " + "、".join(titles)
        parts.append(text)
        axes = [ax for ax in axes if ax not in images]
    panels = []
    for ax in axes:
        bits = []
        if ax.get_title().strip():
            bits.append(ax.get_title())
        axis_names = [
            f"{name} {label}"
            for name, label in (("横轴", ax.get_xlabel()), ("纵轴", ax.get_ylabel()))
            if ax.axison and label.strip()
        ]
        if axis_names:
            bits.append("（" + "，".join(axis_names) + "）")
        if bits:
            panels.append("".join(bits))
    if panels:
        parts.append(("子图：" if len(axes) > 1 else "") + "；".join(panels))
    if not parts:
        return "图（没有标题）"
    text = "。".join(parts)
    return _clip(text if text.startswith("图") else "图：" + text)


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("不是 PNG 数据")
    return struct.unpack(">II", data[16:24])


def figure_png(fig, *, scale: int = 2):
    """把图存成 ``scale`` 倍像素的 PNG，返回 ``(png 字节, 元数据)``；空图返回 ``None``。"""
    import io

    scale = check_int("scale", scale, minimum=1)
    if not fig.axes and not fig.texts and not fig.images:
        return None
    buffer = io.BytesIO()
    fig.canvas.print_figure(
        buffer, format="png", dpi=fig.dpi * scale, bbox_inches="tight", facecolor=fig.get_facecolor()
    )
    data = buffer.getvalue()
    width, height = _png_size(data)
    texts = figure_texts(fig)  # 存图时已经画过一遍，刻度标签都已确定
    sizes = [t.get_fontsize() for t, _ in texts]
    labels = [t.get_fontsize() for t, kind in texts if kind == "label"]
    info = {
        "width_in": round(width / scale / fig.dpi, 3),
        "min_text_pt": min(sizes) if sizes else None,
        "min_label_pt": min(labels) if labels else None,
        "alt": describe(fig),
    }
    return data, {"width": width // scale, "height": height // scale, "dlbook": info}


def use_book_figures(shell=None) -> bool:
    """让 IPython 用 :func:`figure_png` 显示 matplotlib 的图；不在 IPython 里时什么也不做，返回 False。"""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # 内联后端在第一次建图时才载入，载入时会重设图的显示格式；先建一张空图让它载入，再换上我们的格式
    plt.close(plt.figure())
    formatters = shell.display_formatter.formatters
    for mime in ("image/svg+xml", "image/jpeg", "application/pdf"):
        formatters[mime].pop(Figure, None)
    formatters["image/png"].for_type(Figure, figure_png)
    return True
