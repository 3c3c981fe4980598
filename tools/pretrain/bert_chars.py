"""BERT 式的字级中文编码器：在《人民日报》语料和训练评论上做掩码语言模型（第 6 章微调它）。

``python -m tools.pretrain bert_chars``。结构是第 6 章第 5 节的编码器块叠 ``blocks`` 层、更宽
（``dlbook.pretrained.char_transformer``）。预训练任务与 BERT（Devlin 等 2019）相同：每个窗口随机选
``mask_rate`` 的真实字，其中 80% 换成 [MASK]、10% 换成随机字、10% 不变，让模型猜出原字；只在选中的
位置上算 softmax。每批 ``review_share`` 是评论窗口、其余是新闻窗口：第 6 章要拿它做评论的情感分类，
评论的字数虽比新闻少，却是更要紧的领域。

指标在留出集上算（语料的验证段与留出的 1000 条训练评论，固定的掩码）：填空的交叉熵和猜对率，
以及同一批空位上“按字频猜”的交叉熵。
"""

from __future__ import annotations

import time

import numpy as np

from dlbook.pretrained import masked_logits

from . import charlm

NAME = "bert_chars"
HPARAMS = {
    "vocab_size": charlm.VOCAB_SIZE,
    "seq_len": 64,
    "d_model": 96,
    "heads": 4,
    "ff_dim": 256,
    "blocks": 2,
    "dropout": 0.1,
    "mask_rate": 0.25,
    "max_pred": 16,
    "batch": 128,
    "review_share": 0.75,
    "lr": 1e-3,
    "warmup": 200,
    "weight_decay": 0.01,
    "steps": 3000,
    "log_every": 50,
    "eval_every": 500,
}
SEED = 6
DATA = charlm.DATA


def build():
    return charlm.build(NAME, HPARAMS)


def mask_batch(ids: np.ndarray, rng: np.random.Generator):
    """BERT 式掩码。返回 (输入, 选中的位置, 原字, 权重)，后三者形状 (批, max_pred)。"""
    hp, v = HPARAMS, charlm.vocab()
    n, k = len(ids), hp["max_pred"]
    real = ids != 0
    lens = real.sum(axis=1)
    n_pick = np.clip(np.round(lens * hp["mask_rate"]).astype(int), 1, k)
    # 真实字符里随机排序，取前 n_pick 个
    order = np.argsort(np.where(real, rng.random(ids.shape), 2.0), axis=1)[:, :k]
    weights = (np.arange(k)[None, :] < n_pick[:, None]).astype("float32")
    targets = np.take_along_axis(ids, order, axis=1) * (weights > 0)
    inputs = ids.copy()
    roll = rng.random((n, k))
    rows = np.repeat(np.arange(n), k).reshape(n, k)
    use = weights > 0
    mask_here = use & (roll < 0.8)
    rand_here = use & (roll >= 0.8) & (roll < 0.9)
    inputs[rows[mask_here], order[mask_here]] = v.MASK
    inputs[rows[rand_here], order[rand_here]] = rng.integers(len(v.SPECIAL), len(v), rand_here.sum())
    return inputs, order.astype("int32"), targets.astype("int32"), weights


def heldout():
    """留出集的固定填空题（种子 0）：(输入, 位置, 原字, 权重)。"""
    t = charlm.texts()
    ids = np.concatenate(
        [charlm.windows(t["news_val"], HPARAMS["seq_len"])[:2000], charlm.windows(t["reviews_val"], HPARAMS["seq_len"])]
    )
    return mask_batch(ids, np.random.default_rng(0))


def fill_in_scores(model, batch, batch_size: int = 500) -> tuple[float, float]:
    """(交叉熵, 猜对率)，只算权重为 1 的空位。"""
    import tensorflow as tf

    inputs, positions, targets, weights = batch
    ce, hit = [], []
    for i in range(0, len(inputs), batch_size):
        sl = slice(i, i + batch_size)
        logits = masked_logits(model, inputs[sl], positions[sl])
        logp = tf.nn.log_softmax(logits).numpy()
        w = weights[sl] > 0
        ce.append(-np.take_along_axis(logp, targets[sl][..., None], axis=-1)[..., 0][w])
        hit.append((logp.argmax(-1) == targets[sl])[w])
    return float(np.concatenate(ce).mean()), float(np.concatenate(hit).mean())


def train(steps: int) -> dict:
    import keras
    import tensorflow as tf

    hp = HPARAMS
    t = charlm.texts()
    news = charlm.windows(t["news"], hp["seq_len"])
    reviews = charlm.windows(t["reviews"], hp["seq_len"])
    check = heldout() if steps >= hp["eval_every"] else None
    keras.utils.set_random_seed(SEED)
    model = build()
    opt = charlm.optimizer(hp)
    variables = model.trainable_variables

    @tf.function(jit_compile=True)
    def step(inputs, positions, targets, weights):
        with tf.GradientTape() as tape:
            logits = masked_logits(model, inputs, positions, training=True)
            ce = tf.nn.sparse_softmax_cross_entropy_with_logits(targets, logits)
            loss = tf.reduce_sum(ce * weights) / tf.reduce_sum(weights)
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    rng = np.random.default_rng(SEED)
    n_reviews = round(hp["batch"] * hp["review_share"])
    losses = []
    curve = {"step": [], "heldout_ce": [], "seconds": []}
    start = time.perf_counter()
    for i in range(steps):
        ids = np.concatenate(
            [
                news[rng.integers(0, len(news), hp["batch"] - n_reviews)],
                reviews[rng.integers(0, len(reviews), n_reviews)],
            ]
        )
        batch = mask_batch(ids, rng)
        losses.append(float(step(*(tf.constant(a) for a in batch))))
        if check is not None and (i + 1) % hp["eval_every"] == 0:
            ce, _ = fill_in_scores(model, check)
            seconds = round(time.perf_counter() - start, 1)
            for key, value in [("step", i + 1), ("heldout_ce", round(ce, 4)), ("seconds", seconds)]:
                curve[key].append(value)
            loss = np.mean(losses[-50:])
            print(f"   第 {i + 1} 步 {seconds:.0f} 秒：训练损失 {loss:.3f}，留出集填空交叉熵 {ce:.3f}", flush=True)
    return {
        "model": model,
        "losses": {"mlm_loss": losses},
        "seconds": time.perf_counter() - start,
        "curve": curve,
        "data": {"news_windows": news, "review_windows": reviews},
        "extra": {"vocabulary": charlm.vocab().chars},
    }


def evaluate(model) -> dict:
    batch = heldout()
    ce, acc = fill_in_scores(model, batch)
    _, _, targets, weights = batch
    unigram = float(-charlm.unigram_logprob()[targets[weights > 0]].mean())
    return {"heldout_ce": ce, "heldout_accuracy": acc, "unigram_ce": unigram}


def check_metrics(measured: dict, logged: dict) -> None:
    for key in ("heldout_ce", "heldout_accuracy", "unigram_ce"):
        assert abs(measured[key] - logged[key]) < 0.01, (key, measured, logged)
    assert measured["heldout_ce"] < measured["unigram_ce"] - 1.0, measured
