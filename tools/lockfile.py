"""完整锁定文件 requirements.lock：由 requirements.txt 推导出的、每一个间接依赖的精确版本。

``requirements.txt`` 只写读者直接用到的包（全部 ``==``）；``make lock`` 调用 uv 的通用解析
（``--universal``：一份文件同时适用于 Python 3.11–3.13 和各个操作系统，个别包按环境标记
分版本），把结果写进 ``requirements.lock``，第一行记下生成它的 requirements.txt 与
pyproject.toml 依赖的 sha256。``make venv`` 安装的是这份锁定文件；
``tests/test_structure.py`` 检查它与 requirements.txt 一致、当前 .venv 与它一致。

命令行::

    python -m tools.lockfile write    # 重新生成 requirements.lock（需要联网访问 PyPI）
    python -m tools.lockfile check    # 锁定文件是否与 requirements.txt 一致
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "requirements.lock"
CONSTRAINTS = ROOT / "tools" / "lock-constraints.txt"
PYTHON_MIN = "3.11"  # 锁定文件覆盖的最低 Python 版本（最高由各包自己的轮子决定）
HASH_PREFIX = "# 输入的 sha256："


def normalize(name: str) -> str:
    """PEP 503 规范名：大小写、``_``、``.`` 都不区分。"""
    return re.sub(r"[-_.]+", "-", name).lower()


def input_digest() -> str:
    """requirements.txt、tools/lock-constraints.txt 与 dlbook 依赖的 sha256：任何一个变了，锁定文件就过期。"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = "\n".join(project.get("dependencies", []))
    data = REQUIREMENTS.read_bytes() + b"\0" + CONSTRAINTS.read_bytes() + b"\0" + deps.encode()
    return hashlib.sha256(data).hexdigest()


def direct_pins() -> dict[str, str]:
    """requirements.txt 里的 {规范名: 版本}（``-e .`` 除外）。"""
    pins = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and line != "-e .":
            name, version = line.split("==")
            pins[normalize(name)] = version.strip()
    return pins


def locked() -> list[tuple[str, str, str]]:
    """锁定文件里的 [(规范名, 版本, 环境标记)]；标记为空表示处处适用。"""
    entries = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)==(\S+)(?:\s*;\s*(.+))?", line.strip())
        if match:
            entries.append((normalize(match.group(1)), match.group(2), (match.group(3) or "").strip()))
    return entries


def locked_here() -> dict[str, str]:
    """锁定文件在当前解释器与平台上生效的 {规范名: 版本}。"""
    from packaging.markers import Marker

    return {name: version for name, version, marker in locked() if not marker or Marker(marker).evaluate()}


def problems() -> list[str]:
    """锁定文件与 requirements.txt 不一致之处；空列表表示一致。"""
    if not LOCK.is_file():
        return ["没有 requirements.lock：请运行 `make lock`"]
    found = []
    first = LOCK.read_text(encoding="utf-8").splitlines()[0]
    if first != HASH_PREFIX + input_digest():
        found.append("requirements.txt 或 pyproject.toml 的依赖改过了，锁定文件已过期：请运行 `make lock`")
    versions: dict[str, set[str]] = {}
    for name, version, _ in locked():
        versions.setdefault(name, set()).add(version)
    for name, version in direct_pins().items():
        if versions.get(name) != {version}:
            found.append(f"{name}: requirements.txt 写 {version}，锁定文件是 {sorted(versions.get(name, []))}")
    if "-e ." not in LOCK.read_text(encoding="utf-8").splitlines():
        found.append("锁定文件里没有 `-e .`（本书的辅助包）")
    return found


def write() -> None:
    cmd = [
        str(Path(sys.executable).with_name("uv")),
        "pip",
        "compile",
        "requirements.txt",
        "--universal",
        "--python-version",
        PYTHON_MIN,
        "--custom-compile-command",
        "make lock",
        "--constraint",
        str(CONSTRAINTS.relative_to(ROOT)),
        "--no-header",
    ]
    result = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    note = "# 由 requirements.txt 生成，请勿手改：运行 `make lock`（uv pip compile --universal）"
    header = f"{HASH_PREFIX}{input_digest()}\n{note}\n"
    LOCK.write_text(header + result.stdout, encoding="utf-8")
    print(f"写好了 {LOCK.name}：{len(locked())} 个包")


def main(argv: list[str]) -> int:
    if argv == ["write"]:
        write()
        return 0
    if argv == ["check"]:
        found = problems()
        print("\n".join(found) or "requirements.lock 与 requirements.txt 一致")
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
