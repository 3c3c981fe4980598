"""``make bench``：把每个笔记本在全新内核里执行几遍，量运行时间、峰值内存和本章的核心指标。

用法::

    python -m tests.bench                 # 全部笔记本，各 3 遍，重写 book/runtime.md
    python -m tests.bench --repeat 5 03_cnn 10_transfer   # 只重测这两章，表里其余行保持不变

- 时间：从启动内核到最后一个单元格结束的墙钟时间（读者“重启并全部运行”要等的时间），取中位数；
- 内存：内核进程的峰值常驻内存（``getrusage`` 的 ``ru_maxrss``）；
- 核心指标：执行完后在同一个内核里求值 ``HEADLINES`` 里的表达式，每一遍都记下，能看出结果是否可复现。

各遍按“每章跑一遍、再从头跑第二遍”的顺序轮转，机器忙闲的波动不会集中在某一章上。
结果写成 ``book/runtime.md``（附录 B），``tests/test_structure.py`` 用它核对每章写的“预计运行时间”。
每一行在哪台机器、哪天测的记在页面里的一条 HTML 注释（``measured-on``）里；只重测某几章时只改那几行的
记录，页面上的“测量环境”一句按记录分组写出。
某章写的时间与新的中位数相差超过 ``runtime_agrees`` 的容差时，顺手把那一行改成中位数向上取整到 5 秒
（加 ``--no-update`` 则只报告不改）。

几个人共用一台机器时，设置 ``DLBOOK_BENCH_LOCK=/path/to/lockfile``：每执行一个笔记本前先拿到这把
文件锁，别人的任务不会和计时重叠。
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import math
import os
import platform
import re
import statistics
import time
from datetime import date
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.bookinfo import ROOT, RUNTIME_RE, load_notebook, notebook_entries, stated_runtime

PAGE = ROOT / "book" / "runtime.md"
DEFAULT_REPEAT = 3
#: make seeds（tests/seeds.py）在本页写的“换种子”一段的起止标记；make bench 重写页面时原样保留这一段
SEEDS_START, SEEDS_END = "<!-- seeds:start -->", "<!-- seeds:end -->"

# 每章的核心指标：（名称，在笔记本执行完后求值的表达式）。新增一章时在这里加一行（有测试核对）。
HEADLINES: dict[str, tuple[str, str] | None] = {
    "01_basics": ("MLP 测试准确率", "acc_mlp"),
    "02_training": ("最终模型测试准确率", "test_acc_final"),
    "03_cnn": ("CNN 测试准确率", "test_acc"),
    "04_rnn": ("GRU 情感分类准确率", 'results["GRU"]["acc"]'),
    "05_attention": ("带注意力的日期翻译准确率", "acc_attn"),
    "06_transformer": ("Transformer 情感分类准确率", "transformer_acc"),
    "07_autoencoder": ("卷积自编码器重建 MSE", "conv_mse"),
    "08_vae": ("8 维 VAE 样本被判成数字的置信度", "conf8"),
    "09_gan": ("DCGAN 样本被判成数字的置信度", "dc_conf"),
    "10_transfer": ("10 个标注时微调的准确率", 'mean["微调"][first]'),
    "11_multimodal": ("早期融合 VQA 准确率", 'vqa_acc["早期融合"]'),
    "12_compression": ("剪枝 80% 后的测试准确率", "pruned_acc"),
    "13_shared": ("共享主干的数字准确率", "d_s"),
    "14_rl": ("训练后策略的平均回报", "trained_returns.mean()"),
    "15_xai": ("分类器测试准确率", "test_acc"),
    "16_distributed": ("数据并行训练的测试准确率（最低）", "min(test_acc.values())"),
    "17_detection": ("检测器测试 mAP@0.5", "det_map"),
    "18_gpt": ("迷你 GPT 微调后的评论准确率", "gpt_ft_acc"),
    "A_errata": None,
}

PROBE = """\
import json as _json, resource as _resource
_probe = {{"rss_kb": _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss}}
_expr = {expr!r}
if _expr:
    _probe["metric"] = float(eval(_expr))
print(_json.dumps(_probe))
"""

ROW_RE = re.compile(
    r"^\| \[(?P<title>[^\]]+)\]\((?P<link>[^)]+)\) \| (?P<stated>[^|]+) \| (?P<median>[\d.]+) \| (?P<range>[^|]+) "
    r"\| (?P<mem>[\d.]+) \| (?P<metric_name>[^|]+) \| (?P<metric>[^|]+) \|$"
)


def runtime_agrees(stated: float, median: float) -> bool:
    """页面上写的时间与实测中位数是否一致：相差不超过 max(10 秒, 20%)。"""
    return abs(stated - median) <= max(10.0, 0.2 * median)


@contextlib.contextmanager
def machine_lock():
    path = os.environ.get("DLBOOK_BENCH_LOCK")
    if not path:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def set_stated(entry: str, median: float) -> int:
    """把章节开头的“预计运行时间：约 N 秒”改成中位数向上取整到 5 秒；返回新值。"""
    new = 5 * math.ceil(median / 5)
    path = ROOT / f"{entry}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and RUNTIME_RE.search(cell.source):
            cell.source = RUNTIME_RE.sub(rf"\g<1>{new}\g<3>", cell.source, count=1)
            break
    nbformat.write(nb, path)
    return new


def run_once(entry: str, timeout: int = 600) -> dict:
    """在全新内核里从头执行一遍笔记本；返回秒数、峰值内存（MB）和核心指标。"""
    path = ROOT / f"{entry}.ipynb"
    nb = nbformat.read(path, as_version=4)
    headline = HEADLINES.get(Path(entry).name)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - started
        result = run_probe(client, nb, headline[1] if headline else "")
    return {"seconds": seconds, "rss_mb": result["rss_kb"] / 1024, "metric": result.get("metric")}


def run_probe(client: NotebookClient, nb, expr: str) -> dict:
    """在执行完笔记本的同一个内核里追加一个单元格：峰值内存与核心指标 ``expr`` 的值。"""
    probe = nbformat.v4.new_code_cell(PROBE.format(expr=expr))
    nb.cells.append(probe)
    client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


def title_of(nb: dict) -> str:
    first = "".join(nb["cells"][0]["source"]).splitlines()[0].lstrip("# ").strip()
    return re.sub(r"（.*?）$", "", first)


def read_table(path: Path = PAGE) -> dict[str, dict]:
    """解析 book/runtime.md 里的表：{条目: {...}}；文件不存在时返回空表。"""
    rows = {}
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ROW_RE.match(line.strip())
        if match:
            entry = "notebooks/" + Path(match["link"]).stem
            lo, hi = (float(x) for x in re.findall(r"[\d.]+", match["range"]))
            rows[entry] = {
                "title": match["title"],
                "median": float(match["median"]),
                "min": lo,
                "max": hi,
                "rss_mb": float(match["mem"]),
                "metric_name": match["metric_name"].strip(),
                "metric": match["metric"].strip(),
                "row": line.strip(),
            }
    return rows


def format_row(entry: str, runs: list[dict]) -> str:
    name = Path(entry).name
    nb = load_notebook(entry)
    seconds = [r["seconds"] for r in runs]
    stated = stated_runtime(nb)
    headline = HEADLINES.get(name)
    metrics = [r["metric"] for r in runs]
    if headline:
        values = sorted({f"{m:.3f}" for m in metrics})
        metric = " / ".join(values) if len(values) > 1 else values[0]
        metric_name = headline[0]
    else:
        metric, metric_name = "—", "—"
    return (
        f"| [{title_of(nb)}](../{entry}.ipynb) | {f'约 {stated} 秒' if stated else '—'} "
        f"| {statistics.median(seconds):.1f} | {min(seconds):.1f}–{max(seconds):.1f} "
        f"| {max(r['rss_mb'] for r in runs):.0f} | {metric_name} | {metric} |"
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import keras
    import tensorflow as tf

    return (
        f"{cpu}，{os.cpu_count()} 核，Python {platform.python_version()}，"
        f"TensorFlow {tf.__version__}，Keras {keras.__version__}"
    )


#: 每章在哪台机器上、哪天测的，存成页面里的一条 HTML 注释（JSON）；只重测某几章时只改那几章的记录，
#: 页面上的“测量环境”一句由它生成，不会把一台机器的名字安到别的机器测的行上
PROVENANCE_RE = re.compile(r"<!-- measured-on: (\{.*?\}) -->", re.S)
_OLD_ENV_RE = re.compile(r"最近一次测量的环境：(.+?)，无 GPU，(\d{4}-\d{2}-\d{2})。")


def read_provenance(path: Path | None = None) -> dict[str, str]:
    """{条目: "机器，日期"}。没有这条注释的旧页面：每一行都记作页面上写的那一个环境。"""
    path = PAGE if path is None else path
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    match = PROVENANCE_RE.search(text)
    if match:
        return json.loads(match.group(1))
    old = _OLD_ENV_RE.search(text)
    return {e: f"{old[1]}，{old[2]}" for e in read_table(path)} if old else {}


def chapter_names(entries: list[str]) -> str:
    """["notebooks/06_transformer", "notebooks/09_gan", "notebooks/A_errata"] → "第6、9章、附录 A"。"""
    stems = [Path(entry).name.split("_")[0] for entry in entries]
    numbers = [str(int(s)) for s in stems if s.isdigit()]
    names = [f"第{'、'.join(numbers)}章"] if numbers else []
    return "、".join(names + [f"附录 {s}" for s in stems if not s.isdigit()])


def describe_provenance(order: list[str], provenance: dict[str, str]) -> str:
    """页面上的“测量环境”一句：只有一个环境时直接写；否则写出少数几章各在哪里测，其余各章在哪里测。"""
    groups: dict[str, list[str]] = {}
    for entry in order:
        groups.setdefault(provenance.get(entry, "未记录的机器"), []).append(entry)
    if len(groups) == 1:
        return f"测量环境：{next(iter(groups))}，无 GPU。"
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    parts = [f"{chapter_names(entries)}在 {where} 上测" for where, entries in ranked[1:]]
    return f"测量环境（都没有 GPU）：{'；'.join(parts)}；其余各章在 {ranked[0][0]} 上测。"


def write_page(rows: dict[str, str], repeat: int, provenance: dict[str, str] | None = None) -> None:
    """重写附录 B。provenance：{条目: "机器，日期"}，缺省时用 read_provenance() 读页面上原有的记录。"""
    order = [e for e in notebook_entries() if e in rows]
    if provenance is None:
        provenance = read_provenance()
    provenance = {e: provenance.get(e, "未记录的机器") for e in order}
    table = "\n".join(rows[e] for e in order)
    medians = [float(read_row(rows[e])["median"]) for e in order]
    total = sum(medians)
    old = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
    seeds = re.search(re.escape(SEEDS_START) + ".*?" + re.escape(SEEDS_END), old, re.S)
    PAGE.write_text(
        f"""# 附录 B 运行时间与资源一览

<!-- 本页由 `make bench`（tests/bench.py）生成，请勿手改；重测后提交新的版本。 -->

每章开头的“预计运行时间”都来自这张表。`make bench` 在全新的内核里把每个笔记本从头执行 {DEFAULT_REPEAT} 遍（各章轮流，
不连着跑同一章），记录：

- **实测中位数 / 范围**：从启动内核到最后一个单元格结束的墙钟时间（秒），也就是“重启内核并全部运行”要等多久；
- **峰值内存**：内核进程的最大常驻内存（MB）；
- **核心指标**：本章最主要的结果，每一遍都记下。只出现一个数，说明各遍结果完全相同
  （`dlbook.setup()` 固定了随机种子并打开了确定性算子）；出现几个数，说明这一章的结果会有小幅波动。

{describe_provenance(order, provenance)}只重测某几章时可以只跑 1 遍，
那几行的“范围”就只有一个数。
<!-- measured-on: {json.dumps(provenance, ensure_ascii=False)} -->

| 章节 | 页面所写 | 实测中位数（秒） | 范围（秒） | 峰值内存（MB） | 核心指标 | 指标值 |
|---|---|---|---|---|---|---|
{table}

全书（{len(order)} 个笔记本）依次执行一遍合计约 **{total / 60:.1f} 分钟**。`make test` 只执行一遍：nbval
逐个单元格执行并检查，同时把输出写进 jupyter-cache，随后构建网站时直接取用，不再重新执行。

在自己的机器上重测：`make bench`（默认每章 {DEFAULT_REPEAT} 遍，约 {total * DEFAULT_REPEAT / 60:.0f} 分钟）；
只重测某几章：
`.venv/bin/python -m tests.bench 03_cnn 10_transfer`。
"""
        + (f"\n{seeds.group(0)}\n" if seeds else ""),
        encoding="utf-8",
    )


def read_row(row: str) -> dict:
    match = ROW_RE.match(row)
    if not match:
        raise ValueError(f"无法解析的表格行：{row}")
    return match.groupdict()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="只测这些笔记本（如 03_cnn）；默认全部")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="每个笔记本执行几遍（默认 3）")
    parser.add_argument("--no-update", action="store_true", help="不改章节里写的预计运行时间，只报告")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat 至少为 1")

    entries = notebook_entries()
    unknown = [n for n in args.only if f"notebooks/{n}" not in entries]
    if unknown:
        parser.error(f"目录里没有这些笔记本：{unknown}")
    missing = [e for e in entries if Path(e).name not in HEADLINES]
    if missing:
        parser.error(f"tests/bench.py 的 HEADLINES 里缺少：{missing}")
    chosen = [e for e in entries if not args.only or Path(e).name in args.only]

    runs: dict[str, list[dict]] = {e: [] for e in chosen}
    for i in range(args.repeat):
        for entry in chosen:
            with machine_lock():
                result = run_once(entry)
            runs[entry].append(result)
            print(
                f"[{i + 1}/{args.repeat}] {entry}: {result['seconds']:.1f} s, "
                f"{result['rss_mb']:.0f} MB, {result['metric']}"
            )

    for entry in chosen:
        median = statistics.median(r["seconds"] for r in runs[entry])
        stated = stated_runtime(load_notebook(entry))
        if stated is None or runtime_agrees(stated, median):
            continue
        if args.no_update:
            print(f"注意：{entry} 写的是约 {stated} 秒，实测中位数 {median:.1f} 秒")
        else:
            print(f"{entry}：预计运行时间 约 {stated} 秒 → 约 {set_stated(entry, median)} 秒")

    rows = {e: r["row"] for e, r in read_table().items() if e in entries}
    rows.update({e: format_row(e, runs[e]) for e in chosen})
    provenance = read_provenance()
    here = f"{machine()}，{date.today().isoformat()}"
    provenance.update(dict.fromkeys(chosen, here))
    write_page(rows, args.repeat, provenance)
    print(f"已写入 {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
