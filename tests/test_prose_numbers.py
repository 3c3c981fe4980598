"""正文里的结果数字必须来自代码（DESIGN.md：“Every result number in the prose comes from the code”）。

规则
----
扫描每个笔记本的 Markdown 单元格和 ``book/*.md``，找“像结果的数字”：带小数点的数、百分数，以及
后面跟着“倍、秒、毫秒、分钟、MB、KB、GB、个百分点、个参数”的数。下面这些不算：

- 数学公式、行内代码与代码块、``{role}`…``` 角色（``{glue:text}`` 插入的值就在这里）、HTML 注释、链接地址；
- 标题、引用块（``>`` 开头，照录原文）、指令行（``:`` 开头）、章节开头的“预计运行时间”（另有测试核对它与附录 B 一致）；
- 章节号（§2.3、第 6.1 节、4.1 节）和软件、许可的版本号（TensorFlow 2.16、CC BY 2.0、4.0 国际）；
- **代码里的常数**：与本笔记本代码单元中某个数字字面量相等的值（百分数按除以 100 比较）。
  超参数、断言的阈值（“测试准确率超过 0.95”对应 ``assert acc >= 0.95``）都属于这一类；
- ``ALLOWED`` 里逐条列出、写明理由的数：外部事实（论文、官方文档里的数）、练习题给定的条件和
  答案里的手算、由数学推出的常数。

测出来的值（准确率、误差、秒数……）请在算出它的单元格里 ``dlbook.glue("名字", 值)``，正文写
``{glue:text}`名字:.3f```；或者改写成“上面打印的……”。``book/runtime.md`` 由 ``make bench`` 从实测生成，不扫描。
"""

from __future__ import annotations

import io
import re
import tokenize

import pytest

from tests.bookinfo import GLUE_ROLE, ROOT, code_text, load_notebook, markdown_text, notebook_entries

#: 文件（笔记本条目或 book/ 下的页面）→ {数字原文: 为什么可以直接写}
ALLOWED: dict[str, dict[str, str]] = {
    "notebooks/01_basics": {"0.4": "练习题给定的噪声水平"},
    "notebooks/06_transformer": {
        "1.1": "BERT-base 的参数量（约 1.1 亿，Devlin 等 2019）",
        "400 MB": "中文 BERT 权重文件的大小（外部事实）",
    },
    "notebooks/18_gpt": {
        "9.7 GB": "练习答案里的手算（GPT-3 一条满长度序列的 KV 缓存，float16）",
        "0.99": "练习题给定的 top-p 取值范围",
    },
    "notebooks/07_autoencoder": {
        "30%": "练习题给定的掩码比例",
    },
    "notebooks/09_gan": {
        "1.386": "2 ln 2：均衡时判别器损失的理论值（由公式推出）",
        "0.0002": "DCGAN 论文建议的学习率（Radford 等 2016）",
    },
    "notebooks/10_transfer": {
        "58 MB": "VGG16 无顶层权重文件的大小（Keras 文档）",
        "1.2": "VGG16 三个全连接层的参数量（约 1.2 亿，Simonyan & Zisserman 2015）",
    },
    "notebooks/11_multimodal": {
        "31.25": "8000 Hz / 256 点的频率分辨率（由采样参数推出）",
        "0.72": "练习答案里的手算（九个固定答案准确率的平均）",
    },
    "notebooks/12_compression": {
        "22%": "练习答案里的手算（剪枝后参数占比）",
        "33%": "练习答案里的手算（稀疏格式的收支平衡点）",
        "0.1": "练习题给定的 α 取值",
    },
    "notebooks/13_shared": {
        "108736个参数": "练习答案里的手算（主干参数量）",
        "0.1": "练习题给定的损失权重",
    },
    "notebooks/14_rl": {"39.5": "练习答案里的手算（有效视野）", "99.3": "练习答案里的手算（有效视野）"},
    "notebooks/16_distributed": {
        "7.0": "NVIDIA 张量核心要求的计算能力（外部事实）",
        "0.05": "练习题给定的学习率",
        "0.4": "练习答案里的手算（0.05 × 8）",
        "50毫秒": "练习题给定的每步计算时间",
        "100 MB": "练习答案里的手算（2500 万 × 4 字节）",
        "17.5毫秒": "练习答案里的手算",
    },
    "notebooks/17_detection": {
        "0.95": "COCO 指标里 IoU 阈值的上限（外部事实）",
        "0.55": "COCO 指标里 IoU 阈值的取值（外部事实）",
    },
    "book/glossary.md": {"0.9": "标签平滑的常见取值（举例）"},
    "book/setup.md": {v: "Python 与操作系统的版本号" for v in ("3.10", "3.11", "3.12", "3.13", "22.04", "24.04")},
    "book/teaching.md": {
        "3 GB": "本书给每章定的内存预算（DESIGN.md）",
        "5分钟": "期中项目的运行时间上限：课程规定，不是实验结果",
        "10分钟": "期末项目的运行时间上限与展示时长：课程规定，不是实验结果",
    },
}

NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>%|％|倍|秒|毫秒|分钟|MB|KB|GB|个百分点|个参数)?(?![\w.])"
)
STRIP = [
    re.compile(r"```.*?```", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"\$[^$\n]+\$"),
    re.compile(r"\{[\w:-]+\}`[^`]*`"),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"https?://\S+"),
    re.compile(r"§\s*[\d.]+|第?\s*\d+(?:\.\d+)+\s*节|第\s*\d+\s*节"),
    re.compile(r"(?:TensorFlow|Keras|Python|CC BY(?:-SA)?|IPython|NumPy|Colab)\s*\d+(?:\.\d+)+"),
    re.compile(r"\d+\.\d+\s*国际"),
]
SKIP_LINE = re.compile(r"^\s*(?:#|>|:)|预计运行时间")


def prose_lines(markdown: str) -> list[str]:
    """去掉公式、代码、角色、链接、标题和引用之后剩下的正文行。"""
    for pattern in STRIP:
        markdown = pattern.sub(" ", markdown)
    return [line for line in markdown.splitlines() if not SKIP_LINE.search(line)]


def code_constants(code: str) -> set[float]:
    """代码里出现过的全部数字字面量（``3e-3``、``0.95``、``1_000`` 都算）。"""
    values = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.NUMBER:
                try:
                    values.add(float(token.string.replace("_", "").rstrip("jJ")))
                except ValueError:
                    pass
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    # IPython 魔法命令、字符串里的数（如 f"{x:.3f}" 之外的 "0.5"）也算常数
    values.update(float(m) for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", code))
    return {round(v, 9) for v in values}


def typed_numbers(markdown: str | list[str], constants: set[float]) -> list[tuple[str, str]]:
    """正文里既不是代码常数、也没有 glue 的“结果数字”：[(数字原文, 所在行)]。

    ``markdown`` 可以是单元格文字的列表：每个单元格单独处理，代码块的 ``` 不会跨单元格配对。
    """
    if isinstance(markdown, list):
        return [hit for cell in markdown for hit in typed_numbers(cell, constants)]
    found = []
    for line in prose_lines(markdown):
        for match in NUMBER.finditer(line):
            num, unit = match["num"], match["unit"]
            if not unit and "." not in num:
                continue  # 不带单位的整数：张数、轮数、维数等，都是数据或代码的常数
            value = float(num.replace(",", ""))
            if round(value, 9) in constants or (unit in ("%", "％") and round(value / 100, 9) in constants):
                continue
            spaced = unit in ("MB", "KB", "GB")
            found.append((f"{num} {unit}" if spaced else num + (unit or ""), line.strip()))
    return found


def _sources() -> list[tuple[str, str, set[float]]]:
    items = []
    for entry in notebook_entries():
        nb = load_notebook(entry)
        markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        items.append((entry, markdown, code_constants(code_text(nb))))
    for path in sorted((ROOT / "book").glob("*.md")):
        if path.name != "runtime.md":  # make bench 从实测生成
            items.append((f"book/{path.name}", path.read_text(encoding="utf-8"), set()))
    return items


SOURCES = _sources()


@pytest.mark.parametrize("name, markdown, constants", SOURCES, ids=[s[0] for s in SOURCES])
def test_no_typed_result_numbers(name, markdown, constants):
    allowed = ALLOWED.get(name, {})
    bad = [(num, line) for num, line in typed_numbers(markdown, constants) if num not in allowed]
    report = "\n".join(f"  {num!r}：…{line[:80]}…" for num, line in bad)
    assert not bad, (
        f"{name} 的正文里手写了结果数字（请用 dlbook.glue + {{glue:text}}，或写成“上面打印的”；"
        f"确是常数或外部事实的，加进 tests/test_prose_numbers.py 的 ALLOWED 并写明理由）：\n{report}"
    )


def test_allowlist_has_no_stale_entries():
    """ALLOWED 里的每一条都还在正文里出现：改写掉的数要从名单里删掉。"""
    present = {name: {num for num, _ in typed_numbers(md, consts)} for name, md, consts in SOURCES}
    stale = [(name, num) for name, nums in ALLOWED.items() for num in nums if num not in present.get(name, set())]
    assert not stale, f"ALLOWED 里这些条目已不再需要：{stale}"


GLUE_CALL = re.compile(r"""dlbook\.glue\(\s*["']([A-Za-z_]\w*)["']""")


@pytest.mark.parametrize("entry", notebook_entries())
def test_glue_names_match(entry):
    """正文引用的每个名字都由本章代码 glue 过，每个 glue 过的名字都在正文里用到，且不重名。"""
    nb = load_notebook(entry)
    markdown = markdown_text(nb)
    glued = GLUE_CALL.findall(code_text(nb))
    used = set(GLUE_ROLE.findall(markdown))
    assert len(glued) == len(set(glued)), f"{entry}：glue 的名字重复 {sorted(glued)}"
    assert used <= set(glued), f"{entry}：正文引用了没有 glue 的名字 {sorted(used - set(glued))}"
    assert set(glued) <= used, f"{entry}：glue 了却没有在正文里用到 {sorted(set(glued) - used)}"
    assert not re.search(r"\{glue(?::\w+)?\}`[^`]*\}", markdown), f"{entry}：glue 角色的格式写错了（`…}}`）"


def test_scanner_catches_what_it_should():
    """规则自己的例子：手写的结果被抓住，常数、glue、公式、章节号、版本号不算。"""
    constants = code_constants("assert acc >= 0.95\nopt = Adam(3e-3)\n")
    text = (
        "测试准确率 0.973，快了 2.5 倍，用时 12 秒，高出 7 个百分点，剪掉 80% 权重。\n"
        "超过 0.95；学习率 0.003；准确率 {glue:text}`acc:.3f`；$p=0.5$；`x=0.25`；§2.3；第 6.1 节；Keras 3.15。\n"
        "> 原文：准确率 0.99\n"
    )
    assert [n for n, _ in typed_numbers(text, constants)] == ["0.973", "2.5倍", "12秒", "7个百分点", "80%"]
