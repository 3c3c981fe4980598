"""Colab 栈：本书在 Colab 上运行时的包版本，以及在本机复现它的虚拟环境。

Colab 读者打开一章时，第一个代码单元执行 ``%pip install "dlbook[colab] @ git+<仓库>"``：
pip 只补装 Colab 没有的包（snownlp、ai-edge-litert、mplfonts……），TensorFlow、Keras、
NumPy 等用 Colab 预装的版本。``make test-colab`` 用这里的函数在本机造出同样的环境：

1. ``tools/colab/pip-freeze-*.txt`` 是 Colab 包列表的快照（来源与日期写在文件第一行，
   取自 googlecolab/backend-info 的 ``pip-freeze.txt``）；其中 ``名字==版本`` 的行就是约束文件；
2. 笔记本导入的、Colab 预装的包（TensorFlow、scikit-learn、statsmodels……）按快照版本安装，
   相当于 Colab 镜像里已有的那部分；
3. 再用安装单元同样的写法 ``dlbook[colab] @ <来源>`` 非可编辑地安装 dlbook；
4. 笔记本复制到一个空目录里，用 nbval（与 ``make test`` 同一个 stderr 检查插件）逐个执行。

命令行::

    python -m tools.colab_env python-version      # 快照里 Colab 的 Python 版本，如 3.13
    python -m tools.colab_env spec SOURCE         # 安装写法，如 dlbook[colab] @ file:///…
    python -m tools.colab_env files DIR SOURCE    # 在 DIR 写 constraints.txt 与 requirements.txt
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from tools.lockfile import direct_pins, normalize

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT_DIR = ROOT / "tools" / "colab"

#: Colab 安装单元用的 extra 名（定义在 pyproject.toml 的 [project.optional-dependencies]）。
EXTRA = "colab"

#: 导入名与 PyPI 发行包名不同的情况。
MODULE_TO_DIST = {
    "sklearn": "scikit-learn",
    "yaml": "PyYAML",
    "PIL": "pillow",
    "IPython": "ipython",
    "ai_edge_litert": "ai-edge-litert",
    "tensorflow_model_optimization": "tensorflow-model-optimization",
}

#: 笔记本故意导入、却故意不装的模块：它们只出现在 ``try: import … except ImportError`` 里，
#: 演示“这个包在 Keras 3 下不能用”。Colab 快照里也没有它们。
DELIBERATELY_ABSENT = {"tensorflow_model_optimization"}

#: 运行测试所需、但 Colab 里没有的工具：版本取 requirements.txt 里的精确版本。
TEST_TOOLS_FROM_PINS = ("nbval",)
#: 运行测试所需、Colab 里有的工具：版本取快照。
TEST_TOOLS_FROM_SNAPSHOT = ("pytest", "PyYAML", "ipykernel")


def snapshot_path() -> Path:
    """最新的 Colab 包列表快照（文件名里的日期最大者）。"""
    files = sorted(SNAPSHOT_DIR.glob("pip-freeze-*.txt"))
    if not files:
        raise FileNotFoundError(f"{SNAPSHOT_DIR} 里没有 Colab 包列表快照 pip-freeze-YYYY-MM.txt")
    return files[-1]


def snapshot_header(path: Path | None = None) -> str:
    return (path or snapshot_path()).read_text(encoding="utf-8").splitlines()[0]


def snapshot_pins(path: Path | None = None) -> dict[str, tuple[str, str]]:
    """{规范名: (原名, 版本)}，只取 ``名字==版本`` 的行（URL 安装的 torch 等略过）。"""
    pins = {}
    for line in (path or snapshot_path()).read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)==([^\s;]+)", line.strip())
        if match:
            pins[normalize(match.group(1))] = (match.group(1), match.group(2))
    if not pins:
        raise ValueError(f"{path or snapshot_path()} 里没有 名字==版本 的行")
    return pins


def python_version(path: Path | None = None) -> str:
    """快照第一行记下的 Colab Python 版本（主.次）。"""
    header = snapshot_header(path)
    match = re.search(r"Python (3\.\d+)", header)
    if not match:
        raise ValueError(f"快照第一行没有写 Python 版本：{header}")
    return match.group(1)


# ---------------------------------------------------------------- 笔记本导入了什么


def _code_sources(nb: dict) -> list[str]:
    """笔记本里会被执行的代码：代码单元（原样收录的原文片段除外）与练习答案里的 python 代码块。"""
    from tests.bookinfo import solution_code

    sources = [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code" and "snippet" not in c.get("metadata", {}).get("tags", [])
    ]
    sources += [code for _, code in solution_code(nb)]
    return sources


def parse_cell(source: str) -> ast.Module:
    """把笔记本单元格解析成语法树；与内核执行时相同，先由 IPython 把魔法行（含反斜杠续行）改写成普通调用。"""
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell(source))


def imported_modules(source: str) -> set[str]:
    """一段代码（可含 IPython 的 ``%`` 魔法行，包括用反斜杠续行的）导入的顶层模块名。"""
    tree = parse_cell(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def notebook_imports() -> dict[str, set[str]]:
    """{顶层模块名: {导入它的笔记本}}，覆盖 notebooks/ 下的全部笔记本。"""
    import json

    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for source in _code_sources(nb):
            for module in imported_modules(source):
                found.setdefault(module, set()).add(path.stem)
    return found


def third_party_imports() -> dict[str, set[str]]:
    """notebook_imports() 去掉标准库与 dlbook 自己。"""
    return {m: nbs for m, nbs in notebook_imports().items() if m not in sys.stdlib_module_names and m != "dlbook"}


def distribution(module: str) -> str:
    return MODULE_TO_DIST.get(module, module)


def colab_preinstalled_imports() -> list[str]:
    """笔记本导入的、Colab 预装的发行包（按快照名）：在 Colab 栈里按快照版本安装。"""
    pins = snapshot_pins()
    dists = {distribution(m) for m in third_party_imports()} - {distribution(m) for m in DELIBERATELY_ABSENT}
    return sorted(pins[normalize(d)][0] for d in dists if normalize(d) in pins)


# ---------------------------------------------------------------- 造环境用的两个文件


def install_spec(source: str) -> str:
    """Colab 安装单元与 make test-colab 共用的安装写法；source 如 ``git+https://…`` 或 ``file:///…``。"""
    return f"dlbook[{EXTRA}] @ {source}"


def write_files(folder: Path, source: str) -> tuple[Path, Path]:
    """在 folder 里写 constraints.txt（快照的全部 名字==版本）与 requirements.txt（要装的东西）。"""
    folder.mkdir(parents=True, exist_ok=True)
    pins = snapshot_pins()
    constraints = folder / "constraints.txt"
    constraints.write_text(
        f"# 由 tools/colab_env.py 从 {snapshot_path().relative_to(ROOT)} 生成\n"
        + "".join(f"{name}=={version}\n" for name, version in sorted(pins.values())),
        encoding="utf-8",
    )
    own = direct_pins()
    wanted = [f"{name}=={pins[normalize(name)][1]}" for name in colab_preinstalled_imports()]
    wanted += [f"{pins[normalize(t)][0]}=={pins[normalize(t)][1]}" for t in TEST_TOOLS_FROM_SNAPSHOT]
    wanted += [f"{t}=={own[normalize(t)]}" for t in TEST_TOOLS_FROM_PINS]
    wanted.append(install_spec(source))
    requirements = folder / "requirements.txt"
    requirements.write_text(
        "# Colab 预装、笔记本要用的包（快照版本），测试工具，以及按安装单元写法安装的 dlbook\n"
        + "".join(f"{line}\n" for line in wanted),
        encoding="utf-8",
    )
    return constraints, requirements


def main(argv: list[str]) -> int:
    if argv[:1] == ["python-version"]:
        print(python_version())
        return 0
    if len(argv) == 2 and argv[0] == "spec":
        print(install_spec(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "files":
        for path in write_files(Path(argv[1]), argv[2]):
            print(path)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
