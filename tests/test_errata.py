"""附录 A（notebooks/A_errata.ipynb）的结构测试：不执行笔记本，只核对它与原文一一对应。

- 每篇文章的 ``snippet`` 单元格与清单 tests/data/article_snippets.json 逐字一致、数目相同、顺序相同；
- 一览表每个片段一行，“原样运行”一栏报错当且仅当单元格带 ``raises-exception`` 标签；
- 原文（../shared/seeds）存在时，清单与重新切出的片段一致；
- 修正代码（非片段的代码单元）通过 ruff，且不定义原文里缺的名字（免得替原文“补漏”）；
- ``tests.snippets.extract_snippets`` 的单元测试。
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.bookinfo import ERRATA_TABLE_HEADER, ROOT, errata_table_rows
from tests.snippets import build_manifest, extract_snippets, is_code_line, load_manifest
from tools.colab_env import parse_cell

NOTEBOOK = ROOT / "notebooks" / "A_errata.ipynb"
SEED_DIRS = [Path("/work/shared/seeds"), ROOT.parent / "shared" / "seeds"]

# 原文用到却没有定义（或没有导入）的名字：修正代码不许在全局定义它们
ARTICLE_MISSING_NAMES = {
    "timesteps",
    "features",
    "vocab_size",
    "embedding_dim",
    "max_length",
    "x_train",
    "y_train",
    "num_classes",
    "quantization_config",
    "Model",
    "Embedding",
    "tf",
}


def manifest_articles(manifest: dict) -> list[str]:
    return sorted(k for k in manifest if k != "sha256")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return load_manifest()


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(NOTEBOOK, as_version=4)


def source(cell) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def snippet_cells_by_article(nb) -> dict[str, list]:
    """按 ``## A.k 文章 NNN`` 二级标题把 snippet 单元格分到各篇文章。"""
    groups: dict[str, list] = {}
    article = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^## A\.\d+ 文章 (\d{3})", source(cell), re.M)
            if match:
                article = match.group(1)
        elif "snippet" in tags(cell):
            assert article is not None, "第一个 snippet 单元格之前应有 '## A.1 文章 000' 标题"
            groups.setdefault(article, []).append(cell)
    return groups


def table_rows(nb) -> list[list[str]]:
    rows = errata_table_rows(nb)
    if not rows:
        pytest.fail(f"附录 A 里没有一览表（表头应为 {ERRATA_TABLE_HEADER}）")
    return rows


# ---------------------------------------------------------------- 清单


def test_manifest_has_every_article_and_its_hash(manifest):
    articles = manifest_articles(manifest)
    assert articles == ["000", "001", "002", "003"]
    assert sorted(name.split("_")[0] for name in manifest["sha256"]) == articles
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in manifest["sha256"].values())


def test_manifest_snippet_counts(manifest):
    """细心的读者数出来的片段数：000 的 6 个模型、001 的 7 段、002 的 5 段、003 的 4 段。"""
    assert {a: len(manifest[a]) for a in manifest_articles(manifest)} == {"000": 6, "001": 7, "002": 5, "003": 4}


def test_manifest_matches_seeds(manifest):
    seeds = next((d for d in SEED_DIRS if d.is_dir()), None)
    if seeds is None:
        pytest.skip("没有原文目录 ../shared/seeds（CI 克隆的仓库里没有它）；清单是提交进仓库的快照")
    fresh = build_manifest(seeds)
    assert fresh["sha256"] == manifest["sha256"], "原文变了：请运行 python -m tests.snippets <seeds 目录> 并更新附录 A"
    assert fresh == manifest, "清单与原文重新切出的片段不一致：请运行 python -m tests.snippets <seeds 目录>"


def test_article_000_is_cut_off_inside_the_autoencoder(manifest, nb):
    last = manifest["000"][-1]
    assert last.endswith("x = Conv2") and last.count("MaxPooling2D((2, 2)") > 50
    text = "\n".join(source(c) for c in nb.cells if c.cell_type == "markdown")
    assert "八大模型" in text and "第六个" in text


# ---------------------------------------------------------------- 片段单元格


def test_snippet_cells_equal_manifest(manifest, nb):
    groups = snippet_cells_by_article(nb)
    assert sorted(groups) == manifest_articles(manifest)
    for article in manifest_articles(manifest):
        sources = [source(c) for c in groups[article]]
        assert len(sources) == len(manifest[article]), f"文章 {article} 的片段数与原文不同"
        for i, (got, want) in enumerate(zip(sources, manifest[article]), 1):
            assert got == want, f"文章 {article} 片段 {i} 与原文不是逐字一致"


def test_snippet_cells_are_in_manifest_order(manifest, nb):
    everything = [s for a in manifest_articles(manifest) for s in manifest[a]]
    assert [source(c) for c in nb.cells if "snippet" in tags(c)] == everything


def test_each_snippet_has_its_heading(manifest, nb):
    cells = nb.cells
    numbers = {a: k for k, a in enumerate(manifest_articles(manifest), 1)}
    seen = {a: 0 for a in numbers}
    groups = snippet_cells_by_article(nb)
    for article, group in groups.items():
        for cell in group:
            seen[article] += 1
            before = cells[cells.index(cell) - 1]
            assert before.cell_type == "markdown"
            want = f"### A.{numbers[article]}.{seen[article]} 片段 {seen[article]}："
            assert source(before).startswith(want), f"片段前的标题应以 {want!r} 开头"


def test_cell_metadata(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell_tags = tags(cell)
        assert set(cell_tags) <= {"snippet", "raises-exception"}, cell_tags
        if "raises-exception" in cell_tags or "mystnb" in cell.metadata:
            assert "snippet" in cell_tags, f"只有原文片段可以报错或写 stderr（第 {i} 个单元）"
        if "mystnb" in cell.metadata:
            assert cell.metadata["mystnb"] == {"output_stderr": "show"}


# ---------------------------------------------------------------- 一览表


def test_summary_table_has_one_row_per_snippet(manifest, nb):
    rows = table_rows(nb)
    want = [(a, str(i)) for a in manifest_articles(manifest) for i in range(1, len(manifest[a]) + 1)]
    assert [(r[0], r[1]) for r in rows] == want
    assert all(len(r) == 6 and all(r) for r in rows), "每行 6 栏，都不能空"


def test_summary_table_matches_raises_exception_tags(nb):
    rows = table_rows(nb)
    cells = [c for c in nb.cells if "snippet" in tags(c)]
    assert len(rows) == len(cells)
    for row, cell in zip(rows, cells):
        result = row[3]
        if result == "能运行":
            assert "raises-exception" not in tags(cell), (
                f"文章 {row[0]} 片段 {row[1]} 说能运行，却标了 raises-exception"
            )
            continue
        match = re.fullmatch(r"`(\w+)`", result)
        assert match, f"“原样运行”应为 能运行 或 `异常类名`：{result}"
        error = getattr(builtins, match.group(1), None)
        assert isinstance(error, type) and issubclass(error, BaseException), f"{result} 不是 Python 的异常类"
        assert "raises-exception" in tags(cell), f"文章 {row[0]} 片段 {row[1]} 报 {result}，应标 raises-exception"


# ---------------------------------------------------------------- 修正代码


def corrected_cells(nb) -> list[str]:
    return [source(c) for c in nb.cells if c.cell_type == "code" and "snippet" not in tags(c)]


def test_corrected_code_does_not_fill_in_article_names(nb):
    """修正代码若定义了 timesteps 之类的名字，后面的原文片段就会侥幸跑通，一览表就不真实了。"""
    bound = set()
    for code in corrected_cells(nb):
        tree = parse_cell(code)  # %pip 等魔法行（含反斜杠续行）由 IPython 先改写
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    bound.add(sub.id)
                elif isinstance(sub, ast.alias):
                    bound.add((sub.asname or sub.name).split(".")[0])
    assert not bound & ARTICLE_MISSING_NAMES, f"修正代码定义了原文缺的名字：{sorted(bound & ARTICLE_MISSING_NAMES)}"


def test_corrected_code_passes_ruff(nb, tmp_path):
    pytest.importorskip("ruff")
    cells = [nbformat.v4.new_code_cell(code) for code in corrected_cells(nb)]
    lint_nb = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
    path = tmp_path / "A_errata_corrected.ipynb"
    path.write_text(json.dumps(lint_nb), encoding="utf-8")
    cmd = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--target-version", "py310"]
    cmd += ["--line-length", "120", "--select", "E,F,W,I,B,UP", "--ignore", "E402,E501,B018,B905", str(path)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- extract_snippets 单元测试


def test_extract_single_block_between_prose():
    text = "正文第一段\nimport keras\nmodel = keras.Sequential([\nDense(1)\n])\n下一节的标题"
    assert extract_snippets(text) == ["import keras\nmodel = keras.Sequential([\nDense(1)\n])"]


def test_extract_two_blocks_in_order():
    text = "介绍\nimport a\nx = 1\n2. 第二个模型\n特点:……\nfrom b import c\nc(x)\n"
    assert extract_snippets(text) == ["import a\nx = 1", "from b import c\nc(x)"]


def test_blank_lines_inside_a_block_are_kept_but_not_at_the_ends():
    text = "标题\n\nx = 1\n\n\ny = 2\n\n正文"
    assert extract_snippets(text) == ["x = 1\n\n\ny = 2"]


def test_comments_belong_to_code_but_comment_only_runs_are_not_snippets():
    assert extract_snippets("正文\n# 创建模型\nm = f()\n# 训练\n# ...\n正文") == ["# 创建模型\nm = f()\n# 训练\n# ..."]
    assert extract_snippets("正文\n# 只是一行注释\n正文") == []


def test_chinese_prose_is_never_code():
    for line in [
        "LSTM(长短时记忆网络):通过引入遗忘门",
        "CNN 示例代码",
        "3. Transformer",
        "  • 卷积层:使用卷积核",
        "结论",
        "",
    ]:
        assert not is_code_line(line), line
    for line in ["    layers.Dense(1)", "])", "a, b, c = f(x)", "def build():", "return model", "from x import y"]:
        assert is_code_line(line), line


def test_curly_quote_fence_and_lost_indentation_are_kept_verbatim():
    text = "6. 自编码器\n”`python import tensorflow as tf\nx = Conv2D(16, activation=‘relu’)(x) x = Conv2"
    assert extract_snippets(text) == [
        "”`python import tensorflow as tf\nx = Conv2D(16, activation=‘relu’)(x) x = Conv2"
    ]


def test_text_without_code_has_no_snippets():
    assert extract_snippets("") == []
    assert extract_snippets("只有正文。\n\n还是正文，提到 f(x) 也不算代码。") == []


# ---------------------------------------------------------------- 执行时的核对（tests/nbval_guard.py）


def test_nbval_guard_maps_each_snippet_to_its_table_row(nb):
    from tests.nbval_guard import errata_claims, raised_name

    code = [c for c in nb.cells if c.cell_type == "code"]
    snippets = [n for n, c in enumerate(code) if "snippet" in tags(c)]
    claims = errata_claims(nb)
    assert list(claims) == snippets  # 只有原文片段有结论，按出现顺序
    assert list(claims.values()) == [row[3].strip("`") for row in table_rows(nb)]
    assert errata_claims({"cells": [c for c in nb.cells if c.cell_type == "code"]}) == {}  # 没有一览表
    assert raised_name([{"output_type": "error", "ename": "keras.src.errors.ValueError"}]) == "ValueError"
    assert raised_name([{"output_type": "stream", "name": "stdout", "text": "x"}]) is None
