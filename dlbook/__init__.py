"""dlbook —《深度学习模型图鉴》的小工具包。

只放各章都会重复的东西：环境设置（:func:`setup`）、离线数据（:mod:`dlbook.data`）
和画图助手（:mod:`dlbook.plot`）。模型本身写在各章笔记本里，读者看得见。

注意：``import dlbook`` 不会导入 TensorFlow。必须先调用 :func:`setup`，再
``import keras`` / ``import tensorflow``，这样 TensorFlow 的 C++ 日志才能被关掉。
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import warnings

from dlbook.fonts import configure_chinese_font

__all__ = ["setup", "configure_chinese_font", "quiet_stderr", "TF_ENV"]
__version__ = "0.1.0"

#: 在 TensorFlow 导入之前必须设置的环境变量（两者缺一不可）。
TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
    "legend.frameon": False,
}


@contextlib.contextmanager
def quiet_stderr():
    """在文件描述符层面暂时关掉 stderr（用法：``with dlbook.quiet_stderr(): ...``）。

    C++ 代码直接往 fd 2 写的日志不受 Python 日志设置控制。例如 TensorFlow 2.21
    在导入时写的 ``cudart_stub.cc … Could not find cuda drivers``（出现在
    absl::InitializeLog() 之前，不受 ``TF_CPP_MIN_LOG_LEVEL`` 控制），以及 TFLite
    转换器、解释器的大量日志；在 Jupyter 里它们会变成单元格下方的红色输出。
    Python 异常不经过 fd 2，照常抛出。
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # 没有真实的 fd 2（少见的嵌入式环境）
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def setup(seed: int = 42, *, deterministic: bool = True, quiet: bool = False) -> dict:
    """每章开头调用一次：安静的 TensorFlow、固定的随机种子、能显示中文的图。

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
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed 必须是非负整数，收到 {seed!r}")

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
    font = configure_chinese_font()

    info = {
        "seed": seed,
        "font": font,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    if not quiet:
        print(f"TensorFlow {info['tensorflow']} · Keras {info['keras']} · 中文字体 {font} · 随机种子 {seed}")
    return info
