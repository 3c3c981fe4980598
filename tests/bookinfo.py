"""各测试共用的路径与配置读取：一切都从 _config.yml 与 _toc.yml 推导。"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
HTML = ROOT / "_build" / "html"

#: 浏览器测试接受的 Chromium 可执行文件名（.ci/run 按同一张表查找、缺了才安装）。
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def toc_files() -> list[str]:
    """_toc.yml 里列出的全部文件（不带扩展名），包括根页面。"""
    files = [TOC["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(TOC.get("parts", []))
    walk(TOC.get("chapters", []))
    return files


def glossary_rows() -> list[str]:
    """book/glossary.md 表格里的数据行（不含表头与分隔行），原样返回。"""
    return [
        line
        for line in (ROOT / "book/glossary.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and not line.startswith("| 中文") and not line.startswith("|---")
    ]


def source_of(entry: str) -> Path:
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{entry}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(entry)


CHAPTER_RE = re.compile(r"^(\d{2})_[a-z0-9_]+$")


def chapter_entries() -> list[str]:
    """toc 里的章节笔记本（notebooks/NN_slug），按章号排序。"""
    return sorted(e for e in toc_files() if e.startswith("notebooks/") and CHAPTER_RE.match(Path(e).name))


def notebook_entries() -> list[str]:
    return [e for e in toc_files() if e.startswith("notebooks/")]


def load_notebook(entry: str) -> dict:
    return json.loads((ROOT / f"{entry}.ipynb").read_text(encoding="utf-8"))


def repo_url() -> str:
    return CONFIG["repository"]["url"].rstrip("/")


def repo_slug() -> str:
    """org/repo，由 _config.yml 的仓库地址推导。"""
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", repo_url())
    assert match, f"repository.url 应形如 https://github.com/<org>/<repo>：{repo_url()}"
    return match.group(1)


def colab_url(entry: str) -> str:
    branch = CONFIG["repository"].get("branch", "main")
    return f"https://colab.research.google.com/github/{repo_slug()}/blob/{branch}/{entry}.ipynb"


SOLUTION_RE = re.compile(r"^:::\{solution\} (\S+)\s*\n(.*?)^:::\s*$", re.S | re.M)
PYTHON_BLOCK_RE = re.compile(r"^```python\s*\n(.*?)^```\s*$", re.S | re.M)


def markdown_text(nb: dict) -> str:
    """笔记本里全部 Markdown 单元格的文字（JSON 字典或 nbformat 对象都可以）。"""
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def code_text(nb: dict) -> str:
    """笔记本里全部代码单元格的源码，一个单元格一段。"""
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


#: 练习：``:::{exercise}`` 块，题目以“（类型 · 难度）”开头，如“（编程 · ★★）”。
#: 四组分别是标签、类型（理解 / 编程 / 探索）、难度（1–3 颗 ★）、题目全文（含开头的括号）。
EXERCISE_RE = re.compile(r":::\{exercise\}\s*\n:label: (\S+)\s*\n+(（(\S+?) · (★{1,3})）.*?)\n:::", re.S)


def exercises(nb: dict) -> list[tuple[str, str, int, str]]:
    """本章的练习：[(标签, 类型, 难度 1–3, 题目全文), ...]，按出现顺序；开头没写“（类型 · 难度）”的不算。"""
    return [
        (label, kind, len(stars), body.strip()) for label, body, kind, stars in EXERCISE_RE.findall(markdown_text(nb))
    ]


#: 正文里的 ``{glue:text}`名字:格式``` 角色；第一组是名字。
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([A-Za-z_]\w*)(?::[^`]*)?`")


#: 章节开头的“预计运行时间：约 N 秒”；三组分别是前缀、秒数、后缀（改写时保留前后缀）。
RUNTIME_RE = re.compile(r"(预计运行时间\**[：:]\s*约\s*)(\d+)(\s*秒)")


def stated_runtime(nb: dict) -> int | None:
    """笔记本里写的预计运行时间（秒）；没有这一行时返回 None。"""
    match = RUNTIME_RE.search(markdown_text(nb))
    return int(match.group(2)) if match else None


ERRATA_TABLE_HEADER = "| 文章 | 片段 | 内容 | 原样运行 | 原因 | 修正见 |"


def errata_table_rows(nb: dict) -> list[list[str]]:
    """附录 A 一览表的各行（每行 6 栏）；找不到表头时返回空列表。"""
    text = markdown_text(nb)
    if ERRATA_TABLE_HEADER not in text:
        return []
    rows = []
    for line in text[text.index(ERRATA_TABLE_HEADER) :].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([part.strip() for part in line.strip().strip("|").split(" | ")])
    return rows


def solution_code(nb: dict) -> list[tuple[str, str]]:
    """练习答案里的 ```python 代码块：[(练习标签, 代码), ...]，按出现顺序。

    这些代码是读者照着答案在本章末尾运行的代码；nbval_guard 会在同一个内核里、
    本章所有单元格之后逐块执行它们。不打算运行的片段请用别的代码块语言（如 ```text）。
    """
    blocks = []
    for label, body in SOLUTION_RE.findall(markdown_text(nb)):
        blocks.extend((label, code) for code in PYTHON_BLOCK_RE.findall(body))
    return blocks
