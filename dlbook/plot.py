"""各章共用的画图助手。每个函数都返回 matplotlib 的 ``Figure``。

在笔记本里写 ``fig = show_images(...)``（赋值，避免同一张图显示两次）。
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from dlbook._checks import check_int
from dlbook.figures import MAX_WIDTH_IN

__all__ = [
    "show_images",
    "show_image_rows",
    "show_kernels",
    "plot_history",
    "plot_confusion_matrix",
    "confusion_matrix",
]

_METRIC_NAMES = {
    "loss": "损失",
    "accuracy": "准确率",
    "mae": "平均绝对误差",
    "mse": "均方误差",
}


def show_images(
    images,
    labels: Sequence | None = None,
    *,
    ncols: int = 10,
    cmap: str = "gray",
    title: str | None = None,
    size: float = 1.2,
):
    """把一批图像画成网格。

    ``images`` 的形状可以是 ``(n, h, w)``、``(n, h, w, 1)`` 或 ``(n, h, w, 3)``；
    ``labels`` 若给出，长度必须等于 ``n``，会写在每张图上方。
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 3):
        raise ValueError(f"images 的形状应为 (n, h, w)、(n, h, w, 1) 或 (n, h, w, 3)，收到 {images.shape}")
    n = len(images)
    if n == 0:
        raise ValueError("images 为空，没有可画的图")
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels 有 {len(labels)} 个，images 有 {n} 张，两者必须一样多")
    ncols = check_int("ncols", ncols, minimum=1)

    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    size = min(size, MAX_WIDTH_IN / ncols)  # 整幅图不超过版心能清楚显示的宽度
    row_height = size + (0.3 if labels is not None else 0)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(size * ncols, row_height * nrows + (0.4 if title else 0)),
        squeeze=False,
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None)
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_image_rows(rows: Mapping[str, object], *, n: int = 10, title: str | None = None, size: float = 1.1):
    """每行一组灰度图（各取前 ``n`` 张），行首写上这一组的名字，适合“原图 / 重构 / 去噪”这类逐行对照。

    ``rows`` 是 ``{行名: 图像}``，每组图像的形状可以是 ``(m, h, w)``、``(m, h, w, 1)``，
    或拉平的 ``(m, h*w)``（此时 ``h*w`` 须是完全平方数）；像素取值应在 ``[0, 1]``。
    """
    if not rows:
        raise ValueError("rows 为空，没有可画的图")
    n = check_int("n", n, minimum=1)
    grids = {}
    for name, images in rows.items():
        images = np.asarray(images)
        if images.ndim == 4 and images.shape[-1] == 1:
            images = images[..., 0]
        elif images.ndim == 2:
            side = int(round(images.shape[1] ** 0.5))
            if side * side != images.shape[1]:
                raise ValueError(f"“{name}”是拉平的图像，但每张 {images.shape[1]} 个像素不是完全平方数")
            images = images.reshape(len(images), side, side)
        if images.ndim != 3:
            raise ValueError(f"“{name}”的形状应为 (m, h, w)、(m, h, w, 1) 或 (m, h*w)，收到 {images.shape}")
        if len(images) < n:
            raise ValueError(f"“{name}”只有 {len(images)} 张图，少于每行要画的 {n} 张")
        grids[name] = images[:n]

    size = min(size, (MAX_WIDTH_IN - 1.2) / n)  # 左边留 1.2 英寸写行名
    fig, axes = plt.subplots(len(grids), n, figsize=(size * n + 1.2, (size + 0.05) * len(grids) + 0.5), squeeze=False)
    for r, (name, images) in enumerate(grids.items()):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_kernels(kernels, *, ncols: int = 8, title: str | None = None):
    """把卷积层的卷积核画成网格：红色为正、蓝色为负，所有核共用一个色标，深浅可以互相比较。

    ``kernels`` 是 Keras 的核权重布局 ``(kh, kw, n)``，或输入只有 1 个通道时的 ``(kh, kw, 1, n)``
    （即 ``layer.get_weights()[0]``）。
    """
    kernels = np.asarray(kernels)
    if kernels.ndim == 4 and kernels.shape[2] == 1:
        kernels = kernels[:, :, 0, :]
    if kernels.ndim != 3:
        raise ValueError(f"kernels 的形状应为 (kh, kw, n) 或 (kh, kw, 1, n)，收到 {kernels.shape}")
    ncols = check_int("ncols", ncols, minimum=1)
    n = kernels.shape[-1]
    if n == 0 or kernels.shape[0] == 0 or kernels.shape[1] == 0:
        raise ValueError(f"kernels 里没有卷积核可画，形状 {kernels.shape}")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    limit = np.abs(kernels).max() or 1.0
    size = min(1.0, MAX_WIDTH_IN / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.1) * nrows + 0.2), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(kernels[:, :, i], cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_title(f"核 {i}", fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _history_dict(history) -> Mapping[str, Sequence[float]]:
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(f"history 应为 keras 的 History 对象或 dict，收到 {type(history).__name__}")
    return data


def plot_history(history, metrics: Sequence[str] = ("loss", "accuracy"), *, title=None):
    """把 ``model.fit`` 返回的训练曲线画出来：每个指标一幅子图，训练集与验证集各一条线。"""
    data = _history_dict(history)
    if isinstance(metrics, str):
        metrics = (metrics,)
    missing = [m for m in metrics if m not in data]
    if missing:
        raise ValueError(f"history 里没有指标 {missing}；可用的有 {sorted(data)}")

    width = min(4.6, MAX_WIDTH_IN / len(metrics))
    fig, axes = plt.subplots(1, len(metrics), figsize=(width * len(metrics), 3.4), squeeze=False)
    for ax, name in zip(axes.flat, metrics):
        epochs = np.arange(1, len(data[name]) + 1)
        ax.plot(epochs, data[name], "o-", label="训练集")
        if f"val_{name}" in data:
            ax.plot(epochs, data[f"val_{name}"], "s--", label="验证集")
        ax.set_xlabel("轮次（epoch）")
        ax.set_ylabel(_METRIC_NAMES.get(name, name))
        ax.set_title(_METRIC_NAMES.get(name, name))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """混淆矩阵：第 i 行第 j 列是“真实为 i、预测为 j”的样本数。"""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true 与 y_pred 必须是等长的一维数组，收到 {y_true.shape} 与 {y_pred.shape}")
    if not (np.issubdtype(y_true.dtype, np.integer) and np.issubdtype(y_pred.dtype, np.integer)):
        raise ValueError("y_true 与 y_pred 必须是整数类别编号（需要时先对概率取 argmax）")
    if y_true.size and min(y_true.min(), y_pred.min()) < 0:
        raise ValueError("类别编号不能为负数")
    largest = int(max(y_true.max(initial=0), y_pred.max(initial=0)))
    if num_classes is None:
        num_classes = largest + 1
    num_classes = check_int("num_classes", num_classes, minimum=1)
    if largest >= num_classes:
        raise ValueError(
            f"类别编号最大是 {largest}，超出了 num_classes={num_classes}（编号应在 0 到 num_classes-1 之间）"
        )
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def plot_confusion_matrix(y_true, y_pred, class_names: Sequence | None = None, *, title=None):
    """画混淆矩阵，并在每个格子里写上样本数。"""
    num_classes = len(class_names) if class_names is not None else None
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    names = list(class_names) if class_names is not None else list(range(len(matrix)))

    fig, ax = plt.subplots(figsize=(0.5 * len(names) + 2.5, 0.5 * len(names) + 2))
    ax.imshow(matrix, cmap="Blues")
    ax.grid(False)
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, [str(n) for n in names])
    ax.set_yticks(ticks, [str(n) for n in names])
    ax.set_xlabel("预测类别")
    ax.set_ylabel("真实类别")
    ax.set_title(title or "混淆矩阵")
    threshold = matrix.max() / 2 if matrix.size else 0
    for i in range(len(names)):
        for j in range(len(names)):
            ax.text(
                j,
                i,
                matrix[i, j],
                ha="center",
                va="center",
                fontsize=10,
                color="white" if matrix[i, j] > threshold else "black",
            )
    fig.tight_layout()
    return fig
