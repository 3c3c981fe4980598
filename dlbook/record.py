"""把笔记本里算出的数交给正文：与 myst-nb 的 ``glue`` 兼容，但不依赖 myst-nb。

正文（Markdown 单元格）里写 ``{glue:text}`名字:.3f```，构建网站时 myst-nb 会换成这个单元格
最近一次运行算出的值，所以页面上的结果数字永远来自代码，不会在改了代码、数据或库版本之后“过期”。

为什么不直接 ``from myst_nb import glue``：Colab 和读者自己的 Jupyter 里没有装 myst-nb。
:func:`glue` 输出与 myst-nb 相同格式的记录，另外附一行 ``text/plain``，让在 Jupyter/Colab 里
运行的读者在单元格下方看到这个值（正文里的 ``{glue:text}`名字``` 在那里不会被替换）；
网站上这一行不显示（myst-nb 把整条记录从输出里取走）。
"""

from __future__ import annotations

import math
import numbers
import re

#: myst-nb 识别“不显示、只记录”的输出时看的 MIME 前缀（``myst_nb.ext.glue.GLUE_PREFIX``）。
GLUE_PREFIX = "application/papermill.record/"

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _plain(value):
    """把可以写进正文的值变成 Python 的 int / float / str；其他类型报错。"""
    if hasattr(value, "ndim") and getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()  # NumPy 标量、0 维数组、0 维张量的 .numpy() 结果
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"glue 的值必须是有限的数，收到 {value!r}：先检查算出它的代码")
        return value
    raise TypeError(
        f"glue 只接受数字或字符串（正文里要写成文字的值），收到 {type(value).__name__}；"
        "数组请先取出要写进正文的那个数，例如 float(x.mean())"
    )


def glue(name: str, value):
    """记下 ``value``，供正文用 ``{glue:text}`name``` 引用。

    不返回值（返回 ``None``）：单元格常以 ``glue(...)`` 结尾，若返回数值，Jupyter 会把它当作
    单元格的结果再显示一遍，网站上就多出一行裸露的数字。

    Parameters
    ----------
    name:
        本章内唯一的名字，只能由字母、数字和下划线组成、不能以数字开头。
    value:
        数字（含 NumPy 标量）或字符串。NaN 和无穷大会报错。

    Examples
    --------
    >>> glue("cnn_acc", 0.9731)    # 正文：测试准确率 {glue:text}`cnn_acc:.3f`
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"glue 的名字必须由字母、数字和下划线组成、不以数字开头，收到 {name!r}")
    value = _plain(value)
    from IPython.display import display

    record = {
        GLUE_PREFIX + "text/plain": repr(value),
        # Jupyter / Colab 里读者看到的一行；myst-nb 把这条输出整条取走，网站上不显示
        "text/plain": f"[正文引用] {name} = {value:.4g}"
        if isinstance(value, float)
        else f"[正文引用] {name} = {value}",
    }
    display(record, raw=True, metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})
