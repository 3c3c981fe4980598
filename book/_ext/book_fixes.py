"""本书的小型 Sphinx 扩展：去掉重复的内联脚本，并让公式离线也能显示。

1. jupyter-book 1.x 下，sphinx-thebe 与 sphinx-togglebutton 的内联配置脚本
   （如 ``const THEBE_JS_URL = …``）会被登记两次（一次 filename=None，一次
   filename=""），页面里出现两遍，浏览器抛出
   “Identifier 'THEBE_JS_URL' has already been declared”。这里在生成每个页面时
   去掉重复的脚本。
2. Sphinx 默认从 jsdelivr 的 CDN 加载 MathJax；断网、在教室内网里，或者在访问不到
   该 CDN 的地区，公式就只剩下原始的 LaTeX。这里改用 pip 包 ``sphinx-mathjax-offline``
   自带的 MathJax 3，把网站需要的那部分文件（约 10 MB，不含用不到的其他打包版本）
   复制到 ``_static/mathjax``。

3. 执行缓存按“环境指纹”分目录：改了 ``dlbook/`` 或 ``requirements.lock``，笔记本重新执行
   （jupyter-cache 本身只看代码单元格的文本）。

4. 本书自己的少量样式 ``book/_static/book.css``（手机上长代码折行、宽表格在框内滚动）与脚本
   ``book/_static/book.js``（颜色模式按钮在亮色与暗色之间切换，每点一次都看得见变化）。

5. 中文界面：主题模板里写死的英文按钮、提示文字（``UI_ZH``），构建完成后在每个页面里换成中文。

6. 中文搜索：把术语表（book/glossary.md）的术语写成 jieba 用户词典，搜索索引里就有整个术语。

7. 学生版：环境变量 ``DLBOOK_EDITION=student`` 时（``make book-student``），打开
   sphinx-exercise 的 ``hide_solutions``，标题加上“学生版”，页面顶部加一行提示；
   网站里可下载的笔记本与源文件（``_sources``）也删掉答案。执行结果与完整版共用
   同一个 jupyter-cache，不会重新执行笔记本。

8. 图：``dlbook.setup()`` 让每张内联图带上元数据（宽度、最小字号、由图的标题与坐标轴生成的替代文字，
   见 ``dlbook/figures.py``）。构建完成后按图片的 sha256 文件名找回这些元数据，写进 ``<img>`` 的
   ``alt`` 与 ``data-*`` 属性；网站测试据此量出每张图上的字显示成多少像素。

9. 下载：“下载 .ipynb”给的是带运行结果的笔记本（源笔记本合并 jupyter-cache 里的执行结果），
   而不是没有输出的源文件；按钮写明“含运行结果”。

10. PDF（``jupyter-book build . --builder pdflatex``）：sphinx-exercise 在 LaTeX 里把练习的锚点写成
   ``exercise:<label>``，只认同一文档内（refid）的引用；别的文档里的 ``{ref}`ex-…``` 在 LaTeX 里是
   ``<docname>:<label>``，PDF 里印成“练习 ??”。这里（只对 LaTeX 构建）把指向练习的跨文档引用改成 refid，
   交给 sphinx-exercise 照同一文档的引用处理。上面 1–9 只在 HTML 构建里生效（都查了 builder.format）。

网站测试（tests/test_site.py）检查页面没有 JS 错误，在屏蔽外网的浏览器里检查公式已排版，
并检查学生版里找不到任何答案文字。
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import sys
from html import escape
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

MATHJAX_ENTRY = "tex-mml-chtml.js"  # 与 Sphinx 默认从 CDN 加载的是同一个打包版本
# 入口脚本运行时按需加载的部分：字体、TeX 扩展、右键菜单、无障碍支持（给读屏软件的 MathML）。
# 不带 sre/：那是“朗读公式”与公式浏览器用的语音规则（3.9 MB），只在读者从右键菜单打开
# 这两项时才加载；本书关掉了这两项（见 _config.yml 的 mathjax3_config）。
MATHJAX_PARTS = (MATHJAX_ENTRY, "input", "output/chtml", "output/chtml.js", "ui", "a11y", "adaptors")


def mathjax_source() -> Path:
    """pip 包 sphinx-mathjax-offline 里 MathJax 文件所在的目录。"""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "离线公式需要 pip 包 sphinx-mathjax-offline（它自带 MathJax 3）。请运行 `pip install -r requirements.txt`。"
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"
    if not (folder / MATHJAX_ENTRY).is_file():
        raise ExtensionError(f"在 {folder} 里找不到 {MATHJAX_ENTRY}：请重新安装 sphinx-mathjax-offline。")
    return folder


def _copy_mathjax(source: Path, app, exc):
    if exc is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = source / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


EDITIONS = ("full", "student")
SOLUTION_RE = re.compile(r"^:::\{solution\} \S+\s*\n.*?^:::[ \t]*\n?", re.S | re.M)


def edition() -> str:
    value = os.environ.get("DLBOOK_EDITION", "full")
    if value not in EDITIONS:
        raise ExtensionError(f"DLBOOK_EDITION 只能是 {EDITIONS} 之一，现在是 {value!r}")
    return value


def strip_solutions(text: str) -> str:
    """删掉 MyST 文本里所有 ``:::{solution} …`` 到 ``:::`` 的答案块。"""
    return SOLUTION_RE.sub("", text)


def _cache_config(app, config):
    """执行缓存放在 _build/.jupyter_cache/<环境指纹>/（见 tools/cachekey.py）。

    改了 dlbook/ 或 requirements.lock，指纹就变，笔记本重新执行；学生版与完整版、nbval
    （make test 里写缓存）都用同一个目录，所以学生版不会在 --path-output 下另建缓存再执行一遍。
    """
    if str(app.srcdir) not in sys.path:
        sys.path.insert(0, str(app.srcdir))
    from tools.cachekey import cache_dir

    config.nb_execution_cache_path = str(cache_dir(Path(app.srcdir) / "_build" / ".jupyter_cache"))


GLOSSARY = Path("book") / "glossary.md"


def glossary_terms(text: str) -> list[str]:
    """术语表第一栏里的中文术语；“查询、键、值”这样的一行拆成三个词。"""
    terms = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) < 4 or cells[0] in {"中文", ""} or set(cells[0]) <= {"-"}:
            continue
        for term in re.split(r"[、，,/（）]", cells[0]):  # “归因图（显著图）”：两个都是词
            term = term.strip()
            if re.search(r"[\u4e00-\u9fff]", term) and len(term) > 1:
                terms.append(term)
    return terms


def _search_dictionary(app, config):
    """中文搜索用 jieba 分词；把术语表里的术语写成 jieba 的用户词典，整词（如“卷积神经网络”）也进索引。

    不加词典时 jieba 把“卷积神经网络”切成“卷积 / 神经网络”，搜整个术语什么也找不到。
    词典从 book/glossary.md 生成，术语表改了，词典就跟着变。
    """
    terms = glossary_terms((Path(app.srcdir) / GLOSSARY).read_text(encoding="utf-8"))
    path = Path(app.outdir).parent / "jieba_userdict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # 词频给大一些，保证切分时整词优先；空格在 jieba 词典里是分隔符，术语里不能有
    path.write_text("".join(f"{t.replace(' ', '')} 100000 n\n" for t in dict.fromkeys(terms)), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


#: 主题模板里写死的英文（没有经过翻译）或只有台湾用语的界面文字 → 简体中文。
#: 只替换整段属性值（title、aria-label 等）或整段文字节点，不碰正文。
UI_ZH = {
    "Toggle primary sidebar": "显示或隐藏全书目录",
    "Toggle secondary sidebar": "显示或隐藏本页目录",
    "Launch interactive content": "在线运行本页",
    "Launch on Colab": "在 Colab 中打开",
    "Colab logo": "Colab 标志",
    "Source repositories": "源码仓库",
    "Repository": "源码仓库",
    "源码库": "源码仓库",
    "Open issue": "报告问题",
    "列印成 PDF": "打印为 PDF",
    "Color mode": "颜色模式",
    "System Settings": "跟随系统",
    "Link to this heading": "指向本节的链接",
    "Table of contents": "本页目录",
    "Main": "全书目录",
    "Page": "本页目录",
}
_UI_WORDS = "|".join(map(re.escape, sorted(UI_ZH, key=len, reverse=True)))
_UI_RE = re.compile(r'(?<=[">])(\s*)(' + _UI_WORDS + r')(\s*)(?=["<])')
#: “报告问题”按钮预先填好的英文标题与正文；下载按钮写明拿到的是什么
_PAGE_TEXT = {
    '<span class="btn__text-container">.ipynb</span>': '<span class="btn__text-container">.ipynb（含运行结果）</span>',
    'aria-label="下载此页面">': 'aria-label="下载此页面" title="下载此页面">',
    "title=Issue%20on%20page%20": "title=" + quote("页面问题："),
    "body=Your%20issue%20content%20here.": "body=" + quote("请在这里描述问题（哪一节、哪个单元格、看到了什么）。"),
}


_THEBE_CONFIG = re.compile(
    r'\s*<script type="text/x-thebe-config">.*?</script>\s*<script>kernelName = [^<]*</script>', re.S
)


def translate_interface(html: str) -> str:
    html = _THEBE_CONFIG.sub("", html)
    html = _UI_RE.sub(lambda m: m.group(1) + UI_ZH[m.group(2)] + m.group(3), html)
    for old, new in _PAGE_TEXT.items():
        html = html.replace(old, new)
    return html


_IMG_RE = re.compile(r'<img alt="([^"]*)" src="([^"]*?([0-9a-f]{64})\.png)"')


def executed_notebooks(app) -> dict[str, dict]:
    """``{docname: 带输出的笔记本}``：源笔记本与 jupyter-cache 里的执行结果合并而成。

    不能用 myst-nb 写在 jupyter_execute/ 里的那份：笔记本命中缓存时，它写出的是没有输出的源文件。
    """
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    found = {}
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if source.suffix != ".ipynb":
            continue
        try:
            _, merged = cache.merge_match_into_notebook(nbformat.read(source, as_version=4))
        except KeyError:  # 没有执行结果（不该发生：execute_notebooks 是 cache）
            continue
        found[docname] = merged
    return found


def figure_info(notebooks) -> dict[str, dict]:
    """执行过的笔记本里每张 PNG 的 ``{sha256: dlbook 元数据}``（见 dlbook/figures.py）。"""
    import base64
    import hashlib

    found = {}
    for nb in notebooks:
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                info = output.get("metadata", {}).get("image/png", {}).get("dlbook")
                if png and info:
                    data = base64.b64decode("".join(png) if isinstance(png, list) else png)
                    found[hashlib.sha256(data).hexdigest()] = info
    return found


_MATHTEXT = re.compile(r"\$([^$]*)\$")


def plain_alt(text: str) -> str:
    """替代文字里的 matplotlib 公式（``$f'(z)$``、``$\\lambda$``）写成纯文本，读屏软件不念美元符号。"""

    def plain(match):
        formula = re.sub(r"\\([A-Za-z]+)", r"\1", match.group(1))
        return formula.replace("{", "").replace("}", "").replace("\\", "")

    text = _MATHTEXT.sub(plain, text)
    return "图（几幅子图）：" + text[len("图：子图：") :] if text.startswith("图：子图：") else text


def annotate_figures(html: str, info: dict[str, dict]) -> str:
    """给每张有元数据的图写上替代文字（单元格里已用 mystnb.image.alt 写了的保留）和 data-* 属性。"""

    def replace(match):
        alt, src, digest = match.groups()
        meta = info.get(digest)
        if meta is None:
            return match.group(0)
        if alt.endswith(f"{digest}.png") and meta.get("alt"):
            alt = escape(plain_alt(meta["alt"]), quote=True)
        attrs = "".join(
            f' data-{key.replace("_", "-")}="{meta[key]}"'
            for key in ("width_in", "min_text_pt", "min_label_pt")
            if meta.get(key) is not None
        )
        return f'<img alt="{alt}"{attrs} src="{src}"'

    return _IMG_RE.sub(replace, html)


def _rewrite_outputs(app, exc):
    """构建完成后走一遍输出目录：下载用的 .ipynb 换成带输出的那份（学生版随后再删去答案），
    每个页面翻译界面文字、给图写上替代文字与尺寸。执行过的笔记本只从缓存合并一次，两处共用。"""
    if exc is not None or app.builder.format != "html":
        return
    import nbformat

    executed = executed_notebooks(app)
    sources = Path(app.outdir) / "_sources"
    for docname, nb in executed.items():
        target = sources / f"{docname}.ipynb"
        if target.exists():
            nbformat.write(nb, target)
    info = figure_info(executed.values())
    for page in Path(app.outdir).rglob("*.html"):
        if "_static" in page.relative_to(app.outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        new = annotate_figures(translate_interface(text), info)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _student_config(app, config):
    config.hide_solutions = True
    config.html_title = f"{config.html_title}（学生版）"
    config.html_theme_options = {**config.html_theme_options, "announcement": "学生版：练习答案已隐藏。"}


def _strip_solutions_from_sources(app, exc):
    """学生版网站上“下载 .ipynb / .md”拿到的源文件里也不能有答案。"""
    if exc is not None or app.builder.format != "html":
        return
    import nbformat  # 只有学生版用得到

    sources = Path(app.outdir) / "_sources"
    for path in [*sources.rglob("*.ipynb"), *sources.rglob("*.md"), *sources.rglob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = strip_solutions(cell.source)
            new = nbformat.writes(nb)
        else:
            new = strip_solutions(text)
        if new != text:
            path.write_text(new, encoding="utf-8")


def _key(script):
    return (script.filename or "", tuple(sorted((script.attributes or {}).items())))


def _dedupe(scripts):
    seen, unique = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _is_thebe(asset) -> bool:
    body = (getattr(asset, "attributes", None) or {}).get("body", "")
    return "thebe" in (getattr(asset, "filename", None) or str(asset)) or "THEBE_JS_URL" in body


def _dedupe_page_scripts(app, pagename, templatename, context, doctree):
    if context.get("script_files"):
        _dedupe(context["script_files"])
        # 本书不用 Thebe（网页里直接连 Binder 内核）：启动按钮只有 Colab。jupyter-book 仍然
        # 加载 sphinx-thebe 的脚本、样式和一份指向示例仓库的配置，这里连同 unpkg 的地址一起去掉
        context["script_files"][:] = [s for s in context["script_files"] if not _is_thebe(s)]
    if context.get("css_files"):
        context["css_files"][:] = [c for c in context["css_files"] if not _is_thebe(c)]


def _is_mathjax(script) -> bool:
    body = (script.attributes or {}).get("body", "")
    return (script.filename or "").endswith(MATHJAX_ENTRY) or "window.MathJax" in body


def _drop_unused_mathjax(app, pagename, templatename, context, doctree):
    """没有公式的页面（前言、环境配置、教师指南……）不加载 MathJax（入口脚本 1 MB 多，外加字体）。"""
    if doctree is None or context.get("script_files") is None:
        return
    if next(iter(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))), None) is None:
        context["script_files"][:] = [s for s in context["script_files"] if not _is_mathjax(s)]


class ExerciseRefsForLatex(SphinxPostTransform):
    """LaTeX：跨文档指向练习的引用（refuri ``%docname#label``）改成 refid，见模块说明第 10 条。"""

    # 在 Sphinx 解析引用（10）之后、sphinx-exercise 改写练习引用（ResolveLinkTextToSolutions，22）之前
    default_priority = 15
    formats = ("latex",)

    def run(self, **kwargs):
        from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for node in self.document.findall(nodes.reference):
            uri = node.get("refuri", "")
            if not uri.startswith("%") or "#" not in uri:
                continue
            label = uri.split("#", 1)[1]
            target = registry.get(label, {}).get("node")
            if isinstance(target, (exercise_enumerable_node, exercise_node)):
                del node["refuri"]
                node["refid"] = label


def setup(app):
    source = mathjax_source()  # 缺包时在构建开始就给出清楚的错误，而不是建完才发现
    app.config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    app.connect("html-page-context", _dedupe_page_scripts, priority=900)
    app.connect("html-page-context", _drop_unused_mathjax, priority=900)
    static = Path(__file__).resolve().parents[1] / "_static"
    app.connect("config-inited", lambda app, config: config.html_static_path.append(str(static)))
    app.add_css_file("book.css")
    app.add_js_file("book.js")
    app.connect("build-finished", functools.partial(_copy_mathjax, source))
    app.connect("config-inited", _cache_config, priority=100)
    app.connect("config-inited", _search_dictionary, priority=100)
    app.connect("build-finished", _rewrite_outputs)
    app.add_post_transform(ExerciseRefsForLatex)
    if edition() == "student":
        app.connect("config-inited", _student_config, priority=100)
        app.connect("build-finished", _strip_solutions_from_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
