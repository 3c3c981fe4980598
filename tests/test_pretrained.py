"""发布的预训练模型：API 的报错、每个模型在新进程里加载并重新算出清单里的指标、短训练复现日志开头。"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dlbook import pretrained
from tools import pretrain

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = pretrained.available()


def test_every_script_has_shipped_weights():
    assert SHIPPED == sorted(pretrain.MODELS), "运行 make pretrain：有脚本没有发布的模型，或反过来"


@pytest.fixture
def fake_weights(tmp_path, monkeypatch):
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "model.weights.h5").write_bytes(b"weights")
    digest = pretrained.file_sha256(folder / "model.weights.h5")
    (folder / "manifest.json").write_text(json.dumps({"file": "model.weights.h5", "sha256": digest}))
    monkeypatch.setattr(pretrained, "WEIGHTS_DIR", tmp_path)
    return folder


def test_unknown_name_lists_available(fake_weights):
    assert pretrained.available() == ["toy"]
    with pytest.raises(KeyError, match="可用的有：toy"):
        pretrained.manifest("gpt5")


def test_missing_file_is_a_clear_error(fake_weights):
    (fake_weights / "model.weights.h5").unlink()
    with pytest.raises(pretrained.PretrainedError, match="不存在"):
        pretrained.load("toy")


def test_checksum_mismatch_is_a_clear_error(fake_weights):
    assert pretrained.path("toy").name == "model.weights.h5"
    (fake_weights / "model.weights.h5").write_bytes(b"tampered")
    with pytest.raises(pretrained.PretrainedError, match="校验和不符"):
        pretrained.load("toy")


def test_empty_weights_folder_says_run_make_pretrain(tmp_path, monkeypatch):
    monkeypatch.setattr(pretrained, "WEIGHTS_DIR", tmp_path / "nothing")
    assert pretrained.available() == []
    with pytest.raises(KeyError, match="make pretrain"):
        pretrained.load("dcgan_mnist")


@pytest.mark.parametrize("name", SHIPPED)
def test_manifest_is_complete(name):
    info = pretrained.manifest(name)
    for key in ("data", "hyperparameters", "seed", "steps", "wall_time_s", "versions", "metrics", "loss_log"):
        assert key in info, key
    assert info["wall_time_s"] <= 30 * 60, "每个模型在 2 核 CPU 上最多训练 30 分钟"
    assert all(len(v) == 64 for v in info["data"]["sha256"].values())
    first = info["loss_log"]["first"]
    assert first and all(len(v) == pretrain.common.EXACT_STEPS for v in first.values())


def test_shipped_weights_fit_the_size_budget():
    total = sum(p.stat().st_size for p in pretrained.WEIGHTS_DIR.rglob("*") if p.is_file())
    assert total <= 20 * 2**20, f"发布的模型共 {total / 2**20:.1f} MB，超过 20 MB"


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_model_meets_its_manifest_in_a_fresh_process(name):
    """在新进程里加载（不靠本进程已导入的模块），重新计算指标，与清单比较。"""
    code = (
        "import json, sys\n"
        "from tools.pretrain import MODELS, common\n"
        "common.deterministic()\n"
        "from dlbook import pretrained\n"
        f"module = MODELS[{name!r}]\n"
        f"print(json.dumps(module.evaluate(pretrained.load({name!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    module = pretrain.MODELS[name]
    module.check_metrics(measured, pretrained.manifest(name)["metrics"])


@pytest.mark.parametrize("name", SHIPPED)
def test_short_rerun_reproduces_the_logged_start(name):
    """脚本重跑开头几步，损失与清单里记录的逐位相同：发布的权重确实出自仓库里的这段代码。"""
    code = (
        "import json\n"
        "from tools.pretrain import MODELS, common\n"
        "common.deterministic()\n"
        f"out = MODELS[{name!r}].train(common.EXACT_STEPS)\n"
        "print(json.dumps(out['losses']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    losses = json.loads(done.stdout.strip().splitlines()[-1])
    logged = pretrained.manifest(name)["loss_log"]["first"]
    assert {k: v[: pretrain.common.EXACT_STEPS] for k, v in losses.items()} == logged
