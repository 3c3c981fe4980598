"""执行缓存的“环境指纹”：改了 dlbook 或锁定文件，笔记本就必须重新执行。

jupyter-cache 只按代码单元格的文本做哈希：改了 ``dlbook/data.py`` 里的数据划分、或者升级了
TensorFlow，笔记本文本没变，``make book`` 仍会端出旧的输出。这里把会影响执行结果、却不在笔记本
里的东西（``dlbook/`` 下的全部文件、``requirements.lock``、Python 的主次版本）算成一个短哈希，
缓存放在 ``_build/.jupyter_cache/<指纹>/`` 下：指纹一变，就是一个空缓存，全部重新执行。

``tests/nbval_guard.py``（``--nb-cache``，写缓存）与 ``book/_ext/book_fixes.py``（构建网站，读缓存）
都从这里取目录，所以两边永远指向同一处。
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("dlbook", "requirements.lock")
_KEY_RE = re.compile(r"[0-9a-f]{16}")


def fingerprint(root: Path = ROOT) -> str:
    """dlbook/ 的全部文件、requirements.lock 与 Python 版本的 16 位 sha256。"""
    digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc" or not file.exists():
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_dir(base: Path | str, root: Path = ROOT, *, prune: bool = True) -> Path:
    """``base/<指纹>``；prune 为真时删掉 base 下其他指纹的旧缓存。"""
    base = Path(base)
    key = fingerprint(root)
    if prune and base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and _KEY_RE.fullmatch(old.name) and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    return base / key
