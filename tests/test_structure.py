"""书的结构测试：目录与文件一致、章节模板齐全、笔记本干净、链接与 _config.yml 一致。

所有章节测试都按 _toc.yml 参数化：新增一章只需把它写进目录，不用改测试。
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests import bench
from tests.bookinfo import (
    CONFIG,
    ROOT,
    chapter_entries,
    colab_url,
    glossary_rows,
    load_notebook,
    markdown_text,
    notebook_entries,
    repo_slug,
    repo_url,
    solution_code,
    source_of,
    stated_runtime,
    toc_files,
)
from tests.bookinfo import (
    exercises as book_exercises,
)

CHAPTERS = chapter_entries()
NOTEBOOKS = notebook_entries()


def code_cells(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


# ---------------------------------------------------------------- 目录 ↔ 文件


def test_toc_has_chapters():
    assert CHAPTERS, "_toc.yml 里至少要有一章"


@pytest.mark.parametrize("entry", toc_files())
def test_toc_entry_exists(entry):
    source_of(entry)  # 不存在时抛 FileNotFoundError


def test_every_notebook_is_in_toc():
    on_disk = {f"notebooks/{p.stem}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    missing = on_disk - set(NOTEBOOKS)
    assert not missing, f"这些笔记本不在 _toc.yml 里，不会被构建：{sorted(missing)}"


def test_every_book_page_is_in_toc():
    on_disk = {f"book/{p.stem}" for p in (ROOT / "book").glob("*.md")}
    missing = on_disk - set(toc_files())
    assert not missing, f"这些页面不在 _toc.yml 里：{sorted(missing)}"


def test_toc_has_no_duplicates():
    files = toc_files()
    assert len(files) == len(set(files))


def test_chapter_numbers_are_unique():
    numbers = [Path(e).name[:2] for e in CHAPTERS]
    assert len(numbers) == len(set(numbers))


# ---------------------------------------------------------------- 配置


def test_config_core_settings():
    sphinx = CONFIG["sphinx"]["config"]
    assert CONFIG["title"] == "深度学习模型图鉴"
    assert sphinx["language"] == "zh_CN"
    assert sphinx["html_search_language"] == "zh"
    assert CONFIG["only_build_toc_files"] is True
    assert CONFIG["execute"]["execute_notebooks"] == "cache"
    assert CONFIG["repository"]["branch"] == "main"
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert "sphinx_exercise" in CONFIG["sphinx"]["extra_extensions"]
    for ext in ("dollarmath", "amsmath", "colon_fence"):
        assert ext in CONFIG["parse"]["myst_enable_extensions"]
    for bib in CONFIG["bibtex_bibfiles"]:
        assert (ROOT / bib).is_file()


def test_execution_timeout_fits_budget():
    # 每章预算 90 秒；超时留足余量，但不能让一个卡死的笔记本拖垮 CI
    assert 90 <= CONFIG["execute"]["timeout"] <= 600


def test_repository_url_lives_only_in_config():
    """仓库地址只在 _config.yml 里写死；其他文件里出现的必须与它一致。"""
    url = repo_url()
    pattern = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")
    for path in [
        ROOT / "README.md",
        *(ROOT / "book").glob("*.md"),
        *(ROOT / "notebooks").glob("*.ipynb"),
    ]:
        for found in pattern.findall(path.read_text(encoding="utf-8")):
            assert found == url, f"{path.name} 里的仓库地址 {found} 与 _config.yml 的 {url} 不一致"
        for org, repo in re.findall(r"https://([\w-]+)\.github\.io/([\w.-]+)", path.read_text(encoding="utf-8")):
            assert f"{org}/{repo}" == repo_slug(), f"{path.name} 里的 Pages 地址与 _config.yml 的仓库不一致"


def test_requirements_are_exact_pins():
    lines = [
        line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    lines = [line for line in lines if line]
    assert "-e ." in lines
    pins = [line for line in lines if line != "-e ."]
    loose = [line for line in pins if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line)]
    assert not loose, f"requirements.txt 只允许 == 精确版本：{loose}"
    names = {p.split("==")[0].lower(): p.split("==")[1] for p in pins}
    assert names["jupyter-book"] == "1.0.4.post1"
    assert names["tensorflow"].startswith("2.21.")
    for needed in (
        "nbval",
        "pytest",
        "jieba",
        "sphinx-exercise",
        "sphinxcontrib-bibtex",
        "mlxtend",
    ):
        assert needed in names, f"requirements.txt 缺少 {needed}"


# ---------------------------------------------------------------- 笔记本


@pytest.mark.parametrize("entry", NOTEBOOKS)
def test_notebook_outputs_stripped(entry):
    nb = load_notebook(entry)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell["outputs"], f"{entry} 第 {i} 个单元仍有输出，请清除后再提交"
            assert cell["execution_count"] is None, f"{entry} 第 {i} 个单元有 execution_count"


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


BOOK_PAGES = [p.relative_to(ROOT).as_posix() for p in (ROOT / "book").glob("*.md")]
TEXT_FILES = [*(f"{e}.ipynb" for e in NOTEBOOKS), *BOOK_PAGES]


@pytest.mark.parametrize("path", sorted(TEXT_FILES))
def test_no_control_characters(path):
    """不可见的控制字符（如 JSON 里的 \\f 吃掉了 \\frac 的 \\f）在网页上只会变成错误；代码里请写转义序列。"""
    if path.endswith(".ipynb"):
        sources = ["".join(c["source"]) for c in load_notebook(path.removesuffix(".ipynb"))["cells"]]
    else:
        sources = [(ROOT / path).read_text(encoding="utf-8")]
    for source in sources:
        match = CONTROL_CHARS.search(source)
        where = source[max(0, match.start() - 30) : match.end() + 10] if match else ""
        assert not match, f"{path} 里有控制字符 {match.group(0)!r}：…{where!r}…"


@pytest.mark.parametrize("entry", NOTEBOOKS)
def test_notebook_canonical_json(entry):
    text = (ROOT / f"{entry}.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    assert text == nbformat.writes(nb) + "\n", f"{entry} 不是规范的 JSON（用 Jupyter 或 nbformat 保存）"


# ---------------------------------------------------------------- 章节模板


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_title(entry):
    nb = load_notebook(entry)
    first = "".join(nb["cells"][0]["source"]).splitlines()[0]
    number = int(Path(entry).name[:2])
    assert re.fullmatch(rf"# 第{number}章 \S.*（.+）", first), f"标题应为 '# 第{number}章 中文名（English）'：{first}"


REQUIRED_SECTIONS = ["本章目标", "预计运行时间", "对应原文", "环境配置", "小结", "练习", "参考文献"]


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_template_sections(entry):
    text = markdown_text(load_notebook(entry))
    missing = [s for s in REQUIRED_SECTIONS if s not in text]
    assert not missing, f"{entry} 缺少模板要求的部分：{missing}"
    for heading in ("环境配置", "小结", "练习", "参考文献"):
        assert re.search(rf"^## .*{heading}", text, re.M), f"{entry} 缺少二级标题“{heading}”"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_runtime_is_stated_and_within_budget(entry):
    stated = stated_runtime(load_notebook(entry))
    assert stated is not None, f"{entry} 应写明“预计运行时间：约 N 秒”"
    assert stated <= 90


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_has_asserts(entry):
    asserts = sum(len(re.findall(r"^\s*assert\b", c, re.M)) for c in code_cells(load_notebook(entry)))
    assert asserts >= 3, f"{entry} 只有 {asserts} 个 assert；每章的结论都应有检查"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_badges_match_config(entry):
    first = "".join(load_notebook(entry)["cells"][0]["source"])
    assert f"({colab_url(entry)})" in first, f"{entry} 的 Colab 徽章应链接到 {colab_url(entry)}"
    github = f"{repo_url()}/blob/{CONFIG['repository']['branch']}/{entry}.ipynb"
    assert f"({github})" in first, f"{entry} 的 GitHub 徽章应链接到 {github}"


@pytest.mark.parametrize("path", sorted(TEXT_FILES))
def test_no_images_from_outside(path):
    """断网的机房里，站外图片（徽章等）只会显示成破图：页面上的图片都得随书发布。"""
    if path.endswith(".ipynb"):
        text = markdown_text(load_notebook(path.removesuffix(".ipynb")))
    else:
        text = (ROOT / path).read_text(encoding="utf-8")
    outside = re.findall(r"!\[[^\]]*\]\((https?://[^)]+)\)|<img[^>]+src=[\"'](https?://[^\"']+)", text)
    assert not outside, f"{path} 引用了站外图片：{outside}"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_setup_cells(entry):
    cells = code_cells(load_notebook(entry))
    install = next((c for c in cells if "%pip install" in c), None)
    assert install, f"{entry} 缺少 Colab 安装单元"
    assert '"google.colab" in sys.modules' in install, "安装只能在 Colab 中执行"
    assert f"git+{repo_url()}" in install, "安装单元应从 _config.yml 的仓库地址安装 dlbook"
    assert "tensorflow" not in install.lower(), "Colab 已预装 TensorFlow，不要重装"
    joined = "\n".join(cells)
    setup_at = joined.find("dlbook.setup(")
    tf_at = re.search(r"^\s*(import tensorflow|import keras|from keras|from tensorflow)", joined, re.M)
    assert setup_at >= 0, f"{entry} 没有调用 dlbook.setup()"
    assert tf_at and setup_at < tf_at.start(), "dlbook.setup() 必须在导入 TensorFlow/Keras 之前"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_exercises_have_dropdown_solutions(entry):
    text = markdown_text(load_notebook(entry))
    labels = re.findall(r":::\{exercise\}\s*\n:label: (\S+)", text)
    assert len(labels) >= 3, f"{entry} 至少要有 3 道练习，现有 {len(labels)}"
    for label in labels:
        sol = re.search(rf":::\{{solution\}} {re.escape(label)}\s*\n:class: dropdown", text)
        assert sol, f"练习 {label} 缺少折叠的答案（solution + :class: dropdown）"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_exercises_are_referenced_by_label(entry):
    """网站按全书顺序给练习编号（第3章的练习是 9–12 号），正文里手写“练习 3”就对不上：要写 {ref}`标签`。"""
    text = markdown_text(load_notebook(entry))
    typed = re.findall(r".{0,20}练习\s*\d+.{0,10}", text)
    assert not typed, f"{entry} 里手写了练习编号，请改成 {{ref}}`ex-…`：{typed}"
    labels = set(re.findall(r":::\{exercise\}\s*\n:label: (\S+)", text))
    for label in re.findall(r"\{ref\}`(ex-[\w-]+)`", text):
        assert label in labels, f"{entry} 引用了不存在的练习 {label}"


EXERCISE_KINDS = ("理解", "编程", "探索")
# 题目开头写“（类型 · 难度）”（bookinfo.EXERCISE_RE）：★ 基础（一二十分钟）、★★ 进阶（约一小时）、
# ★★★ 挑战（几小时），与教师指南“练习怎么用”一节的说明一致


def exercises(entry: str) -> dict[str, str]:
    """{练习标签: 类型}，类型取自题目开头的（理解 · ★）/（编程 · ★★）/（探索 · ★★★）。"""
    return {label: kind for label, kind, _, _ in book_exercises(load_notebook(entry))}


def difficulties(entry: str) -> dict[str, int]:
    """{练习标签: 难度 1–3}，即题目开头的星数。"""
    return {label: level for label, _, level, _ in book_exercises(load_notebook(entry))}


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_exercises_mix_kinds(entry):
    kinds = exercises(entry)
    n_exercises = len(re.findall(r":::\{exercise\}", markdown_text(load_notebook(entry))))
    assert len(kinds) == n_exercises, "每道练习都要在开头标明类型与难度，如（编程 · ★★）"
    assert set(kinds.values()) <= set(EXERCISE_KINDS), kinds
    assert set(kinds.values()) == set(EXERCISE_KINDS), f"{entry} 的练习应有理解、编程、探索三类：{kinds}"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_exercises_span_difficulties(entry):
    """每章至少有一道 ★ 基础题，★★★ 挑战题不超过两道。"""
    levels = list(difficulties(entry).values())
    assert 1 in levels, f"{entry} 没有 ★ 基础题：{difficulties(entry)}"
    assert levels.count(3) <= 2, f"{entry} 的 ★★★ 挑战题多于两道：{difficulties(entry)}"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_coding_solutions_have_runnable_code(entry):
    """（编程）题的答案必须给出 ```python 代码；nbval_guard 会在本章执行完后运行它们。"""
    with_code = {label for label, _ in solution_code(load_notebook(entry))}
    missing = [label for label, kind in exercises(entry).items() if kind == "编程" and label not in with_code]
    assert not missing, f"这些编程题的答案里没有可运行的 ```python 代码：{missing}"


# ---------------------------------------------------------------- 附录 B：运行时间


RUNTIME = bench.read_table()


def test_runtime_table_covers_every_notebook():
    assert set(RUNTIME) == set(NOTEBOOKS), "book/runtime.md 与目录里的笔记本不一致：请运行 `make bench`"
    assert set(bench.HEADLINES) == {Path(e).name for e in NOTEBOOKS}, "tests/bench.py 的 HEADLINES 要覆盖每个笔记本"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_stated_runtime_matches_bench(entry):
    """每章写的“预计运行时间”与附录 B 的实测中位数相差不超过 max(10 秒, 20%)。"""
    stated = stated_runtime(load_notebook(entry))
    measured = RUNTIME[entry]["median"]
    assert bench.runtime_agrees(stated, measured), f"{entry} 写的是约 {stated} 秒，make bench 实测中位数 {measured} 秒"
    assert RUNTIME[entry]["max"] <= 90, f"{entry} 最慢的一遍超过了 90 秒预算"
    assert RUNTIME[entry]["rss_mb"] <= 3072, f"{entry} 峰值内存超过 3 GB"


def test_whole_book_runs_in_twenty_minutes():
    total = sum(row["median"] for row in RUNTIME.values())
    assert total <= 20 * 60, f"全书执行一遍要 {total / 60:.1f} 分钟，超过 20 分钟"


def test_teaching_guide_covers_every_chapter():
    text = (ROOT / "book/teaching.md").read_text(encoding="utf-8")
    for entry in NOTEBOOKS:
        assert f"(../{entry}.ipynb)" in text, f"教师指南的课程安排里没有 {entry}"
    homework = re.findall(r"\{ref\}`(ex-[\w-]+)`", text)
    coding = {label for entry in CHAPTERS for label, kind in exercises(entry).items() if kind == "编程"}
    assert homework and set(homework) <= coding, "作业表只列编程题（答案代码经过测试）"


def bib_keys() -> set[str]:
    keys = set()
    for bib in CONFIG["bibtex_bibfiles"]:
        keys |= set(re.findall(r"^@\w+\{([^,]+),", (ROOT / bib).read_text(encoding="utf-8"), re.M))
    return keys


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_citations_resolve(entry):
    cited = re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", markdown_text(load_notebook(entry)))
    assert cited, f"{entry} 没有引用任何文献"
    keys = {k.strip() for group in cited for k in group.split(",")}
    unknown = keys - bib_keys()
    assert not unknown, f"references.bib 里没有这些条目：{sorted(unknown)}"


def test_bib_keys_unique():
    text = "\n".join((ROOT / b).read_text(encoding="utf-8") for b in CONFIG["bibtex_bibfiles"])
    keys = re.findall(r"^@\w+\{([^,]+),", text, re.M)
    assert len(keys) == len(set(keys))


def test_glossary_rows_are_well_formed():
    rows = glossary_rows()
    assert len(rows) >= 10
    for row in rows:
        assert row.count("|") == 5, f"术语表行格式不对：{row}"
        first = row.strip().strip("|").split("|")[-1].strip()
        match = re.fullmatch(r"\[第(\d+)章\]\(\.\./(notebooks/(\d{2})_\w+)\.ipynb\)", first)
        assert match, f"“首见”一栏应是指向该章的链接 [第N章](../notebooks/NN_slug.ipynb)：{row}"
        assert int(match.group(1)) == int(match.group(3)) and match.group(2) in CHAPTERS, row


def test_notebook_json_has_kernelspec():
    for entry in NOTEBOOKS:
        meta = load_notebook(entry)["metadata"]
        assert meta["kernelspec"]["name"] == "python3", entry


@pytest.mark.parametrize("entry", CHAPTERS)
def test_figure_sizes_fit_the_column(entry):
    """写死的图宽不超过 dlbook.MAX_WIDTH_IN、字号不小于 10 磅（网站测试再在浏览器里量实际显示的字号）。"""
    from dlbook.figures import MAX_WIDTH_IN

    source = "\n".join(code_cells(load_notebook(entry)))
    wide = [w for w in re.findall(r"figsize=\(\s*([0-9.]+)\s*,", source) if float(w) > MAX_WIDTH_IN]
    small = [s for s in re.findall(r"fontsize=([0-9.]+)", source) if float(s) < 10]
    assert not wide, f"{entry} 有图宽 {wide} 英寸，超过 {MAX_WIDTH_IN}"
    assert not small, f"{entry} 有 {small} 磅的字，小于 10 磅"


def test_published_pdf_is_the_one_make_pdf_builds():
    """make pdf 的产物名（_config.yml 的 latex.latex_documents.targetname）、发布流程复制的文件和页脚链接一致。"""
    pdf = Path(CONFIG["latex"]["latex_documents"]["targetname"]).with_suffix(".pdf").name
    workflow = (ROOT / ".github/workflows/book.yml").read_text(encoding="utf-8")
    assert f"cp _build/latex/{pdf} _build/html/{pdf}" in workflow
    assert f'/{pdf}">PDF 版</a>' in CONFIG["html"]["extra_footer"]
    assert CONFIG["latex"]["latex_engine"] == "xelatex", "中文要用 XeLaTeX（xeCJK）"
