"""字级语言模型（bert_chars 与 gpt_chars）共用的数据：语料、字表、留出集、按字频猜的基线。

语料 = 《人民日报》1998 年 1 月语料的训练段（``load_peoples_daily("train")``）+ 第 4、6 章训练集里的
评论（``load_chinese_reviews(n_train=15600, n_test=1000, seed=0)`` 的训练部分）的前 14600 条，
标签全部丢弃。留出集（只用来算指标，不参加训练）= 语料的验证段 + 这批训练评论的最后 1000 条。
各章的测试集（评论的测试部分、《人民日报》的测试段）从不出现在这里。
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

#: 字表大小（含 4 个特殊记号）：语料里最常见的字，覆盖约 99% 的字次
VOCAB_SIZE = 4000
#: 训练评论里前这么多条参加预训练，其余 1000 条留出
N_REVIEWS_PRETRAIN = 14600
DATA = (
    "dlbook.data.load_peoples_daily('train') 的句子 + load_chinese_reviews(n_train=15600, n_test=1000, seed=0) "
    f"训练部分的前 {N_REVIEWS_PRETRAIN} 条评论（丢弃标签）；留出集为 load_peoples_daily('val') 与其余 1000 条训练评论"
)


@lru_cache(maxsize=1)
def texts() -> dict:
    """{"news", "reviews", "news_val", "reviews_val"}：四个字符串元组。"""
    from dlbook.data import load_chinese_reviews, load_peoples_daily

    (reviews, _), _ = load_chinese_reviews(n_train=15600, n_test=1000, seed=0)
    reviews = tuple(str(t) for t in reviews)
    return {
        "news": tuple(load_peoples_daily("train").texts),
        "reviews": reviews[:N_REVIEWS_PRETRAIN],
        "news_val": tuple(load_peoples_daily("val").texts),
        "reviews_val": reviews[N_REVIEWS_PRETRAIN:],
    }


@lru_cache(maxsize=1)
def vocab():
    """训练文本里最常见的 VOCAB_SIZE - 4 个字（字频相同时按字的编码排，结果确定）。"""
    from dlbook.pretrained import CharVocab

    t = texts()
    counts = Counter("".join(t["news"] + t["reviews"]).lower())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return CharVocab("".join(c for c, _ in ranked[: VOCAB_SIZE - len(CharVocab.SPECIAL)]))


def build(name: str, hp: dict):
    """发布模型 name 的结构（dlbook.pretrained 里的同一段代码），按 hp 随机初始化。"""
    from dlbook.pretrained import _BUILDERS

    return _BUILDERS[name](hp)


def optimizer(hp: dict):
    """两个字级模型共用的优化器：AdamW，学习率线性预热 hp["warmup"] 步后按余弦曲线降到 0。

    学习率曲线按脚本设定的总步数 hp["steps"]，短训练走的是同一段开头。
    """
    import keras

    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, hp["steps"] - hp["warmup"], warmup_target=hp["lr"], warmup_steps=hp["warmup"]
    )
    return keras.optimizers.AdamW(schedule, weight_decay=hp["weight_decay"], clipnorm=1.0)


def windows(parts, length: int) -> np.ndarray:
    """每段文本切成不超过 length 个字的窗口（长句切成几段），补零到 length。"""
    v = vocab()
    rows = []
    for text in parts:
        ids = v.ids(text)
        for start in range(0, max(len(ids), 1), length):
            rows.append(ids[start : start + length])
    out = np.zeros((len(rows), length), dtype="int32")
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def stream(parts) -> np.ndarray:
    """所有文本首尾相接成一条字编号流，段与段之间插入 [SEP]（GPT 式训练用）。"""
    v = vocab()
    out = []
    for text in parts:
        out.extend(v.ids(text))
        out.append(v.SEP)
    return np.asarray(out, dtype="int32")


def unigram_logprob() -> np.ndarray:
    """按训练语料的字频（加一平滑）给每个字的对数概率：不看上下文的“按字频猜”基线。"""
    t = texts()
    ids = stream(t["news"] + t["reviews"])
    counts = np.bincount(ids, minlength=len(vocab())).astype("float64") + 1.0
    counts[[vocab().PAD, vocab().MASK]] = 0  # 补零和 [MASK] 不会是要猜的字
    with np.errstate(divide="ignore"):  # 这两个记号的概率是 0，对数是 -inf
        return np.log(counts / counts.sum())


class NGram:
    """字的 n-gram 语言模型（n ≤ 3），插值的绝对折扣（interpolated absolute discounting）。

    P(c | a b) = max(N(abc) − D, 0) / N(ab·) + D · T(ab·) / N(ab·) · P(c | b)，
    T(ab·) 是 ab 之后出现过的不同字的个数；没见过的上下文直接退到低一阶；1-gram 加一平滑。
    """

    def __init__(self, ids: np.ndarray, vocab_size: int, discount: float = 0.75):
        self.d = discount
        ids = np.asarray(ids, dtype="int64")
        self.v = vocab_size
        uni = np.bincount(ids, minlength=vocab_size).astype("float64") + 1.0
        self.uni = uni / uni.sum()
        self.counts, self.context, self.types = {}, {}, {}
        for order in (2, 3):
            keys = sum(ids[k : len(ids) - order + 1 + k] * vocab_size ** (order - 1 - k) for k in range(order))
            key, n = np.unique(keys, return_counts=True)
            self.counts[order] = dict(zip(key.tolist(), n.tolist()))
            ctx = key // vocab_size
            c_key, inv = np.unique(ctx, return_inverse=True)
            self.context[order] = dict(zip(c_key.tolist(), np.bincount(inv, weights=n).tolist()))
            self.types[order] = dict(zip(c_key.tolist(), np.bincount(inv).tolist()))

    def _prob(self, history: tuple, c: int) -> float:
        if not history:
            return float(self.uni[c])
        order = len(history) + 1
        lower = self._prob(history[1:], c)
        ctx = 0
        for h in history:
            ctx = ctx * self.v + h
        total = self.context[order].get(ctx)
        if not total:
            return lower
        n = self.counts[order].get(ctx * self.v + c, 0)
        return max(n - self.d, 0) / total + self.d * self.types[order][ctx] / total * lower

    def logprob(self, ids: np.ndarray, positions, order: int) -> np.ndarray:
        """ids[p] 在前 order − 1 个字条件下的对数概率，p 取 positions 里的每个位置（p ≥ order − 1）。"""
        ids = [int(i) for i in ids]
        return np.log([self._prob(tuple(ids[p - order + 1 : p]), ids[p]) for p in positions])
