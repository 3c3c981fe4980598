"""本书的小型 Sphinx 扩展：修正主题栈里会在浏览器中报 JavaScript 错误的地方。

jupyter-book 1.x 下，sphinx-thebe 与 sphinx-togglebutton 的内联配置脚本
（如 ``const THEBE_JS_URL = …``）会被登记两次（一次 filename=None，一次
filename=""），页面里出现两遍，浏览器抛出
“Identifier 'THEBE_JS_URL' has already been declared”。这里在读完源文件、
生成每个页面时去掉重复的脚本。网站测试（tests/test_site.py）检查页面没有 JS 错误。
"""

from __future__ import annotations


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


def _dedupe_page_scripts(app, pagename, templatename, context, doctree):
    if context.get("script_files"):
        _dedupe(context["script_files"])


def setup(app):
    app.connect("html-page-context", _dedupe_page_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
