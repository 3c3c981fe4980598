"""GPT 式的字级中文解码器：在《人民日报》语料和训练评论上做因果语言模型（第 18 章用它）。

``python -m tools.pretrain gpt_chars``。结构是 ``dlbook.pretrained.char_transformer(causal=True)``：
与 bert_chars 同样的 Transformer 块，注意力加因果掩码（位置 t 只看 ≤ t 的字）。预训练任务与 GPT
（Radford 等 2018）相同：读前面的字，猜下一个字，每个位置都算交叉熵（输入右移一位就是目标）。
训练窗口从首尾相接的字流（段与段之间是 [SEP]）里随机截取；每批 ``review_share`` 是评论、其余是新闻。

指标在留出集上算（语料的验证段与留出的 1000 条训练评论）：每段字流切成相隔 seq_len/2 的窗口，只给
每个窗口后一半的字打分，于是每个被打分的字前面都有 seq_len/2 到 seq_len − 1 个字的上下文、且只算一次。
同一批字上还算在同样训练文本上拟合的字的 2-gram、3-gram（插值的绝对折扣）的困惑度作为基线。
"""

from __future__ import annotations

import time

import numpy as np

from . import charlm

NAME = "gpt_chars"
HPARAMS = {
    "vocab_size": charlm.VOCAB_SIZE,
    "seq_len": 64,
    "d_model": 128,
    "heads": 4,
    "ff_dim": 512,
    "blocks": 3,
    "dropout": 0.0,
    "batch": 64,
    "review_share": 0.5,
    "lr": 3e-3,
    "warmup": 200,
    "weight_decay": 0.01,
    "steps": 2800,
    "log_every": 50,
    "eval_every": 700,
}
SEED = 18
DATA = charlm.DATA


def build():
    return charlm.build(NAME, HPARAMS)


def heldout() -> dict:
    """{"news": …, "reviews": …}：每段留出字流的 (窗口, 打分的位置在字流里的下标, 字流)。

    窗口 ``(条数, seq_len + 1)``：前 seq_len 个字是输入，后 seq_len 个是目标；只给每个窗口目标的后
    一半打分。
    """
    t, n = charlm.texts(), HPARAMS["seq_len"]
    out = {}
    for key in ("news", "reviews"):
        ids = charlm.stream(t[f"{key}_val"])
        starts = np.arange(0, len(ids) - n - 1, n // 2)
        windows = np.stack([ids[s : s + n + 1] for s in starts])
        scored = (starts[:, None] + 1 + np.arange(n // 2, n)[None, :]).ravel()
        out[key] = (windows, scored, ids)
    return out


def window_logprob(model, windows: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """每个窗口目标后一半的字的对数概率，按窗口顺序摊平。"""
    import tensorflow as tf

    n = HPARAMS["seq_len"]
    out = []
    for i in range(0, len(windows), batch_size):
        w = windows[i : i + batch_size]
        logp = tf.nn.log_softmax(model(w[:, :n], training=False)[:, n // 2 :]).numpy()
        out.append(np.take_along_axis(logp, w[:, n // 2 + 1 :, None], axis=-1)[..., 0].ravel())
    return np.concatenate(out)


def train(steps: int) -> dict:
    import keras
    import tensorflow as tf

    hp = HPARAMS
    t = charlm.texts()
    news, reviews = charlm.stream(t["news"]), charlm.stream(t["reviews"])
    check = heldout() if steps >= hp["eval_every"] else None
    keras.utils.set_random_seed(SEED)
    model = build()
    opt = charlm.optimizer(hp)
    variables = model.trainable_variables

    @tf.function(jit_compile=True)
    def step(windows):
        with tf.GradientTape() as tape:
            logits = model(windows[:, :-1], training=True)
            ce = tf.nn.sparse_softmax_cross_entropy_with_logits(windows[:, 1:], logits)
            loss = tf.reduce_mean(ce)
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    rng = np.random.default_rng(SEED)
    n_reviews = round(hp["batch"] * hp["review_share"])
    offsets = np.arange(hp["seq_len"] + 1)
    losses = []
    curve = {"step": [], "heldout_ppl_news": [], "heldout_ppl_reviews": [], "seconds": []}
    start = time.perf_counter()
    for i in range(steps):
        starts_news = rng.integers(0, len(news) - len(offsets), hp["batch"] - n_reviews)
        starts_reviews = rng.integers(0, len(reviews) - len(offsets), n_reviews)
        windows = np.concatenate([news[starts_news[:, None] + offsets], reviews[starts_reviews[:, None] + offsets]])
        losses.append(float(step(tf.constant(windows))))
        if check is not None and (i + 1) % hp["eval_every"] == 0:
            ppl = {k: float(np.exp(-window_logprob(model, w).mean())) for k, (w, _, _) in check.items()}
            seconds = round(time.perf_counter() - start, 1)
            for key, value in [
                ("step", i + 1),
                ("heldout_ppl_news", round(ppl["news"], 2)),
                ("heldout_ppl_reviews", round(ppl["reviews"], 2)),
                ("seconds", seconds),
            ]:
                curve[key].append(value)
            loss = np.mean(losses[-50:])
            print(
                f"   第 {i + 1} 步 {seconds:.0f} 秒：训练损失 {loss:.3f}，"
                f"留出集困惑度 新闻 {ppl['news']:.1f}、评论 {ppl['reviews']:.1f}",
                flush=True,
            )
    return {
        "model": model,
        "losses": {"lm_loss": losses},
        "seconds": time.perf_counter() - start,
        "curve": curve,
        "data": {"news_stream": news, "review_stream": reviews},
        "extra": {"vocabulary": charlm.vocab().chars},
    }


def ngram_baselines(check: dict) -> dict:
    """留出集（heldout() 的结果）上字的 2-gram、3-gram 的困惑度（在同样的训练文本上拟合，打分的字与模型的相同）。"""
    t = charlm.texts()
    ngram = charlm.NGram(charlm.stream(t["news"] + t["reviews"]), charlm.VOCAB_SIZE)
    out = {}
    for key, (_, scored, ids) in check.items():
        for order in (2, 3):
            out[f"{order}gram_ppl_{key}"] = float(np.exp(-ngram.logprob(ids, scored, order).mean()))
    return out


def evaluate(model) -> dict:
    check = heldout()
    out = {f"heldout_ppl_{k}": float(np.exp(-window_logprob(model, w).mean())) for k, (w, _, _) in check.items()}
    return {**out, **ngram_baselines(check)}


def check_metrics(measured: dict, logged: dict) -> None:
    for key, value in logged.items():
        assert abs(measured[key] - value) < 0.01 * value, (key, measured, logged)
    for key in ("news", "reviews"):
        assert measured[f"heldout_ppl_{key}"] < 0.9 * measured[f"3gram_ppl_{key}"], measured
