"""网站测试：检查 `make book` 构建出的 _build/html。

先运行 ``make book``（或 ``make test-site``，它会先构建）。浏览器测试用 Debian 的
``chromium``；只有在本机没有 Chromium 且未设置 ``CI`` 时才跳过，CI 里必须运行。
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.bookinfo import HTML, ROOT, chapter_entries, colab_url, errata_table_rows, load_notebook, toc_files

pytestmark = pytest.mark.site

CHAPTERS = chapter_entries()
SCREENSHOTS = ROOT / "_build" / "screenshots"

# 单元格输出里不允许出现的东西：TensorFlow 日志、回溯、缺字形警告
NOISE = re.compile(
    r"absl|oneDNN|onednn|cuda|cudart|Traceback|Glyph \d+|missing from font|findfont"
    r"|^[IWEF]\d{4} \d\d:\d\d|UserWarning|DeprecationWarning",
    re.M,
)


@pytest.fixture(scope="module", autouse=True)
def built_site():
    if not (HTML / "index.html").is_file():
        pytest.fail("找不到 _build/html/index.html：请先运行 `make book`", pytrace=False)


@functools.cache
def soup(entry: str) -> BeautifulSoup:
    return BeautifulSoup((HTML / f"{entry}.html").read_text(encoding="utf-8"), "html.parser")


def all_pages() -> list[Path]:
    """构建出的网页（不含 _static/ 里主题自带的模板片段）。"""
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.relative_to(HTML).parts)


# ---------------------------------------------------------------- 静态检查


@pytest.mark.parametrize("entry", toc_files())
def test_every_toc_page_is_built(entry):
    assert (HTML / f"{entry}.html").is_file(), f"{entry}.html 没有生成"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_has_colab_launch_link(entry):
    hrefs = {a.get("href") for a in soup(entry).find_all("a")}
    colab = [h for h in hrefs if h and h.startswith("https://colab.research.google.com/")]
    pattern = r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/main/notebooks/[\w.-]+\.ipynb"
    assert colab, f"{entry} 页面上没有 Colab 链接"
    assert all(re.fullmatch(pattern, h) for h in colab), colab
    assert colab_url(entry) in hrefs


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_outputs_have_no_noise(entry):
    page = soup(entry)
    assert not page.select(".output.stderr"), f"{entry} 页面上有 stderr 输出"
    assert not page.select(".output.traceback, .output.error"), f"{entry} 页面上有报错输出"
    for output in page.select(".cell_output"):
        text = output.get_text("\n")
        match = NOISE.search(text)
        assert not match, f"{entry} 的输出里有不该出现的内容：{match.group(0)!r}\n{text[:300]}"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_shows_its_figures(entry):
    images = soup(entry).select(".cell_output img")
    assert len(images) >= 3, f"{entry} 页面上只有 {len(images)} 张图"
    for img in images:
        src = img["src"]
        assert not src.startswith("http"), src
        assert (HTML / Path(entry).parent / src).resolve().is_file(), f"图片文件不存在：{src}"


def test_search_index_contains_chinese_terms():
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docnames = index["docnames"]

    def docs_for(term):
        found = set()
        for mapping in (index["terms"], index["titleterms"]):
            hit = mapping.get(term, [])
            found |= {docnames[i] for i in (hit if isinstance(hit, list) else [hit])}
        return found

    chinese = [t for t in index["terms"] if re.search(r"[\u4e00-\u9fff]", t)]
    assert len(chinese) > 100, "搜索索引里几乎没有中文词：jieba 是否已安装？"
    assert "notebooks/03_cnn" in docs_for("卷积")
    assert "notebooks/03_cnn" in docs_for("感受")


def test_internal_links_resolve():
    broken = []
    for page in all_pages():
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(["a", "link"]):
            href = a.get("href")
            if not href or href.startswith(("#", "mailto:", "javascript:")) or urlsplit(href).scheme:
                continue
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(HTML)} → {href}")
    assert not broken, "失效的站内链接：\n" + "\n".join(broken[:20])


def test_mathjax_is_served_locally():
    """公式排版脚本来自本站的 _static/mathjax，不依赖 CDN（离线、内网、访问不到 jsdelivr 时也能显示公式）。"""
    for page in all_pages():
        page_soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in page_soup.find_all("script", src=re.compile("mathjax", re.I)):
            src = script["src"]
            assert not re.match(r"^(https?:)?//", src), f"{page.relative_to(HTML)} 从外网加载 MathJax：{src}"
            path = urlsplit(src).path  # 增量构建时 Sphinx 会加上 ?v=校验和
            assert (page.parent / path).resolve().is_file(), f"{page.relative_to(HTML)}：{src} 不存在"


def test_search_placeholder_is_chinese():
    inputs = soup("book/intro").select('input[name="q"]')
    assert inputs and all(re.search(r"[\u4e00-\u9fff]", i.get("placeholder", "")) for i in inputs)


# ---------------------------------------------------------------- 浏览器


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI 中必须有 Chromium（apt-get install chromium）", pytrace=False)
        pytest.skip("本机没有 Chromium，跳过浏览器测试（apt-get install chromium 后可运行）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def open_page(browser, url):
    """打开页面，收集 JavaScript 异常与控制台错误（站外资源加载失败不算：CI 没有外网）。"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))

    def on_console(msg):
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            errors.append(f"console: {msg.text}")

    page.on("console", on_console)
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1)"),
        lambda route: route.abort(),  # 测试不访问外网
    )
    page.goto(url, wait_until="load")
    return page, errors


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_page_in_browser(browser, server, entry):
    page, errors = open_page(browser, f"{server}/{entry}.html")
    title = page.locator("h1").first.inner_text()
    assert re.match(r"第\d+章", title), title
    # 本地图片都真的加载出来了
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.cell_output img')]
                 .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)"""
    )
    assert not broken, broken
    # 每道练习都有答案，且答案默认折叠：标题可见，正文不可见
    exercises = page.locator(".exercise").count()
    solutions = page.locator(".solution.dropdown")
    assert exercises >= 3 and solutions.count() == exercises
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        assert solution.locator(".admonition-title").is_visible()
        body = solution.locator(":scope > :not(.admonition-title)")
        assert body.count() >= 1 and not body.first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(entry).name}.png"))
    page.close()
    assert not errors, errors


@pytest.mark.parametrize("entry", [e for e in CHAPTERS if e.endswith(("03_cnn", "06_transformer"))])
def test_formulas_are_typeset_offline(browser, server, entry):
    """外网被屏蔽时，MathJax 仍把页面上的每个公式排版出来（不再是原始的 LaTeX）。"""
    page, errors = open_page(browser, f"{server}/{entry}.html")
    n_math = page.locator(".math").count()
    assert n_math >= 3, n_math
    page.wait_for_function(
        "n => document.querySelectorAll('mjx-container').length >= n", arg=n_math, timeout=30_000
    )
    page.close()
    assert not errors, errors


def test_search_finds_cnn_chapter(browser, server):
    page, errors = open_page(browser, f"{server}/search.html?q=卷积")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    page.close()
    assert any("notebooks/03_cnn.html" in link for link in links), links
    assert not errors, errors


# ---------------------------------------------------------------- 附录 A：一览表与页面上的真实报错

ERRATA = "notebooks/A_errata"


def errata_table() -> list[tuple[str, str, str]]:
    """附录 A 一览表的行：(文章, 片段, 原样运行)。"""
    return [(row[0], row[1], row[3].strip("`")) for row in errata_table_rows(load_notebook(ERRATA))]


def shown_error(cell) -> str | None:
    """单元格在页面上显示的异常类名；没有报错时返回 None。"""
    output = cell.select_one(".output.traceback, .output.error")
    if output is None:
        return None
    lines = [line for line in output.get_text().splitlines() if line.strip()]
    match = re.match(r"([A-Za-z_][\w.]*)(:|$)", lines[-1].strip())
    assert match, f"认不出报错的类型：{lines[-1]!r}"
    return match.group(1).rsplit(".", 1)[-1]


def test_errata_table_matches_errors_on_page():
    """一览表“原样运行”一栏必须与页面上每段原文代码真实显示的结果一致。"""
    rows = errata_table()
    cells = soup(ERRATA).select("div.cell.tag_snippet")
    assert len(rows) == len(cells) >= 20, (len(rows), len(cells))
    for (article, index, claimed), cell in zip(rows, cells):
        shown = shown_error(cell)
        if claimed == "能运行":
            assert shown is None, f"文章 {article} 片段 {index}：表里写能运行，页面上却报 {shown}"
        else:
            assert shown == claimed, f"文章 {article} 片段 {index}：表里写 {claimed}，页面上是 {shown}"
