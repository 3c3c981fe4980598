"""pytest 插件：给 nbval 加上本书需要的三件事。

用法：``python -m pytest --nbval-lax -p tests.nbval_guard notebooks [--nb-cache _build/.jupyter_cache]``。

1. **stderr 即失败。** nbval 的 ``--nbval-lax`` 只在单元格抛异常时报错；而 TensorFlow 的 C++
   日志、matplotlib 的 “Glyph … missing from font” 警告、Keras 的 UserWarning 都只是 stderr
   输出，会原样出现在网站上。这里把它们变成测试失败。唯一的例外是单元格元数据里写明
   ``{"mystnb": {"output_stderr": "show"}}`` 的单元格（附录 A 里原文代码触发的警告本身就是要讲的内容）。
2. **练习答案也要能跑。** 每个练习答案里的 ```python 代码块作为额外的测试项，
   在本章全部单元格之后、同一个内核里执行，就像读者把答案贴到笔记本末尾运行一样。
   有作业规格（``grading/<章>.py``，见 tools/grading.py）的编程题还要多两步：作答之前，
   每段批改测试都必须失败（空白作业得 0 分）；参考答案运行之后，每段都必须通过（满分）。
3. **只执行一遍。** 给出 ``--nb-cache DIR`` 时，把每个全部通过的笔记本连同输出写进
   jupyter-cache 的 ``DIR/<环境指纹>``（与 jupyter-book 用的是同一个目录，见 tools/cachekey.py）。
   之后 ``make book`` 按代码单元格的哈希直接取用这些输出，不再重新执行。
4. **附录 A 核对自己。** 附录 A 一览表的“原样运行”一栏（能运行 / `异常类名`）与每段原文代码在
   这次执行中真实抛出的异常逐一比较，所以在 Colab 栈（``make test-colab``）上也核对一遍。
5. **一个超时。** 单元格超时取 ``_config.yml`` 的 ``execute.timeout``（jupyter-book 执行笔记本
   用的也是它），除非命令行另给了 ``--nbval-cell-timeout``。
"""

from __future__ import annotations

import copy
import time
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile

from tests.bookinfo import CONFIG, errata_table_rows, solution_code
from tools import grading
from tools.cachekey import cache_dir

_runs: dict[str, dict] = {}  # 笔记本路径 -> 本次执行记录


def pytest_addoption(parser):
    parser.addoption(
        "--nb-cache",
        default=None,
        help="把通过测试的笔记本及其输出写进这个 jupyter-cache 目录（供 jupyter-book 直接取用）",
    )


def pytest_configure(config):
    if not any(str(a).startswith("--nbval-cell-timeout") for a in config.invocation_params.args):
        config.option.nbval_cell_timeout = float(CONFIG["execute"]["timeout"])


def stderr_texts(outputs) -> list[str]:
    """从 nbval 收集到的单元格输出里取出 stderr 文本。"""
    texts = []
    for out in outputs or []:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
            texts.append("".join(text) if isinstance(text, list) else text)
    return [t for t in texts if t.strip()]


def stderr_allowed(cell) -> bool:
    return cell.get("metadata", {}).get("mystnb", {}).get("output_stderr") == "show"


def pytest_collection_modifyitems(session, config, items):
    """在每个笔记本最后一个单元格之后插入它的练习答案代码。"""
    last_index: dict[IPyNbFile, int] = {}
    for i, item in enumerate(items):
        if isinstance(item, IPyNbCell):
            last_index[item.parent] = i
    for parent, i in sorted(last_index.items(), key=lambda kv: -kv[1]):
        chapter = Path(str(parent.path)).stem
        specs = grading.load_specs(chapter) if (grading.SPEC_DIR / f"{chapter}.py").exists() else {}
        blocks = solution_code(parent.nb)
        extra = []
        for n, (label, code) in enumerate(blocks):
            first = all(other != label for other, _ in blocks[:n])
            last = all(other != label for other, _ in blocks[n + 1 :])
            if first and label in specs:
                extra.append(extra_cell(parent, f"Blank {label}", grading.blank_check(label, specs[label])))
            extra.append(extra_cell(parent, f"Solution {label} #{n + 1}", code))
            if last and label in specs:
                for k, test in enumerate(specs[label].tests, 1):
                    extra.append(extra_cell(parent, f"Test {label} #{k}", test.code))
        items[i + 1 : i + 1] = extra


def extra_cell(parent, name: str, code: str) -> IPyNbCell:
    """笔记本里没有、由本插件追加在末尾执行的一个代码单元格（不与保存的输出比较）。"""
    cell = nbformat.v4.new_code_cell(source=code)
    options = defaultdict(bool, check=False)
    return IPyNbCell.from_parent(parent, name=name, cell_num=-1, cell=cell, options=options)


def errata_claims(nb) -> dict[int, str]:
    """附录 A 一览表对每段原文代码写的结果：{代码单元格序号: ``"能运行"`` 或异常类名}。

    片段（带 ``snippet`` 标签的代码单元格）与表格的行按出现顺序一一对应；不是附录 A 时为空。
    """
    rows = errata_table_rows(nb)
    if not rows:
        return {}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    snippets = [n for n, c in enumerate(code) if "snippet" in c.get("metadata", {}).get("tags", [])]
    if len(rows) != len(snippets):
        raise ValueError(f"附录 A 一览表有 {len(rows)} 行，原文片段有 {len(snippets)} 段")
    return {n: row[3].strip("`") for n, row in zip(snippets, rows)}


_claims: dict[str, dict[int, str]] = {}  # 笔记本路径 -> errata_claims，每个笔记本只解析一次


def raised_name(outputs) -> str | None:
    """单元格输出里的异常类名（去掉模块前缀）；没有异常时返回 None。"""
    for out in outputs or []:
        if out.get("output_type") == "error":
            return out.get("ename", "").rsplit(".", 1)[-1]
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    started = time.perf_counter()
    result = yield
    if isinstance(item, IPyNbCell) and item.cell_num >= 0:
        path = str(item.parent.path)
        if path not in _claims:
            _claims[path] = errata_claims(item.parent.nb)
        claim = _claims[path].get(item.cell_num)
        raised = raised_name(getattr(item, "test_outputs", None))
        if claim is not None and (raised or "能运行") != claim:
            pytest.fail(
                f"附录 A 一览表说这段原文代码“{claim}”，这次执行的结果却是“{raised or '能运行'}”："
                "原文代码在这个环境里的表现变了，请改一览表或说明原因",
                pytrace=False,
            )
    texts = stderr_texts(getattr(item, "test_outputs", None))
    if texts and not stderr_allowed(item.cell):
        joined = "\n".join(texts)
        hint = ""
        if "Glyph" in joined or "findfont" in joined:
            hint = "（中文字体问题：确认 dlbook.setup() 已调用、mplfonts 已安装）"
        pytest.fail(f"单元格向 stderr 输出了内容{hint}：\n{joined}", pytrace=False)
    if isinstance(item, IPyNbCell) and item.cell_num >= 0:
        # 记下 nbval 执行的那一版笔记本：执行期间磁盘上的文件若被改过，缓存里也不能混进新代码
        run = _runs.setdefault(str(item.parent.path), {"nb": item.parent.nb, "outputs": {}, "seconds": 0.0})
        run["outputs"][item.cell_num] = item.test_outputs or []
        run["seconds"] += time.perf_counter() - started
    return result


def pytest_sessionfinish(session):
    cache_dir_option = session.config.getoption("--nb-cache")
    if not cache_dir_option or not _runs:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir(cache_dir_option)))
    for path, run in _runs.items():
        nb = copy.deepcopy(run["nb"])
        code = [c for c in nb.cells if c.cell_type == "code"]
        if set(run["outputs"]) != set(range(len(code))):
            continue  # 有单元格失败或没跑到：不缓存，jupyter-book 会自己重新执行（并报错）
        for n, cell in enumerate(code):
            cell.outputs = run["outputs"][n]
            cell.execution_count = n + 1
        cache.cache_notebook_bundle(
            CacheBundleIn(nb, str(Path(path).resolve()), data={"execution_seconds": round(run["seconds"], 2)}),
            check_validity=False,
            overwrite=True,
        )
