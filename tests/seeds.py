"""``make seeds``：换两个随机种子把每个笔记本从头执行一遍，看断言是否仍然成立、核心指标有多稳。

用法::

    python -m tests.seeds                      # 全部笔记本，种子偏移 0、100、200，更新附录 B 的“换种子”表
    python -m tests.seeds 03_cnn 10_transfer   # 只重跑这两章，表里其余各章的行不变
    python -m tests.seeds 03_cnn --offsets 100 # 只换一个种子试试：打印结果、不改页面

换种子的方式与读者自己动手时一样：把代码里的 ``dlbook.setup(seed=…)`` 和每一处
``keras.utils.set_random_seed(…)`` 的种子都加上同一个偏移量，其余一字不改（数据的划分不变，
变的是初始化、打乱顺序、随机失活等训练中的随机性）。偏移 0 就是书里的原样。

每个笔记本在全新内核里逐个单元格执行；某个单元格出错时记下它的序号和错误，继续执行后面的单元格，
所以一次能看到这个种子下所有不成立的断言。结果写进 ``book/runtime.md`` 里
``<!-- seeds:start -->`` 与 ``<!-- seeds:end -->`` 之间（``make bench`` 重写页面时保留这一段）。
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.bench import HEADLINES, PAGE, SEEDS_END, SEEDS_START, machine, run_probe, title_of
from tests.bookinfo import ROOT, load_notebook, notebook_entries

DEFAULT_OFFSETS = (0, 100, 200)
START, END = SEEDS_START, SEEDS_END

SETUP_SEED = re.compile(r"dlbook\.setup\(seed=(\d+)")
KERAS_SEED = re.compile(r"keras\.utils\.set_random_seed\(([^()]*(?:\([^()]*\))?[^()]*)\)")


def shift_seeds(source: str, offset: int) -> tuple[str, int]:
    """把一段代码里的种子都加上 ``offset``；返回（新代码，改了几处）。"""
    if offset == 0:
        return source, 0
    source, n1 = SETUP_SEED.subn(lambda m: f"dlbook.setup(seed={int(m[1]) + offset}", source)
    source, n2 = KERAS_SEED.subn(lambda m: f"keras.utils.set_random_seed(({m[1]}) + {offset})", source)
    return source, n1 + n2


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def describe_failure(exc: Exception) -> str:
    """一行说明：出错的那行代码（回溯里 ``---->`` 指着的那行）和异常，例如断言带的数值。"""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = " ".join((getattr(exc, "evalue", "") or "").split())
    text = ANSI.sub("", str(exc))
    pointed = [ln.split("---->", 1)[1].strip() for ln in text.splitlines() if "---->" in ln]
    line = re.sub(r"^\d+\s*", "", pointed[-1]) if pointed else ""
    return f"`{line[:90]}` → {ename}: {evalue[:120]}" if line else f"{ename}: {evalue[:120]}"


def run_with_offset(entry: str, offset: int, timeout: int = 600) -> dict:
    """全新内核里执行换了种子的笔记本：{seconds, shifted, failures: [(单元格, 错误)], metric}。"""
    path = ROOT / f"{entry}.ipynb"
    nb = nbformat.read(path, as_version=4)
    shifted = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source, n = shift_seeds(cell.source, offset)
            shifted += n
    if offset and not shifted:
        raise ValueError(f"{entry} 里找不到可以换的种子（dlbook.setup(seed=…)）")
    headline = HEADLINES.get(Path(entry).name)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    failures = []
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except Exception as exc:  # nbclient.exceptions.CellExecutionError 等
                failures.append((index, describe_failure(exc)))
        seconds = time.perf_counter() - started
        metric = None
        if headline:
            try:  # 前面有单元格失败时，指标可能根本没算出来
                metric = run_probe(client, nb, headline[1]).get("metric")
            except Exception:
                metric = None
    return {"seconds": seconds, "shifted": shifted, "failures": failures, "metric": metric}


def format_rows(results: dict[str, dict[int, dict]], offsets: list[int]) -> dict[str, str]:
    """每章一行表格：{条目: 行}。"""
    rows = {}
    for entry, by_offset in results.items():
        nb = load_notebook(entry)
        cells = []
        for o in offsets:
            r = by_offset[o]
            if r["failures"]:
                cells.append("；".join(f"✗ 第 {i} 个单元格 {msg}" for i, msg in r["failures"]).replace("|", "\\|"))
            else:
                cells.append("✓ 断言全部成立")
        headline = HEADLINES.get(Path(entry).name)
        metrics = [by_offset[o]["metric"] for o in offsets if by_offset[o]["metric"] is not None]
        if headline and metrics:
            name, spread = headline[0], f"{min(metrics):.3f}–{max(metrics):.3f}"
        else:
            name, spread = "—", "—"
        rows[entry] = f"| [{title_of(nb)}](../{entry}.ipynb) | " + " | ".join(cells) + f" | {name} | {spread} |"
    return rows


ROW_ENTRY = re.compile(r"^\| \[[^\]]+\]\(\.\./(notebooks/\w+)\.ipynb\)")


def read_rows(text: str) -> dict[str, str]:
    """页面上已有的换种子表：{条目: 行}（没有时为空）。"""
    if START not in text:
        return {}
    block = text[text.index(START) : text.index(END)]
    return {m[1]: line for line in block.splitlines() if (m := ROW_ENTRY.match(line))}


def write_block(rows: dict[str, str], offsets: list[int]) -> None:
    """把这几章的行写进附录 B 的换种子表，其余各章的行保持不变。"""
    text = PAGE.read_text(encoding="utf-8")
    merged = {**read_rows(text), **rows}
    order = [e for e in notebook_entries() if e in merged]
    head = "| 章节 | " + " | ".join(f"种子 +{o}" for o in offsets) + " | 核心指标 | 范围 |"
    table = "\n".join([head, "|" + "---|" * (len(offsets) + 3), *(merged[e] for e in order)])
    block = f"""{START}
## 换一个随机种子，结论还成立吗

书里每一条断言都应当反映真实的效应，而不是某一个随机种子的运气。`make seeds`（tests/seeds.py）把每个
笔记本在全新内核里再执行几遍，每遍把代码里的 `dlbook.setup(seed=…)` 和每一处
`keras.utils.set_random_seed(…)` 加上同一个偏移量（{"、".join(f"+{o}" for o in offsets)}；+0 就是书里的原样），
数据划分不变。表里记下每个种子下断言是否全部成立（不成立时写出是哪个单元格、哪条断言），以及核心指标在这些
种子之间的范围。

测量环境：{machine()}，无 GPU。只重跑某几章：`.venv/bin/python -m tests.seeds 03_cnn 10_transfer`。

{table}
{END}"""
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    PAGE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="只跑这些笔记本（如 03_cnn）；默认全部")
    parser.add_argument("--offsets", type=int, nargs="+", default=list(DEFAULT_OFFSETS), help="种子偏移量")
    args = parser.parse_args(argv)
    entries = notebook_entries()
    unknown = [n for n in args.only if f"notebooks/{n}" not in entries]
    if unknown:
        parser.error(f"目录里没有这些笔记本：{unknown}")
    chosen = [e for e in entries if not args.only or Path(e).name in args.only]
    results: dict[str, dict[int, dict]] = {}
    for entry in chosen:
        results[entry] = {}
        for offset in args.offsets:
            r = run_with_offset(entry, offset)
            results[entry][offset] = r
            status = "OK" if not r["failures"] else f"FAILED {r['failures']}"
            print(f"{entry} +{offset}: {r['seconds']:.1f} s, metric {r['metric']}, {status}", flush=True)
    rows = format_rows(results, args.offsets)
    print("\n".join(rows.values()))
    if sorted(args.offsets) == list(DEFAULT_OFFSETS):
        write_block(rows, args.offsets)
        print(f"已更新 {PAGE.relative_to(ROOT)}（{len(rows)} 章）")
    else:
        print("（种子偏移不是默认的三个，没有改页面）")
    return 1 if any(r["failures"] for by in results.values() for r in by.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
