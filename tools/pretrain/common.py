"""各预训练脚本共用的部分：确定性设置、数据哈希、清单（manifest）的写出、第 9 章的裁判分类器。"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
#: 发布的模型放在这里：随 dlbook 包一起安装（pyproject.toml 的 package-data）
WEIGHTS = ROOT / "dlbook" / "weights"
#: 训练用的线程数：确定性只在相同线程数下成立，清单记下它
THREADS = 2
#: 日志里开头这么多步的损失保留全精度，测试用短训练逐一比对
EXACT_STEPS = 20


def deterministic(threads: int = THREADS) -> None:
    """固定线程数并打开 TF 的算子确定性：同一台机器、同一套包上，两次运行的损失逐位相同。"""
    import dlbook

    dlbook.setup(seed=0)
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()


def sha256_arrays(arrays: dict) -> dict:
    """每个训练数组（或字符串序列）的 sha256，写进清单，说明权重是在哪份数据上训练的。"""
    out = {}
    for name, value in arrays.items():
        digest = hashlib.sha256()
        if isinstance(value, np.ndarray):
            digest.update(f"{value.dtype}{value.shape}".encode())
            digest.update(np.ascontiguousarray(value).tobytes())
        else:
            for text in value:
                digest.update(text.encode() + b"\n")
        out[name] = digest.hexdigest()
    return out


def versions() -> dict:
    import keras
    import tensorflow as tf

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpu": cpu(),
    }


def cpu() -> str:
    """CPU 型号和它有没有 AVX-512：指令集不同，浮点求和的顺序就不同，损失的末位会差一点。"""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    model = next((ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), "unknown")
    return f"{model}; {'avx512' if 'avx512f' in info else 'no avx512'}"


def loss_log(losses: dict, every: int) -> dict:
    """开头 EXACT_STEPS 步的原值，以及每 every 步的平均（画训练曲线用）。"""
    out = {"every": every, "first": {}, "mean": {}}
    for name, values in losses.items():
        values = np.asarray(values, dtype="float64")
        out["first"][name] = [float(v) for v in values[:EXACT_STEPS]]
        n = len(values) // every * every
        out["mean"][name] = [round(float(v), 5) for v in values[:n].reshape(-1, every).mean(axis=1)]
    return out


def write(name: str, model, manifest: dict, out: Path = WEIGHTS) -> Path:
    """把权重存成 out/name/model.weights.h5，清单存成 out/name/manifest.json（含权重文件的 sha256）。

    只存权重：结构由 dlbook.pretrained 里的代码重建，这样旧一些的 Keras（如 Colab 的）也能加载。
    """
    folder = Path(out) / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "model.weights.h5"
    model.save_weights(path)
    from dlbook.pretrained import file_sha256

    manifest = {"name": name, **manifest, "file": path.name, "sha256": file_sha256(path)}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return folder


def command_line() -> str:
    return " ".join(["python", "-m", "tools.pretrain", *sys.argv[1:]])


@dataclass
class Judge:
    """第 9 章的裁判：在真实训练图上训练的小 CNN，给生成图打分。"""

    model: object
    features: object
    mu_real: np.ndarray
    cov_real: np.ndarray
    real_confidence: float

    def predict(self, images: np.ndarray) -> np.ndarray:
        """每张图的 10 类概率；images 取值 [0, 1]。"""
        return self.model.predict(images, verbose=0, batch_size=500)

    def score(self, images: np.ndarray) -> tuple[float, int, np.ndarray]:
        """(平均置信度, 占比 ≥ 2% 的类别数, 每类张数)；images 取值 [0, 1]。"""
        return self.summarise(self.predict(images))

    @staticmethod
    def summarise(prob: np.ndarray) -> tuple[float, int, np.ndarray]:
        """由概率算 score() 的三个数。"""
        counts = np.bincount(prob.argmax(axis=1), minlength=10)
        return float(prob.max(axis=1).mean()), int((counts >= 0.02 * len(prob)).sum()), counts

    def frechet(self, images: np.ndarray) -> float:
        import scipy.linalg

        f = self.features.predict(images, verbose=0, batch_size=500).mean(axis=(1, 2))
        mu, cov = f.mean(axis=0), np.cov(f, rowvar=False)
        covmean = scipy.linalg.sqrtm(cov @ self.cov_real).real
        return float(((mu - self.mu_real) ** 2).sum() + np.trace(cov + self.cov_real - 2 * covmean))


def mnist_judge(seed: int = 0) -> Judge:
    """按第 9 章第 5 节的做法训练裁判（同样的结构、4 轮、批大小 64），固定种子。"""
    import keras
    from keras import layers

    from dlbook.data import load_mnist

    (x_train, y_train), (x_test, _) = load_mnist()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=4, batch_size=64, verbose=0)
    features = keras.Model(model.inputs, model.layers[2].output)
    f_real = features.predict(x_test, verbose=0, batch_size=500).mean(axis=(1, 2))
    real_conf = float(model.predict(x_test, verbose=0, batch_size=500).max(axis=1).mean())
    return Judge(model, features, f_real.mean(axis=0), np.cov(f_real, rowvar=False), real_conf)
