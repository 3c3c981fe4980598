"""PDF 版（``make pdf``，XeLaTeX）：每章都在、正文里的 glue 数字是这次运行的值、图嵌进去了、没有缺字。

在 ``make pdf`` 之后运行（``make test-pdf``）。要用 poppler-utils 的 pdftotext / pdfinfo / pdfimages；
``.ci/run`` 会和 TeX 一起装好。
"""

from __future__ import annotations

import ast
import functools
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.bookinfo import GLUE_ROLE, markdown_text

pytestmark = pytest.mark.pdf

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
LATEX = ROOT / "_build" / "latex"
PDF = LATEX / (Path(CONFIG["latex"]["latex_documents"]["targetname"]).stem + ".pdf")
LOG = PDF.with_suffix(".log")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def run(*cmd: str) -> str:
    if shutil.which(cmd[0]) is None:
        pytest.fail(f"找不到 {cmd[0]}：请安装 poppler-utils（.ci/run 会装）")
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def text() -> str:
    assert PDF.exists(), f"没有 {PDF.relative_to(ROOT)}：请先运行 make pdf"
    return re.sub(r"\s+", "", run("pdftotext", "-enc", "UTF-8", str(PDF), "-"))


def title(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    first = next(line for line in markdown_text(nb).splitlines() if line.startswith("# "))
    return first[2:].strip()


def test_pdf_has_pages_and_a_chinese_title():
    info = run("pdfinfo", str(PDF))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages > 300, f"PDF 只有 {pages} 页"
    assert CONFIG["title"] in info


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_is_in_the_pdf(text, path):
    assert re.sub(r"\s+", "", title(path)) in text, f"PDF 里找不到 {title(path)}"


def glued_values(path: Path) -> dict[str, str]:
    """这一章执行结果里 glue 记下的值（text/plain），取自 make test / make book 共用的执行缓存。"""
    values = {}
    for cell in _merged(path).cells:
        for out in cell.get("outputs", []):
            book = out.get("metadata", {}).get("scrapbook", {})
            if book.get("name"):
                # dlbook.glue 把值的 repr 记在带前缀的 MIME 键下（见 dlbook/record.py）
                values[book["name"]] = ast.literal_eval(out["data"][book.get("mime_prefix", "") + "text/plain"])
    return values


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if GLUE_ROLE.search(markdown_text(nbformat.read(p, 4)))], ids=lambda p: p.stem
)
def test_glued_numbers_are_this_runs_values(text, path):
    """正文里的 {glue:text} 在 PDF 里印成这次执行的值（按正文写的格式）。"""
    values = glued_values(path)
    missing = []
    for role in GLUE_ROLE.finditer(markdown_text(nbformat.read(path, as_version=4))):
        name, _, spec = role.group(0).split("`")[1].partition(":")  # `名字:格式`
        shown = format(values[name], spec)
        if re.sub(r"\s+", "", shown) not in text:
            missing.append((name, shown))
    assert not missing, f"{path.stem}：这些 glue 值不在 PDF 里：{missing}"


def test_figures_are_embedded():
    """执行结果里的每张图都嵌进了 PDF（pdfimages 数到的图片不少于笔记本里的 PNG 输出）。"""
    listed = run("pdfimages", "-list", str(PDF)).splitlines()[2:]
    images = [line for line in listed if line.split()[2] == "image"]
    figures = 0
    for path in NOTEBOOKS:
        try:
            figures += sum(
                1
                for cell in _merged(path).cells
                for out in cell.get("outputs", [])
                if "image/png" in out.get("data", {})
            )
        except KeyError:
            pytest.fail(f"{path.stem} 没有执行结果：请先运行 make test-notebooks 或 make book")
    assert figures > 50
    assert len(images) >= figures, f"PDF 里有 {len(images)} 张图，笔记本输出了 {figures} 张"


@functools.cache
def _merged(path: Path):
    """源笔记本与执行缓存里的结果合并（每个笔记本只读一次，几个测试共用）。"""
    from jupyter_cache import get_cache

    from tools.cachekey import cache_dir

    cache = get_cache(str(cache_dir(ROOT / "_build" / ".jupyter_cache")))
    return cache.merge_match_into_notebook(nbformat.read(path, as_version=4))[1]


def test_latex_log_has_no_missing_characters():
    log = LOG.read_text(encoding="utf-8", errors="replace")
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not missing, f"PDF 里缺这些字：{missing}"
    assert "LaTeX Error" not in log
