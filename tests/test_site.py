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
from PIL import Image as PILImage

from tests.bookinfo import (
    CHROMIUM_NAMES,
    GLUE_ROLE,
    HTML,
    ROOT,
    chapter_entries,
    colab_url,
    errata_table_rows,
    glossary_rows,
    load_notebook,
    markdown_text,
    repo_slug,
    repo_url,
    toc_files,
)

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


BARE_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


@pytest.mark.parametrize("entry", CHAPTERS)
def test_no_cell_shows_a_bare_number(entry):
    """单元格的结果不能是一个没有说明的裸数字（例如以返回数值的函数调用结尾的单元格）：
    读者看不出它是什么。要给读者看的数用 print 写清楚是什么。"""
    bare = [
        o.get_text().strip()
        for o in soup(entry).select(".output.text_plain")
        if BARE_NUMBER.fullmatch(o.get_text().strip())
    ]
    assert not bare, f"{entry} 有单元格只显示了裸数字：{bare[:5]}"


BUILD_PATH = re.compile(r"\.venv|\.pyenv|site-packages|/tmp/|/root/|/home/\w+|/work/")


@pytest.mark.parametrize("entry", [e for e in toc_files() if e.startswith("notebooks/")])
def test_outputs_show_no_build_paths_or_long_tracebacks(entry):
    """输出里不能露出构建机器上的路径；报错只给读者看最后几行，不是几屏的调用栈。"""
    for output in soup(entry).select(".cell_output"):
        text = output.get_text("\n")
        match = BUILD_PATH.search(text)
        where = text[max(0, match.start() - 80) : match.end() + 40] if match else ""
        assert not match, f"{entry} 的输出里有本机路径 {match.group(0)!r}：…{where}…"
    for error in soup(entry).select(".output.traceback, .output.error"):
        lines = [line for line in error.get_text().splitlines() if line.strip()]
        assert len(lines) <= 12, f"{entry} 有 {len(lines)} 行的报错输出：{lines[:3]} … {lines[-1]}"


@pytest.mark.parametrize("entry", CHAPTERS)
def test_chapter_shows_its_figures(entry):
    images = soup(entry).select(".cell_output img")
    assert len(images) >= 3, f"{entry} 页面上只有 {len(images)} 张图"
    for img in images:
        src = img["src"]
        assert not src.startswith("http"), src
        assert (HTML / Path(entry).parent / src).resolve().is_file(), f"图片文件不存在：{src}"


@functools.cache
def search_index() -> dict:
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def docs_for(term: str) -> set[str]:
    """搜索索引里含这个词的页面（正文或标题）。"""
    index = search_index()
    found = set()
    for mapping in (index["terms"], index["titleterms"]):
        hit = mapping.get(term, [])
        found |= {index["docnames"][i] for i in (hit if isinstance(hit, list) else [hit])}
    return found


def test_search_index_contains_chinese_terms():
    chinese = [t for t in search_index()["terms"] if re.search(r"[\u4e00-\u9fff]", t)]
    assert len(chinese) > 100, "搜索索引里几乎没有中文词：jieba 是否已安装？"
    assert "notebooks/03_cnn" in docs_for("卷积")
    assert "notebooks/03_cnn" in docs_for("感受")


def glossary_first_chapters() -> dict[str, str]:
    """{术语: 首见章节的 docname}，从 book/glossary.md 读（一行多个术语时拆开）。"""
    chapters = {int(Path(e).name[:2]): e for e in CHAPTERS}
    found = {}
    for line in glossary_rows():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"\[第(\d+)章\]\(\.\./notebooks/\w+\.ipynb\)", cells[-1])
        if match:
            main = cells[0].split("（")[0]  # 括号里是别名或限定语（“环境（强化学习）”）
            for term in re.split(r"[、，,/]", main):
                if re.search(r"[\u4e00-\u9fff]", term) and len(term.strip()) > 1:
                    found[term.strip()] = chapters[int(match.group(1))]
    return found


def query_words(query: str) -> list[str]:
    """搜索页把查询按空格和标点拆成几个词，每个词都要在同一页里找到（与 Sphinx 的搜索一样）；
    一两个字母的英文词（“JS 散度”的 JS）不进索引，搜索时也被忽略。"""
    return [w.lower() for w in re.findall(r"\w+", query) if not re.fullmatch(r"[A-Za-z]{1,2}", w)]


def test_search_finds_every_glossary_term_in_its_chapter():
    """搜术语表里的每个中文术语，结果里都有它首见的那一章（jieba 用户词典由术语表生成）。"""
    terms = glossary_first_chapters()
    assert len(terms) > 150
    missing = {t: chapter for t, chapter in terms.items() if not all(chapter in docs_for(w) for w in query_words(t))}
    assert not missing, f"搜索这些术语找不到首见的章节：{missing}"


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


@pytest.mark.parametrize("entry", CHAPTERS)
def test_figures_have_alt_text_and_size_metadata(entry):
    """每张图都经过 dlbook.setup() 的图格式（双倍像素、带元数据），替代文字说的是图的内容而不是文件名。"""
    for img in soup(entry).select(".cell_output img"):
        src = img["src"]
        assert img.get("data-width-in"), f"{entry} 的 {src} 没有 dlbook 的图元数据（没经过 dlbook.setup()？）"
        alt = img.get("alt", "")
        assert alt and ".png" not in alt and len(alt) >= 4, f"{entry} 的 {src} 的替代文字是 {alt!r}"
        width, natural = int(img.get("width", 0)), PILImage.open(HTML / Path(entry).parent / src).width
        assert natural >= 2 * width - 2, f"{entry} 的 {src} 不是双倍像素：{natural} 像素显示成 {width} 像素宽"


#: 显示出来的字号下限（CSS 像素）：坐标轴标签约 11 像素，其余文字（刻度、图例、注释）不小于 9.5 像素
MIN_LABEL_PX, MIN_TEXT_PX = 10.5, 9.5


@pytest.mark.parametrize("entry", CHAPTERS)
def test_figure_text_is_readable_in_the_column(browser, server, entry):
    """在 1280 px 的桌面上，按每张图的实际显示宽度、英寸宽度与图里的最小字号，算出文字显示成多少像素。"""
    page, errors = open_page(browser, f"{server}/{entry}.html")
    figures = page.evaluate(
        """() => [...document.querySelectorAll('.cell_output img')].map(img => ({
            src: img.getAttribute('src').split('/').pop().slice(0, 12),
            alt: img.alt.slice(0, 40),
            shown: img.getBoundingClientRect().width,
            inches: parseFloat(img.dataset.widthIn),
            text: parseFloat(img.dataset.minTextPt),
            label: parseFloat(img.dataset.minLabelPt),
        }))"""
    )
    page.close()
    small = []
    for fig in figures:
        px_per_pt = fig["shown"] / fig["inches"] / 72
        text, label = fig["text"] * px_per_pt, fig["label"] * px_per_pt
        if text < MIN_TEXT_PX or label < MIN_LABEL_PX:  # NaN（没有这类文字）比较结果为 False
            small.append(f"{fig['alt']}（{fig['inches']} 英寸宽，最小的字 {text:.1f} px，坐标轴标签 {label:.1f} px）")
    assert not small, f"{entry} 有 {len(small)} 张图的字太小：" + "；".join(small)
    assert not errors, errors


@pytest.mark.parametrize("entry", CHAPTERS)
def test_code_cells_fit_the_column(browser, server, entry):
    """1280 px 的桌面上，代码单元格不需要横向滚动（笔记本按 76 列排版，见 notebooks/ruff.toml）。

    例外与 ruff 相同：标了 ``noqa: E501`` 的单元格（原样收录的原文代码）。附录 A 整章是原文代码，不在此列。
    """
    page, errors = open_page(browser, f"{server}/{entry}.html")
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.cell_input pre')]
            .filter(pre => !pre.textContent.includes('noqa: E501'))  // 原样收录的原文代码
            .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
            .map(pre => pre.textContent.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), ''))"""
    )
    page.close()
    assert not clipped, f"{entry} 有 {len(clipped)} 个代码单元格放不下，最长的行：{clipped[:3]}"
    assert not errors, errors


@pytest.mark.parametrize("entry", ["book/intro", "notebooks/03_cnn"])
def test_no_thebe_or_binder_placeholders(entry):
    html = (HTML / f"{entry}.html").read_text(encoding="utf-8")
    for needle in ("x-thebe-config", "binder-examples", "sphinx-thebe", "unpkg.com"):
        assert needle not in html, f"{entry} 里还有 {needle}"


def test_colour_mode_button_switches_at_every_click(browser, server):
    page, errors = open_page(browser, f"{server}/notebooks/03_cnn.html")
    button = page.locator(".theme-switch-button").first
    seen = [page.evaluate("document.documentElement.dataset.theme")]
    for _ in range(3):
        button.click()
        seen.append(page.evaluate("document.documentElement.dataset.theme"))
    page.close()
    assert all(a != b for a, b in zip(seen, seen[1:])), f"点击颜色模式按钮后主题依次是 {seen}"
    assert set(seen) == {"light", "dark"}, seen
    assert not errors, errors


@pytest.mark.parametrize("entry", ["notebooks/03_cnn"])
def test_downloaded_notebook_has_outputs(entry):
    link = soup(entry).select_one("a.btn-download-source-button")
    assert link is not None and "含运行结果" in link.get_text(), link
    nb = json.loads((HTML / Path(entry).parent / link["href"]).read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3, f"下载的 {link['href']} 只有 {len(outputs)} 个输出、{len(images)} 张图"


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
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


def open_page(browser, url, width=1280):
    """打开页面，收集 JavaScript 异常、控制台错误、站外请求与站内 404（离线的机房里它们都加载不出来）。"""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status}: {r.url}"))

    def on_console(msg):
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            errors.append(f"console: {msg.text}")

    page.on("console", on_console)

    def block(route):  # 测试不访问外网；页面若要从站外加载东西（徽章、CDN），记成错误
        errors.append(f"站外请求：{route.request.url}")
        route.abort()

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), block)
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


@pytest.mark.parametrize("entry", toc_files())
def test_mathjax_only_where_there_are_formulas(entry):
    page = soup(entry)
    loads = any("mathjax" in (s.get("src") or "") for s in page.find_all("script"))
    has_math = bool(page.select(".math"))
    assert loads == has_math, f"{entry}：有公式 {has_math}，加载 MathJax {loads}"


def pages_with_math() -> list[str]:
    return [e for e in toc_files() if (HTML / f"{e}.html").is_file() and soup(e).select(".math")]


@pytest.mark.parametrize("entry", pages_with_math())
def test_formulas_are_typeset_offline_and_fit(browser, server, entry):
    """外网被屏蔽时，MathJax 仍把每个公式排版出来；没有一个报错（mjx-merror），行间公式不超出正文栏。"""
    page, errors = open_page(browser, f"{server}/{entry}.html")
    n_math = page.locator(".math").count()
    page.wait_for_function("n => document.querySelectorAll('mjx-container').length >= n", arg=n_math, timeout=30_000)
    failed = page.evaluate(
        """() => [...document.querySelectorAll('mjx-merror')].map(e => e.closest('.math')?.textContent.slice(0, 80))"""
    )
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('mjx-container[display="true"]')]
                 .filter(c => c.querySelector('mjx-math').getBoundingClientRect().width > c.clientWidth + 1)
                 .map(c => c.closest('.math')?.textContent.trim().slice(0, 60))"""
    )
    page.close()
    assert not failed, f"{entry} 有排版失败的公式（Math input error）：{failed}"
    assert not too_wide, f"{entry} 在 1280 px 下有超出正文栏的行间公式（用 aligned 断行）：{too_wide}"
    assert not errors, errors


@pytest.mark.parametrize(
    "term, chapter",
    [("卷积", "03_cnn"), ("卷积神经网络", "03_cnn"), ("感受野", "03_cnn"), ("梯度消失", "01_basics"),
     ("过拟合", "02_training"), ("自编码器", "07_autoencoder"), ("残差连接", "06_transformer")],
)  # fmt: skip
def test_search_page_finds_term(browser, server, term, chapter):
    page, errors = open_page(browser, f"{server}/search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    if term == "卷积":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "search.png"))
    page.close()
    assert any(f"notebooks/{chapter}.html" in link for link in links), links
    assert not errors, errors


@pytest.mark.parametrize("entry", toc_files())
def test_page_fits_a_phone(browser, server, entry):
    """390 px 宽的手机上，整页不能横向滚动（长代码、宽表格在各自的框里滚动）。"""
    page, errors = open_page(browser, f"{server}/{entry}.html", width=390)
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('article *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .filter(e => !e.closest('pre, .highlight, table, div.math, mjx-container, .cell_output'))
                .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40));
            return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
        }"""
    )
    page.close()
    assert overflow["scroll"] <= overflow["width"], f"{entry} 在 390 px 下整页可以横向滚动：{overflow}"
    assert not errors, errors


@pytest.mark.parametrize("width", [390, 1280])
def test_navigation_toggles_open_and_close(browser, server, width):
    """☰（全书目录）和 ☷（本页目录）在手机与桌面宽度下都能打开、再关上；页面上只有一个搜索框。"""
    page, errors = open_page(browser, f"{server}/notebooks/03_cnn.html", width=width)
    visible = [b for b in page.locator(".primary-toggle").all() if b.is_visible()]
    assert len(visible) == 1, f"{width} px 下看得见的 ☰ 按钮有 {len(visible)} 个"
    sidebar, dialog = page.locator("#pst-primary-sidebar"), page.locator("#pst-primary-sidebar-modal")
    if width >= 992:  # 桌面：目录本来就在左边，☰ 把它收起、再展开
        assert sidebar.is_visible()
        visible[0].click()
        page.wait_for_timeout(400)
        assert not sidebar.is_visible(), "点 ☰ 后左侧目录应收起"
        visible[0].click()
        page.wait_for_timeout(400)
        assert sidebar.is_visible(), "再点 ☰ 左侧目录应回来"
    else:  # 手机：☰ 打开一个带全书目录的对话框，Esc 关上
        assert not dialog.is_visible()
        visible[0].click()
        dialog.get_by_text("第3章", exact=False).first.wait_for(state="visible", timeout=5_000)
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=5_000)
    secondary = [b for b in page.locator(".secondary-toggle").all() if b.is_visible()]
    if width < 1200:  # 窄屏：☷ 打开本页目录
        assert len(secondary) == 1, f"{width} px 下看得见的 ☷ 按钮有 {len(secondary)} 个"
        secondary[0].click()
        modal = page.locator("#pst-secondary-sidebar-modal")
        modal.locator("nav.page-toc a").first.wait_for(state="visible", timeout=5_000)
        page.keyboard.press("Escape")
        modal.wait_for(state="hidden", timeout=5_000)
    else:  # 宽屏：本页目录一直在右边
        assert page.locator(".bd-sidebar-secondary nav.page-toc").is_visible()
    searches = [b for b in page.locator("input[name=q], .search-button-field").all() if b.is_visible()]
    assert len(searches) <= 1, f"页面上有 {len(searches)} 个搜索框"
    page.close()
    assert not errors, errors


def test_copy_buttons_only_on_code(browser, server):
    page, errors = open_page(browser, f"{server}/notebooks/03_cnn.html")
    page.wait_for_selector(".copybtn", state="attached", timeout=10_000)
    on_outputs = page.locator(".cell_output .copybtn").count()
    on_inputs = page.locator(".cell_input .copybtn").count()
    code_cells = page.locator(".cell_input").count()
    page.close()
    assert on_outputs == 0, f"输出框上有 {on_outputs} 个复制按钮"
    assert on_inputs == code_cells, (on_inputs, code_cells)
    assert not errors, errors


#: 界面上可以不带汉字的词：产品名、文件类型、按键、许可证名
UI_NAMES = {"Colab", "GitHub", ".ipynb", ".pdf", ".md", "Ctrl", "K", "html", "MIT"}


@pytest.mark.parametrize("entry", ["book/intro", "notebooks/03_cnn", "notebooks/A_errata"])
def test_interface_speaks_chinese(entry):
    """正文之外的按钮、提示、导航文字都是中文（正文里的英文术语与参考文献不算）。"""
    from bs4 import Comment

    page = soup(entry)
    english = set()
    for tag in page.find_all(True):
        if tag.find_parent("article") or tag.name == "article":
            continue
        for attr in ("title", "aria-label", "data-bs-title", "alt", "placeholder"):
            value = (tag.get(attr) or "").strip()
            if value and not re.search(r"[\u4e00-\u9fff]", value) and value not in UI_NAMES:
                english.add(f"{attr}={value!r}")
    for text in page.find_all(string=True):
        if isinstance(text, Comment) or text.find_parent(["script", "style", "article", "code"]):
            continue
        value = text.strip()
        if re.search(r"[A-Za-z]{3,}", value) and not re.search(r"[\u4e00-\u9fff]", value) and value not in UI_NAMES:
            english.add(value[:60])
    assert not english, f"{entry} 的界面上还有英文：{sorted(english)}"
    assert "列印" not in str(page), "“列印成 PDF”是台湾用语，应为“打印为 PDF”"
    issue = next(a["href"] for a in page.find_all("a", href=True) if "/issues/new" in a["href"])
    assert "Your%20issue" not in issue and "Issue%20on%20page" not in issue, issue


def test_footer_is_chinese_and_links_the_student_edition():
    footer = soup("book/intro").select_one("footer.bd-footer-content")
    text = footer.get_text(" ", strip=True)
    assert "Copyright" not in text and "©" in text, text
    student = f"https://{repo_slug().split('/')[0]}.github.io/{repo_slug().split('/')[1]}/student/"
    links = {a.get("href") for a in footer.find_all("a")}
    assert student in links, f"页脚应链接到学生版 {student}"
    # 发布时 .github/workflows/book.yml 把 make pdf 的结果放在网站根目录
    pdf = student.replace("student/", "dl-model-atlas.pdf")
    assert pdf in links, f"页脚应链接到 PDF 版 {pdf}"
    assert "CC BY-SA 4.0" in text and "MIT" in text, f"页脚应写明文字与代码的许可：{text}"
    for name in ("LICENSE-TEXT", "LICENSE"):
        assert f"{repo_url()}/blob/main/{name}" in links, f"页脚应链接到 {name}"


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


# ---------------------------------------------------------------- 正文里的数字（glue）


@pytest.mark.parametrize("entry", CHAPTERS)
def test_glued_numbers_are_filled_in(entry):
    """正文里每一处 {glue:text} 在网页上都换成了这次运行的值，记录输出本身不出现在页面上。"""
    roles = len(GLUE_ROLE.findall(markdown_text(load_notebook(entry))))
    page = soup(entry)
    pasted = page.select("span.pasted-text")
    assert len(pasted) == roles, f"{entry}：正文有 {roles} 处 glue，页面上填好的有 {len(pasted)} 处"
    assert all(span.get_text().strip() for span in pasted), f"{entry}：有 glue 的值是空的"
    text = page.get_text()
    assert "{glue" not in text, f"{entry}：页面上出现了没有替换的 glue 写法"
    assert "[正文引用]" not in text, f"{entry}：glue 的记录输出不该显示在网页上"
