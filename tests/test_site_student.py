"""学生版网站（``make book-student``）的测试：练习都在，答案一个字也不剩。

每个答案里挑出“指纹”：连续 8 个以上的汉字短语和答案代码的每一行。它们必须出现在完整版的
页面上（保证检查本身有效），而学生版的页面和可下载的源文件里一个都不能有。
"""

from __future__ import annotations

import functools
import re

import pytest
from bs4 import BeautifulSoup

from tests.bookinfo import HTML, ROOT, SOLUTION_RE, chapter_entries, load_notebook, markdown_text

pytestmark = pytest.mark.site

STUDENT = ROOT / "_build" / "student" / "_build" / "html"
CHAPTERS = chapter_entries()
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{8,}")


@pytest.fixture(scope="module", autouse=True)
def built_student_site():
    if not (STUDENT / "index.html").is_file():
        pytest.fail(f"找不到 {STUDENT.relative_to(ROOT)}/index.html：请先运行 `make book-student`", pytrace=False)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fingerprints(entry: str) -> dict[str, list[str]]:
    """{练习标签: [只在答案里出现的汉字短语与代码行（去掉空白）]}。"""
    nb = load_notebook(entry)
    markdown = markdown_text(nb)
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    elsewhere = squash(SOLUTION_RE.sub("", markdown) + code)  # 答案以外的全部内容
    prints = {}
    for label, body in SOLUTION_RE.findall(markdown):
        body = re.sub(r"^:class:.*$", "", body, flags=re.M)
        code = re.findall(r"^```python\s*\n(.*?)^```", body, flags=re.S | re.M)
        prose = re.sub(r"```.*?```", "", body, flags=re.S)
        lines = [squash(line) for block in code for line in block.splitlines() if len(squash(line)) >= 12]
        candidates = [squash(run) for run in CJK_RUN.findall(prose)] + lines
        prints[label] = [p for p in candidates if p not in elsewhere]
    return prints


@functools.cache
def page_text(root, entry: str) -> str:
    soup = BeautifulSoup((root / f"{entry}.html").read_text(encoding="utf-8"), "html.parser")
    return squash(soup.select_one("main, article, body").get_text())


@functools.cache
def page(root, entry: str) -> BeautifulSoup:
    return BeautifulSoup((root / f"{entry}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("entry", CHAPTERS)
def test_fingerprints_are_found_in_full_edition(entry):
    """检查有效：每个答案至少有一个指纹，且完整版页面上能找到它们。"""
    for label, prints in fingerprints(entry).items():
        assert prints, f"{entry} 的答案 {label} 里挑不出指纹（太短？）"
        found = [p for p in prints if p in page_text(HTML, entry)]
        assert found, f"完整版 {entry} 页面上找不到答案 {label} 的任何文字"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_student_page_keeps_exercises_and_drops_solutions(entry):
    full, student = page(HTML, entry), page(STUDENT, entry)
    n_exercises = len(full.select("div.exercise"))
    assert n_exercises >= 3
    assert len(student.select("div.exercise")) == n_exercises, "学生版应保留全部练习"
    assert len(full.select("div.solution")) == n_exercises
    assert not student.select("div.solution"), f"学生版 {entry} 页面上还有答案块"
    leaked = [p for prints in fingerprints(entry).values() for p in prints if p in page_text(STUDENT, entry)]
    assert not leaked, f"学生版 {entry} 页面上出现了答案文字：{leaked[:3]}"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_student_downloads_have_no_solutions(entry):
    source = (STUDENT / "_sources" / f"{entry}.ipynb").read_text(encoding="utf-8")
    assert "{exercise}" in source
    assert "{solution}" not in source, f"学生版可下载的 {entry}.ipynb 里还有答案"
    leaked = [p for prints in fingerprints(entry).values() for p in prints if p in squash(source)]
    assert not leaked, leaked[:3]


def test_student_edition_says_so():
    student = BeautifulSoup((STUDENT / "book" / "intro.html").read_text(encoding="utf-8"), "html.parser")
    full = BeautifulSoup((HTML / "book" / "intro.html").read_text(encoding="utf-8"), "html.parser")
    assert "学生版" in student.title.get_text() and "学生版" not in full.title.get_text()
    assert "练习答案已隐藏" in student.get_text() and "练习答案已隐藏" not in full.get_text()
