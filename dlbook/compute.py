"""数一个 Keras 模型每个样本前向传播要做多少次乘加（MAC）。

几章都要比较“哪个模型算得更少”。比秒表不可靠（同一台机器上也随负载波动，换一台机器结论可能反过来），
乘加次数是模型结构决定的，在哪儿算都一样。只数占计算大头的 Dense 与卷积层
（Conv1D、Conv2D、DepthwiseConv2D、Conv2DTranspose）；池化、激活、归一化等逐元素运算不计。
"""

from __future__ import annotations

import math

__all__ = ["forward_macs"]


def _layer_macs(layer) -> int:
    """一层的乘加次数：核里每个权重在每个位置各用一次。"""
    from keras import layers

    kernel = math.prod(layer.kernel.shape) if hasattr(layer, "kernel") else 0
    if isinstance(layer, layers.Conv2DTranspose):
        # 转置卷积：每个输入位置把整个核“盖”到输出上一次
        return kernel * math.prod(layer.input.shape[1:-1])
    # Dense（对最后一维，前面每个位置各算一次）、Conv1D/Conv2D（分组时核已按组变小）、
    # DepthwiseConv2D：核的每个权重在每个输出位置各用一次
    return kernel * math.prod(layer.output.shape[1:-1])


def forward_macs(model) -> int:
    """每个样本前向传播的乘加次数。嵌套的子模型会递归展开。

    模型必须已经建好（有 ``Input``，或调用过一次）；遇到带权重但这里不认识的层会报错，
    而不是悄悄少数。
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"forward_macs 需要一个 keras.Model，收到 {type(model).__name__}")
    if not model.built:
        raise ValueError(f"模型 {model.name!r} 还没有建好：先给它一个 keras.Input，或用一批数据调用一次")
    known = (
        keras.layers.Dense,
        keras.layers.Conv1D,
        keras.layers.Conv2D,
        keras.layers.DepthwiseConv2D,
        keras.layers.Conv2DTranspose,
        keras.layers.BatchNormalization,
        keras.layers.LayerNormalization,
    )
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += forward_macs(layer)
        elif isinstance(layer, known):
            total += _layer_macs(layer)
        elif layer.weights:
            raise ValueError(f"forward_macs 不认识带权重的层 {layer.name!r}（{type(layer).__name__}），无法计数")
    return int(total)
