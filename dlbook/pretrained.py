"""本书自己训练、随 dlbook 一起发布的模型：列出、读清单、加载。

有些结果需要的算力超过一章的 90 秒预算（一个预训练过的语言模型、一个训练充分的 GAN）。这些模型由
仓库里的脚本 ``python -m tools.pretrain <名字>``（``make pretrain`` 训练全部）在 CPU 上离线、
确定性地训练一次，权重和一份清单（manifest）放在 ``dlbook/weights/<名字>/`` 下，随 ``pip install``
一起装好：Colab 和离线教室拿到的是同一批文件，运行时不下载任何东西。

清单记录训练数据及其 sha256、超参数、随机种子、步数、用时、TensorFlow/Keras 版本、指标和训练损失
的记录。测试会在新进程里加载每个模型、重新计算这些指标，并用短训练复现日志开头的损失。

用法::

    from dlbook import pretrained
    pretrained.available()                 # ['dcgan_mnist', ...]
    info = pretrained.manifest("dcgan_mnist")
    generator = pretrained.load("dcgan_mnist")
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["WEIGHTS_DIR", "available", "manifest", "load", "PretrainedError", "dcgan_generator"]

#: 发布的模型所在的文件夹（包内）
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


class PretrainedError(RuntimeError):
    """发布的模型找不到、文件缺失或校验和不符。"""


def file_sha256(file: Path) -> str:
    """文件内容的 sha256（清单记录它，加载前核对它）。"""
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def available() -> list[str]:
    """已发布的模型名（有 manifest.json 的子文件夹），按字母序。"""
    if not WEIGHTS_DIR.is_dir():
        return []
    return sorted(p.parent.name for p in WEIGHTS_DIR.glob("*/manifest.json"))


def _folder(name: str) -> Path:
    if not isinstance(name, str) or name not in available():
        names = "、".join(available()) or "（没有：dlbook/weights/ 为空，请运行 make pretrain）"
        raise KeyError(f"没有名为 {name!r} 的发布模型。可用的有：{names}")
    return WEIGHTS_DIR / name


def manifest(name: str) -> dict:
    """模型的清单：数据及其 sha256、超参数、种子、步数、用时、版本、指标、损失记录。"""
    return json.loads((_folder(name) / "manifest.json").read_text(encoding="utf-8"))


def path(name: str) -> Path:
    """模型文件的路径；文件缺失或 sha256 与清单不符时报错。"""
    info = manifest(name)
    file = _folder(name) / info["file"]
    if not file.is_file():
        raise PretrainedError(
            f"发布模型 {name!r} 的文件 {file} 不存在：安装可能不完整。请重新安装 dlbook，"
            "或在仓库里运行 `python -m tools.pretrain " + name + "` 重新训练。"
        )
    digest = file_sha256(file)
    if digest != info["sha256"]:
        raise PretrainedError(
            f"发布模型 {name!r} 的文件 {file.name} 校验和不符：清单记录 {info['sha256'][:12]}…，"
            f"实际 {digest[:12]}…。文件被改动或损坏，请重新安装 dlbook。"
        )
    return file


def load(name: str):
    """加载发布的 Keras 模型（先核对 sha256）。返回 ``keras.Model``。

    发布的只有权重（``.weights.h5``），结构由下面的代码按清单里的超参数重建：Keras 的 ``.keras``
    文件里的配置只能由同一版或更新的 Keras 读取，而 Colab 的 Keras 可能比训练时的旧。
    """
    info = manifest(name)
    file = path(name)
    model = _BUILDERS[name](info["hyperparameters"])
    model.load_weights(file)
    return model


def dcgan_generator(noise_dim: int, width: int, conditional: bool = False):
    """第 9 章发布的 DCGAN 的生成器（tools/pretrain/dcgan.py 训练它）。conditional 时输入 [噪声, 类别]。"""
    import keras
    from keras import layers

    if conditional:
        z, label = keras.Input(shape=(noise_dim,), name="z"), keras.Input(shape=(), dtype="int32", name="label")
        head = layers.Concatenate()([z, layers.Embedding(10, 16)(label)])
        body = dcgan_generator(noise_dim + 16, width)
        return keras.Model([z, label], body(head), name="dcgan_cond_generator")
    return keras.Sequential(
        [
            keras.Input(shape=(noise_dim,)),
            layers.Dense(7 * 7 * width, use_bias=False),
            layers.BatchNormalization(momentum=0.9),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Reshape((7, 7, width)),
            layers.Conv2DTranspose(width // 2, 4, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=0.9),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
        ],
        name="dcgan_generator",
    )


_BUILDERS = {
    "dcgan_mnist": lambda hp: dcgan_generator(hp["noise_dim"], hp["g_width"], bool(hp["conditional"])),
}
