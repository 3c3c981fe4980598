"""dlbook —《深度学习模型图鉴》的小工具包。

只放各章都会重复的东西：环境设置（:func:`setup`）、离线数据（:mod:`dlbook.data`）、
画图助手（:mod:`dlbook.plot`、:mod:`dlbook.figures`）、把结果数字交给正文的 :func:`glue`
（:mod:`dlbook.record`）和模型的乘加次数（:mod:`dlbook.compute`）。模型本身写在各章笔记本里，读者看得见。

注意：``import dlbook`` 不会导入 TensorFlow。必须先调用 :func:`setup`，再
``import keras`` / ``import tensorflow``，这样 TensorFlow 的 C++ 日志才能被关掉。
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import warnings

from dlbook._checks import check_int
from dlbook.figures import MAX_WIDTH_IN, PALETTE, use_book_figures
from dlbook.fonts import configure_chinese_font
from dlbook.record import glue

__all__ = ["setup", "glue", "configure_chinese_font", "quiet_stderr", "TF_ENV", "PALETTE", "MAX_WIDTH_IN"]
__version__ = "0.1.0"

#: 在 TensorFlow 导入之前必须设置的环境变量（两者缺一不可）。
TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

# 字号按网页版心定：宽 MAX_WIDTH_IN 英寸的图缩到版心后，11 磅约 11 像素（见 dlbook.figures）
_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.size": 11,
    "axes.titlesize": 12,
    "figure.titlesize": 13,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
    "legend.frameon": False,
}


@contextlib.contextmanager
def quiet_stderr():
    """在文件描述符层面暂时收起 stderr（用法：``with dlbook.quiet_stderr(): ...``）。

    C++ 代码直接往 fd 2 写的日志不受 Python 日志设置控制。例如 TensorFlow 2.21
    在导入时写的 ``cudart_stub.cc … Could not find cuda drivers``（出现在
    absl::InitializeLog() 之前，不受 ``TF_CPP_MIN_LOG_LEVEL`` 控制），以及 TFLite
    转换器、解释器的大量日志；在 Jupyter 里它们会变成单元格下方的红色输出。

    这段时间里写到 fd 2 的内容先存进一个临时文件：块内正常结束就丢掉；块内抛出异常
    （例如 TensorFlow 导入失败）时，先把存下的内容原样写回 stderr，再让异常照常抛出，
    出错的原因不会被吞掉。
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # 没有真实的 fd 2（少见的嵌入式环境）
        yield
        return
    import tempfile

    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            os.write(2, captured.read())
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def setup(seed: int = 42, *, deterministic: bool = True, quiet: bool = False) -> dict:
    """每章开头调用一次：安静的 TensorFlow、固定的随机种子、能显示中文的图。

    图：双倍像素的内联 PNG、Okabe–Ito 色盲友好配色、按网页版心定的字号（见 :mod:`dlbook.figures`）。

    Parameters
    ----------
    seed:
        Python、NumPy 与 Keras（TensorFlow）共用的随机种子。
    deterministic:
        是否打开 TensorFlow 的算子确定性，让同一台机器上的结果可以复现。
    quiet:
        为 True 时不打印环境摘要。

    Returns
    -------
    dict
        ``{"seed", "font", "tensorflow", "keras"}``，便于在笔记本里核对。
    """
    seed = check_int("seed", seed, minimum=0)

    env_was_set = all(os.environ.get(k) == v for k, v in TF_ENV.items())
    tf_was_loaded = "tensorflow" in sys.modules
    for key, value in TF_ENV.items():
        os.environ[key] = value
    if tf_was_loaded and not env_was_set:
        warnings.warn(
            "TensorFlow 在 dlbook.setup() 之前就被导入了，它的 C++ 日志已无法关闭。"
            "请把 dlbook.setup() 放在 import keras / import tensorflow 之前。",
            stacklevel=2,
        )

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)

    import logging

    with quiet_stderr():
        import keras
        import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()

    import matplotlib as mpl

    mpl.rcParams.update(_STYLE)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=PALETTE)
    font = configure_chinese_font()
    use_book_figures()

    info = {
        "seed": seed,
        "font": font,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    if not quiet:
        print(f"TensorFlow {info['tensorflow']} · Keras {info['keras']} · 中文字体 {font} · 随机种子 {seed}")
    return info
