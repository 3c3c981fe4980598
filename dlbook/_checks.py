"""dlbook 各函数共用的参数检查：出错时说清楚哪个参数、要什么、收到了什么。"""

from __future__ import annotations

import numbers


def check_int(name: str, value, *, minimum: int | None = None, even: bool = False) -> int:
    """``value`` 必须是整数（NumPy 的整数也算，布尔值不算），不小于 ``minimum``；返回 Python ``int``。"""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} 必须是整数，收到 {value!r}（{type(value).__name__}）")
    value = int(value)
    if minimum is not None and value < minimum:
        what = "非负整数" if minimum == 0 else "正整数" if minimum == 1 else f"不小于 {minimum} 的整数"
        raise ValueError(f"{name} 必须是{what}，收到 {value}")
    if even and value % 2:
        raise ValueError(f"{name} 必须是偶数，收到 {value}")
    return value
