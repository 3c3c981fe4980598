"""从原文（``../shared/seeds/*.txt``）里切出代码片段，供附录 A 与它的结构测试使用。

原文是从网页复制下来的纯文本：代码行和正文交错排列，没有代码围栏，缩进也在复制时丢了。
``extract_snippets`` 用下面这条确定的规则切片段，结果就是细心的读者会数出来的那些片段。

规则
----
1. 逐行判断“像不像 Python 代码”。一行算代码行，当且仅当它满足下列之一：

   - 以 ``#`` 开头（注释，允许含中文）；
   - 以代码围栏标记开头，例如 ```` ```python ````，或者网页把引号转成弯引号后的 ```` ”`python ````；
   - 不含中文字符、全角标点，并且以下列之一开头：``import x`` / ``from x``、``def`` / ``class`` /
     ``return``、右括号 ``)`` ``]`` ``}``、赋值 ``name = …`` / ``a, b = …``（``a.b`` 与元组解包都算）、
     调用 ``name(`` / ``a.b(``。

   行首空白一律忽略（原文有的保留了缩进，有的没有）。
2. 一个片段是**连续代码行的最长一段**；中间夹着的空行算在片段里，只要空行之后的下一个非空行还是代码行。
   片段首尾的空行去掉。
3. 只由注释行组成的一段不算片段（正文里偶尔出现的 ``#`` 开头的行不是代码）。
4. 片段文本就是这些原始行用 ``\\n`` 连接，一个字符都不改（弯引号、错误、超长行都保留），末尾不加换行。

命令行
------
``python -m tests.snippets /work/shared/seeds`` 重新生成清单 ``tests/data/article_snippets.json``::

    {"000": [片段, ...], "001": [...], ..., "sha256": {"000_xxx.txt": "<原文的 sha256>", ...}}

文章编号取文件名中 ``_`` 之前的前缀。清单随仓库提交，因为 CI 克隆仓库时没有 ``../shared``；
``tests/test_errata.py`` 在原文存在时核对清单与重新切出的结果一致。
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent / "data" / "article_snippets.json"

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_COMMENT = re.compile(r"^\s*#")
_FENCE = re.compile(r"^\s*[\"\u201c\u201d]?`+\s*python\b")
_CODE_START = re.compile(
    r"""^\s*(?:
        (?:import|from)\s+[A-Za-z_]                          # import x / from x
      | (?:def|class)\s+[A-Za-z_]                            # def f / class C
      | return\b                                             # return ...
      | [\])}]                                               # ]) 等右括号
      | [A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=(?!=)  # 赋值、元组解包
      | [A-Za-z_][\w.]*\(                                    # 调用
    )""",
    re.VERBOSE | re.ASCII,
)


def is_code_line(line: str) -> bool:
    """按模块说明里的规则 1 判断一行是不是代码。"""
    if _COMMENT.match(line) or _FENCE.match(line):
        return True
    return not _CJK.search(line) and bool(_CODE_START.match(line))


def extract_snippets(text: str) -> list[str]:
    """按模块说明里的规则切出 ``text`` 中的全部代码片段，按出现顺序返回。"""
    lines = text.splitlines()
    snippets: list[str] = []
    i = 0
    while i < len(lines):
        if not is_code_line(lines[i]):
            i += 1
            continue
        end = i  # 片段最后一个代码行
        j = i + 1
        while j < len(lines):
            if is_code_line(lines[j]):
                end = j
            elif lines[j].strip():
                break
            j += 1
        block = lines[i : end + 1]
        if not all(_COMMENT.match(line) or not line.strip() for line in block):
            snippets.append("\n".join(block))
        i = end + 1
    return snippets


def article_id(path: Path) -> str:
    """``000_246c1d4ceafbe750.txt`` → ``"000"``。"""
    return path.name.split("_", 1)[0]


def build_manifest(seeds_dir: Path) -> dict:
    """读取 ``seeds_dir`` 下的全部 ``*.txt``，返回清单（结构见模块说明）。"""
    manifest: dict = {}
    hashes: dict[str, str] = {}
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        data = path.read_bytes()
        manifest[article_id(path)] = extract_snippets(data.decode("utf-8"))
        hashes[path.name] = hashlib.sha256(data).hexdigest()
    if not hashes:
        raise FileNotFoundError(f"{seeds_dir} 里没有原文（*.txt）")
    manifest["sha256"] = hashes
    return manifest


def dumps(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"


def load_manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    seeds_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "seeds"
    manifest = build_manifest(seeds_dir)
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text(dumps(manifest), encoding="utf-8")
    counts = {k: len(v) for k, v in manifest.items() if k != "sha256"}
    print(f"{MANIFEST}：{counts}，共 {sum(counts.values())} 个片段")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
