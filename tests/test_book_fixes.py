"""book/_ext/book_fixes.py 里不依赖 Sphinx 的几个函数：图的替代文字与元数据、界面翻译、去掉 Thebe。"""

from __future__ import annotations

import base64
import hashlib
import sys

from tests.bookinfo import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_fixes  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DIGEST = hashlib.sha256(PNG).hexdigest()


def _notebook(meta):
    output = {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(PNG).decode(), "text/plain": "<Figure>"},
        "metadata": {"image/png": {"width": 640, "height": 300, "dlbook": meta}},
    }
    return {"cells": [{"cell_type": "code", "source": "", "outputs": [output], "metadata": {}}]}


def test_figure_info_finds_metadata_by_image_hash():
    meta = {"width_in": 6.4, "min_text_pt": 10, "min_label_pt": 11, "alt": "图：损失曲线"}
    assert book_fixes.figure_info([_notebook(meta)]) == {DIGEST: meta}


def test_annotate_figures_writes_alt_and_data_attributes():
    html = f'<p><img alt="../_images/{DIGEST}.png" src="../_images/{DIGEST}.png" /></p>'
    meta = {"width_in": 6.4, "min_text_pt": 10.0, "min_label_pt": None, "alt": '图：$\\lambda$ 与 "损失"'}
    out = book_fixes.annotate_figures(html, {DIGEST: meta})
    assert 'alt="图：lambda 与 &quot;损失&quot;"' in out
    assert 'data-width-in="6.4"' in out and 'data-min-text-pt="10.0"' in out
    assert "data-min-label-pt" not in out  # 没有坐标轴标签的图不写这一项


def test_annotate_figures_keeps_hand_written_alt_and_unknown_images():
    html = f'<img alt="手写的说明" src="../_images/{DIGEST}.png" /><img alt="x" src="logo.png" />'
    out = book_fixes.annotate_figures(html, {DIGEST: {"width_in": 5, "alt": "自动生成"}})
    assert 'alt="手写的说明" data-width-in="5"' in out and "自动生成" not in out
    assert '<img alt="x" src="logo.png" />' in out


def test_plain_alt_removes_mathtext_and_names_subplots():
    assert book_fixes.plain_alt("激活函数 $f(z)$ 与 $\\|z\\|^2$") == "激活函数 f(z) 与 |z|^2"
    assert book_fixes.plain_alt("图：子图：早期融合；晚期融合") == "图（几幅子图）：早期融合；晚期融合"


def test_translate_interface_removes_thebe_config_and_labels_downloads():
    html = (
        '<span class="btn__text-container">.ipynb</span>'
        '\n    <script type="text/x-thebe-config">\n    { binderOptions: {repo: "binder-examples/x"} }\n    </script>'
        "\n    <script>kernelName = 'python3'</script>"
    )
    out = book_fixes.translate_interface(html)
    assert "thebe" not in out and "binder" not in out and "kernelName" not in out
    assert ".ipynb（含运行结果）" in out
