"""pytest 插件：nbval 执行笔记本时，任何写到 stderr 的输出都算失败。

用法：``python -m pytest --nbval-lax -p tests.nbval_guard notebooks``。

nbval 的 ``--nbval-lax`` 只在单元格抛异常时报错；而 TensorFlow 的 C++ 日志、
matplotlib 的 “Glyph … missing from font” 警告、Keras 的 UserWarning 都只是
stderr 输出，会原样出现在网站上。这里把它们统统变成测试失败，并把内容打印出来。
"""

from __future__ import annotations

import pytest


def stderr_texts(outputs) -> list[str]:
    """从 nbval 收集到的单元格输出里取出 stderr 文本。"""
    texts = []
    for out in outputs or []:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
            texts.append("".join(text) if isinstance(text, list) else text)
    return [t for t in texts if t.strip()]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    texts = stderr_texts(getattr(item, "test_outputs", None))
    if texts:
        joined = "\n".join(texts)
        hint = ""
        if "Glyph" in joined or "findfont" in joined:
            hint = "（中文字体问题：确认 dlbook.setup() 已调用、mplfonts 已安装）"
        pytest.fail(f"单元格向 stderr 输出了内容{hint}：\n{joined}", pytrace=False)
    return result
