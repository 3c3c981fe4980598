"""各章共用的画图助手。每个函数都返回 matplotlib 的 ``Figure``。

在笔记本里写 ``fig = show_images(...)``（赋值，避免同一张图显示两次）。
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["show_images", "plot_history", "plot_confusion_matrix", "confusion_matrix"]

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
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols 必须是正整数，收到 {ncols!r}")

    ncols = min(ncols, n)
    nrows = -(-n // ncols)
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
                ax.set_title(str(labels[i]), fontsize=9)
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

    fig, axes = plt.subplots(1, len(metrics), figsize=(4.6 * len(metrics), 3.4), squeeze=False)
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
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
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
                fontsize=8,
                color="white" if matrix[i, j] > threshold else "black",
            )
    fig.tight_layout()
    return fig
