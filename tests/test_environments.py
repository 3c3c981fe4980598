"""读者会用到的几种环境：Colab 安装单元与 Colab 快照、完整锁定文件、执行缓存、CI 与发布流程。

这里只做静态核对；真正在 Colab 栈里执行全部笔记本的是 ``make test-colab``。
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from tests.bookinfo import CHROMIUM_NAMES, CONFIG, ROOT, load_notebook, notebook_entries, repo_url
from tools import cachekey, colab_env, lockfile

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements_of(extra: str | None = None) -> list[Requirement]:
    deps = PYPROJECT["dependencies"] if extra is None else PYPROJECT["optional-dependencies"][extra]
    return [Requirement(d) for d in deps]


# ---------------------------------------------------------------- Colab 安装单元


@pytest.mark.parametrize("entry", notebook_entries())
def test_install_cell_uses_the_one_colab_spec(entry):
    cells = ["".join(c["source"]) for c in load_notebook(entry)["cells"] if c["cell_type"] == "code"]
    install = [c for c in cells if "%pip install" in c]
    assert len(install) == 1, f"{entry} 应只有一个安装单元"
    spec = colab_env.install_spec(f"git+{repo_url()}")
    # 一行太长，网页上放不下：用反斜杠续行（IPython 7 与 8/9 都把续行拼回一条 %pip 命令）
    assert re.search(rf'%pip install -q (\\\n\s*)?"{re.escape(spec)}"\s*$', install[0]), (
        f"{entry} 的安装单元应安装 {spec!r}（tools/colab_env.install_spec）"
    )


def test_colab_extra_is_defined():
    assert colab_env.EXTRA in PYPROJECT["optional-dependencies"], f"pyproject.toml 缺少 extra {colab_env.EXTRA!r}"


def test_every_notebook_import_is_covered():
    """每个笔记本导入的模块：标准库、dlbook 的依赖与 [colab] extra、或 Colab 预装（快照）——四者之一。"""
    ours = {colab_env.normalize(r.name) for r in requirements_of() + requirements_of(colab_env.EXTRA)}
    snapshot = colab_env.snapshot_pins()
    uncovered = {}
    for module, notebooks in colab_env.third_party_imports().items():
        dist = colab_env.normalize(colab_env.distribution(module))
        if module in colab_env.DELIBERATELY_ABSENT:
            assert dist not in snapshot, f"{module} 出现在 Colab 快照里，笔记本里“它没装”的演示在 Colab 上不成立"
            continue
        if dist not in ours and dist not in snapshot:
            uncovered[module] = sorted(notebooks)
    assert not uncovered, f"这些模块在 Colab 上没人安装（加进 pyproject.toml 的 [colab] extra）：{uncovered}"


def test_import_scan_sees_the_chapters_packages():
    """导入扫描本身要能发现东西：否则上面的覆盖测试永远通过。"""
    found = colab_env.third_party_imports()
    for module, notebook in [("ai_edge_litert", "12_compression"), ("gymnasium", "14_rl"), ("keras", "03_cnn")]:
        assert notebook in found.get(module, ()), (module, found.get(module))
    assert "os" not in found and "dlbook" not in found, "标准库与 dlbook 不算第三方"


def test_colab_install_never_replaces_colab_packages():
    """dlbook 与 [colab] extra 里、Colab 已有的包，快照版本都必须满足版本范围：pip 不会重装它们。"""
    snapshot = colab_env.snapshot_pins()
    conflicts = []
    for req in requirements_of() + requirements_of(colab_env.EXTRA):
        pinned = snapshot.get(colab_env.normalize(req.name))
        if pinned and not req.specifier.contains(pinned[1], prereleases=True):
            conflicts.append(f"{req} 与 Colab 的 {pinned[0]}=={pinned[1]}")
    assert not conflicts, conflicts
    extra = {colab_env.normalize(r.name) for r in requirements_of(colab_env.EXTRA)}
    assert not extra & {"tensorflow", "keras", "numpy"}, "[colab] extra 不能装 TensorFlow / Keras / NumPy"


def test_colab_snapshot_states_source_date_and_python():
    header = colab_env.snapshot_header()
    assert "googlecolab/backend-info" in header and re.search(r"\d{4}-\d{2}-\d{2}", header), header
    assert colab_env.python_version() in {"3.12", "3.13"}
    pins = colab_env.snapshot_pins()
    for name in ("tensorflow", "keras", "numpy", "matplotlib"):
        assert name in pins, f"快照里没有 {name}"


def test_colab_env_files(tmp_path):
    constraints, requirements = colab_env.write_files(tmp_path, "file:///src")
    wanted = [line for line in requirements.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert wanted[-1] == "dlbook[colab] @ file:///src"
    pins = colab_env.snapshot_pins()
    for line in wanted[:-1]:
        name, version = line.split("==")
        if colab_env.normalize(name) in pins:
            assert pins[colab_env.normalize(name)][1] == version, line
    assert "tensorflow==" + pins["tensorflow"][1] in wanted
    assert any(line.startswith("nbval==") for line in wanted)
    assert f"keras=={pins['keras'][1]}" in constraints.read_text(encoding="utf-8").splitlines()


def test_imported_modules_reads_magics_and_nested_imports():
    source = 'import sys\nif x:\n    %pip install -q "a"\n    from sklearn.metrics import f1\nimport os.path, keras\n'
    assert colab_env.imported_modules(source) == {"sys", "sklearn", "os", "keras"}


# ---------------------------------------------------------------- 完整锁定文件


def test_lock_agrees_with_requirements():
    problems = lockfile.problems()
    assert not problems, "\n".join(problems)


def test_lock_is_complete_for_this_venv():
    """make venv 只装锁定文件：.venv 里的每个包都在锁定文件里、版本相同。"""
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("只在本书的 .venv 里检查（make test-unit）")
    from importlib.metadata import distributions

    locked = lockfile.locked_here()
    installed = {lockfile.normalize(d.metadata["Name"]): d.version for d in distributions()}
    extra = sorted(set(installed) - set(locked) - {"pip", "dlbook"})
    differ = {n: (v, locked[n]) for n, v in installed.items() if n in locked and v != locked[n]}
    missing = sorted(set(locked) - set(installed))
    assert not extra and not differ and not missing, f"不在锁定文件里：{extra}；版本不同：{differ}；没装：{missing}"


def test_lock_detects_a_changed_pin(tmp_path, monkeypatch):
    text = lockfile.REQUIREMENTS.read_text(encoding="utf-8").replace("jieba==", "jieba==9")
    fake = tmp_path / "requirements.txt"
    fake.write_text(text, encoding="utf-8")
    monkeypatch.setattr(lockfile, "REQUIREMENTS", fake)
    found = lockfile.problems()
    assert any("过期" in p for p in found) and any(p.startswith("jieba") for p in found), found


def test_makefile_installs_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-r \$\(LOCK\)", makefile)
    assert not re.search(r"pip install .*-r requirements\.txt", makefile), "make venv 应安装锁定文件"


# ---------------------------------------------------------------- Python 3.11–3.13


def test_find_python_picks_a_supported_interpreter():
    found = subprocess.run(["bash", "tools/find-python"], cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    version = subprocess.run(
        [found.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True
    ).stdout.strip()
    assert version in {"(3, 11)", "(3, 12)", "(3, 13)"}, version


def test_find_python_explains_when_nothing_fits():
    found = subprocess.run(["bash", "tools/find-python", "3.99"], cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 1 and "3.99" in found.stderr and "apt-get install" in found.stderr


def test_makefile_does_not_hardcode_a_python_version():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "python3.11" not in makefile and "tools/find-python" in makefile


# ---------------------------------------------------------------- 执行缓存


def _copy_inputs(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "dlbook", root / "dlbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.lock", root / "requirements.lock")
    return root


def test_cache_fingerprint_follows_dlbook_and_lock(tmp_path):
    root = _copy_inputs(tmp_path)
    first = cachekey.fingerprint(root)
    assert first == cachekey.fingerprint(root) == cachekey.fingerprint(ROOT)
    (root / "dlbook" / "data.py").write_text("# 改了\n", encoding="utf-8")
    second = cachekey.fingerprint(root)
    assert second != first
    (root / "requirements.lock").write_text("numpy==0\n", encoding="utf-8")
    assert cachekey.fingerprint(root) not in {first, second}


def test_cache_dir_prunes_stale_fingerprints(tmp_path):
    root = _copy_inputs(tmp_path)
    base = tmp_path / "cache"
    stale = base / "0123456789abcdef"
    stale.mkdir(parents=True)
    (base / "keep-me").mkdir()
    current = cachekey.cache_dir(base, root)
    assert current.parent == base and current.name == cachekey.fingerprint(root)
    assert not stale.exists() and (base / "keep-me").exists()


def test_book_build_and_nbval_share_the_cache_dir():
    fixes = (ROOT / "book/_ext/book_fixes.py").read_text(encoding="utf-8")
    guard = (ROOT / "tests/nbval_guard.py").read_text(encoding="utf-8")
    assert "from tools.cachekey import cache_dir" in fixes and "from tools.cachekey import cache_dir" in guard
    assert '"_build" / ".jupyter_cache"' in fixes
    assert "--nb-cache _build/.jupyter_cache" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_nbval_timeout_comes_from_config():
    """nbval 的单元格超时与 jupyter-book 的执行超时是同一个设置。"""
    from tests import nbval_guard

    class Option:
        nbval_cell_timeout = 2000.0

    class Config:
        option = Option()
        invocation_params = type("P", (), {"args": ("--nbval-lax",)})()

    nbval_guard.pytest_configure(Config)
    assert Config.option.nbval_cell_timeout == float(CONFIG["execute"]["timeout"])
    Config.invocation_params.args = ("--nbval-cell-timeout=5",)
    Config.option.nbval_cell_timeout = 5.0
    nbval_guard.pytest_configure(Config)
    assert Config.option.nbval_cell_timeout == 5.0


# ---------------------------------------------------------------- CI 与发布


def test_ci_looks_for_the_same_chromium_names():
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    names = re.search(r"chromium_names=\(([^)]*)\)", ci)
    assert names and tuple(names.group(1).split()) == CHROMIUM_NAMES
    assert "python3-venv" in ci and "make test" in ci


WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/book.yml").read_text(encoding="utf-8"))


def test_workflow_deploys_the_tested_site():
    jobs = WORKFLOW["jobs"]
    steps = jobs["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "") for s in steps]
    assert any("bash .ci/run" in r for r in runs)
    test_at = next(i for i, r in enumerate(runs) if "bash .ci/run" in r)
    upload_at = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact"))
    assert upload_at > test_at, "上传的必须是测试之后的 _build/html"
    assert not any("make book" in r for r in runs[test_at + 1 :]), "测试之后不能再构建"
    everything = yaml.safe_dump(WORKFLOW)
    assert "actions/cache" not in everything, "不能恢复旧的执行缓存"
    assert set(jobs) == {"test", "deploy"}, "只有测试和部署两个作业，部署不另外构建"
    assert jobs["deploy"]["needs"] == "test"
    assert [s.get("uses", "").split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_workflow_limits_pages_rights_to_deploy():
    jobs = WORKFLOW["jobs"]
    assert WORKFLOW["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "concurrency" not in WORKFLOW and "concurrency" not in jobs["test"], "拉取请求不能取消部署"
    assert jobs["deploy"]["concurrency"]["group"] == "pages"
    assert "pull_request" in jobs["deploy"]["if"]
    pythons = str(next(s for s in jobs["test"]["steps"] if "setup-python" in s.get("uses", ""))["with"])
    assert colab_env.python_version() in pythons, "GitHub 的机器上也要有 Colab 栈的 Python"


# ---------------------------------------------------------------- 许可：文字 CC BY-SA 4.0，代码 MIT


def test_licence_files_and_metadata():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    text = (ROOT / "LICENSE-TEXT").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "Permission is hereby granted" in code
    assert text.startswith("Attribution-ShareAlike 4.0 International")
    assert "Section 3 -- License Conditions." in text and len(text) > 15_000, "LICENSE-TEXT 应是完整的法律文本"
    assert PYPROJECT["license"] == "MIT", "dlbook 包只含代码，SPDX 应为 MIT"
    assert PYPROJECT["license-files"] == ["LICENSE"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("CC BY-SA 4.0", "LICENSE-TEXT", "MIT", "CC-BY-SA-4.0"):
        assert needle in readme, f"README 的许可一节缺少 {needle}"
