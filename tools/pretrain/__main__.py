"""python -m tools.pretrain [名字 ...] [--steps N] [--out 文件夹]：训练并写出发布的模型。"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from . import MODELS, common


def run(name: str, steps: int | None, out: Path) -> Path:
    module = MODELS[name]
    steps = steps or module.HPARAMS["steps"]
    print(f"== {name}：训练 {steps} 步", flush=True)
    result = module.train(steps)
    print(f"   用时 {result['seconds'] / 60:.1f} 分钟；计算指标", flush=True)
    metrics = module.evaluate(result["model"])
    print("   " + ", ".join(f"{k} {v:.4g}" for k, v in metrics.items()), flush=True)
    manifest = {
        "description": module.__doc__.strip().splitlines()[0],
        "script": f"tools/pretrain/{module.__name__.rsplit('.', 1)[-1]}.py",
        "command": common.command_line(),
        "data": {"source": module.DATA, "sha256": common.sha256_arrays(result["data"])},
        "hyperparameters": {**module.HPARAMS, "steps": steps},
        "seed": module.SEED,
        "threads": common.THREADS,
        "steps": steps,
        "parameters": int(result["model"].count_params()),
        "wall_time_s": round(result["seconds"], 1),
        "trained_on": dt.date.today().isoformat(),
        "versions": common.versions(),
        "metrics": metrics,
        "loss_log": common.loss_log(result["losses"], module.HPARAMS["log_every"]),
        "curve": result.get("curve", {}),
        **result.get("extra", {}),
    }
    folder = common.write(name, result["model"], manifest, out)
    print(f"   写入 {folder}", flush=True)
    return folder


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.pretrain", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="名字", help=f"默认全部：{' '.join(MODELS)}")
    parser.add_argument("--steps", type=int, help="只训练这么多步（检查用；默认按脚本的设置）")
    parser.add_argument("--out", type=Path, default=common.WEIGHTS, help="输出文件夹（默认 dlbook/weights）")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(MODELS))
    if unknown:
        parser.error(f"没有这些模型：{' '.join(unknown)}；可选：{' '.join(MODELS)}")
    common.deterministic()
    for name in args.names or list(MODELS):
        run(name, args.steps, args.out)


if __name__ == "__main__":
    main()
