"""本书自己训练、随 dlbook 一起发布的模型：列出、读清单、加载。

有些结果需要的算力超过一章的 90 秒预算（一个预训练过的语言模型、一个训练充分的 GAN）。这些模型由
仓库里的脚本 ``python -m tools.pretrain <名字>``（``make pretrain`` 训练全部）在 CPU 上离线、
确定性地训练一次，权重和一份清单（manifest）放在 ``dlbook/weights/<名字>/`` 下，随 ``pip install``
一起装好：Colab 和离线教室拿到的是同一批文件，运行时不下载任何东西。

清单记录训练数据及其 sha256、超参数、随机种子、步数、用时、TensorFlow/Keras 版本、指标和训练损失
的记录。测试会在新进程里加载每个模型、重新计算这些指标，并用短训练复现日志开头的损失。

用法::

    from dlbook import pretrained
    pretrained.available()                 # ['bert_chars', 'dcgan_mnist', 'gpt_chars']
    info = pretrained.manifest("dcgan_mnist")
    generator = pretrained.load("dcgan_mnist")

    bert = pretrained.load("bert_chars")          # 字级 BERT 式编码器 + 掩码语言模型的预测头
    vocab = pretrained.vocabulary("bert_chars")   # 它的字表（CharVocab）
    ids = vocab.encode(["这本书很好"], 64)         # (1, 64) 的字编号
    hidden = bert.get_layer("encoder")(ids)       # (1, 64, d_model)，微调时接分类头
    scratch = pretrained.build("bert_chars")      # 同结构、随机初始化（从零训练的对照组）

    gpt = pretrained.load("gpt_chars")            # 字级 GPT 式解码器：每个位置输出下一个字的 logits
    window = pretrained.vocabulary("gpt_chars").encode(["今天天气"], 64)  # 后面补零不影响前面（因果掩码）
    next_logits = gpt(window)[0, 3]               # 读完“今天天气”之后，下一个字的 logits
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = [
    "WEIGHTS_DIR",
    "available",
    "manifest",
    "load",
    "build",
    "vocabulary",
    "CharVocab",
    "PretrainedError",
    "dcgan_generator",
    "char_transformer",
    "masked_logits",
]

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
    file = path(name)
    model = build(name)
    model.load_weights(file)
    return model


def build(name: str):
    """与发布模型结构相同、权重随机初始化的新模型（“从零训练”的对照组用它）。"""
    return _BUILDERS[name](manifest(name)["hyperparameters"])


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


class CharVocab:
    """字表：把中文文本逐字变成整数，或反过来。发布的语言模型各自带一份（在清单里）。

    0 号是补零 ``[PAD]``，1 号是字表外的字 ``[UNK]``，2 号是 ``[MASK]``（掩码语言模型用），3 号是
    ``[SEP]``（隔开两段文本），其后按字频从高到低排列。英文字母先转成小写。
    """

    SPECIAL = ("[PAD]", "[UNK]", "[MASK]", "[SEP]")
    PAD, UNK, MASK, SEP = range(4)

    def __init__(self, chars: str):
        if not isinstance(chars, str) or len(set(chars)) != len(chars) or not chars:
            raise ValueError("chars 必须是不含重复字的非空字符串")
        self.chars = chars
        self.tokens = list(self.SPECIAL) + list(chars)
        self._index = {c: i + len(self.SPECIAL) for i, c in enumerate(chars)}

    def __len__(self) -> int:
        return len(self.tokens)

    def ids(self, text: str) -> list[int]:
        """一段文本的字编号（不截断、不补零）。"""
        if not isinstance(text, str):
            raise TypeError(f"text 必须是字符串，收到 {type(text).__name__}")
        return [self._index.get(c, self.UNK) for c in text.lower()]

    def encode(self, texts, length: int):
        """一批文本 → ``(条数, length)`` 的 int32 数组：截断到 length 个字，不足的在后面补 0。"""
        import numpy as np

        if isinstance(texts, str):
            raise TypeError("texts 应是文本的列表；只有一条时写成 [text]")
        if not isinstance(length, int) or length < 1:
            raise ValueError(f"length 必须是正整数，收到 {length!r}")
        out = np.zeros((len(texts), length), dtype="int32")
        for i, text in enumerate(texts):
            row = self.ids(text)[:length]
            out[i, : len(row)] = row
        return out

    def decode(self, ids) -> str:
        """字编号 → 文本；补零略去，其他特殊记号写成 ``[UNK]`` 这样的形式。"""
        return "".join(self.tokens[int(i)] for i in ids if int(i) != self.PAD)


def vocabulary(name: str) -> CharVocab:
    """发布的语言模型的字表（训练时用的同一份）。"""
    info = manifest(name)
    if "vocabulary" not in info:
        raise KeyError(f"发布模型 {name!r} 不是语言模型，没有字表")
    return CharVocab(info["vocabulary"])


def _positional_encoding(length: int, depth: int):
    import numpy as np

    pos = np.arange(length)[:, None]
    i = np.arange(depth // 2)[None, :]
    angle = pos / 10000 ** (2 * i / depth)
    pe = np.zeros((length, depth), dtype="float32")
    pe[:, 0::2], pe[:, 1::2] = np.sin(angle), np.cos(angle)
    return pe


def char_transformer(
    vocab_size: int,
    seq_len: int,
    d_model: int,
    heads: int,
    ff_dim: int,
    blocks: int,
    dropout: float = 0.1,
    causal: bool = False,
):
    """发布的字级 Transformer（tools/pretrain/bert_chars.py 用它训练编码器；causal=True 是 GPT 式解码器）。

    结构与第 6 章第 5 节的编码器块相同（后归一化：注意力、残差、层归一化、GELU 前馈网络），只是更宽、
    叠了 ``blocks`` 层；字嵌入乘以 √d_model 后加正弦位置编码。``causal=False`` 是 BERT 式编码器
    （补零位置不被关注），``causal=True`` 是 GPT 式解码器（位置 t 只看 ≤ t 的位置）。

    返回的模型输入 ``(批, seq_len)`` 的字编号，输出每个位置上字表大小的 logits（未经 softmax；
    GPT 式解码器在位置 t 的输出是对第 t + 1 个字的预测，只取决于位置 0…t，后面补零不影响它）；
    其中名为 ``"encoder"`` 的子模型输出最后一层的隐藏向量 ``(批, seq_len, d_model)``，
    微调时取它即可。
    """
    import keras
    from keras import layers, ops

    ids = keras.Input((seq_len,), dtype="int32", name="ids")
    x = layers.Embedding(vocab_size, d_model, name="char_embedding")(ids)
    x = x * float(d_model) ** 0.5 + _positional_encoding(seq_len, d_model)
    x = layers.Dropout(dropout)(x)
    mask = None if causal else ops.not_equal(ids, 0)[:, None, :]
    for b in range(1, blocks + 1):
        attn = layers.MultiHeadAttention(heads, d_model // heads, dropout=0.0, name=f"block{b}_mha")(
            x, x, attention_mask=mask, use_causal_mask=causal
        )
        x = layers.LayerNormalization(name=f"block{b}_ln1")(x + layers.Dropout(dropout)(attn))
        h = layers.Dense(ff_dim, activation="gelu", name=f"block{b}_ff1")(x)
        h = layers.Dense(d_model, name=f"block{b}_ff2")(h)
        x = layers.LayerNormalization(name=f"block{b}_ln2")(x + layers.Dropout(dropout)(h))
    encoder = keras.Model(ids, x, name="encoder")
    inp = keras.Input((seq_len,), dtype="int32", name="ids")
    h = layers.Dense(d_model, activation="gelu", name="lm_transform")(encoder(inp))
    h = layers.LayerNormalization(name="lm_ln")(h)
    logits = layers.Dense(vocab_size, name="lm_logits")(h)
    return keras.Model(inp, logits, name="gpt_chars" if causal else "bert_chars")


def masked_logits(model, ids, positions, training: bool = False):
    """BERT 式模型只在给定位置上的预测：``(批, 位置数, 字表大小)`` 的 logits。

    ``ids`` 是 ``(批, seq_len)`` 的字编号（其中一些已换成 ``[MASK]``），``positions`` 是
    ``(批, 位置数)`` 的整数，指明要预测哪些位置。只在这些位置上算预测头，比 ``model(ids)`` 对全部
    位置、全部字算 softmax 省得多。``training=True`` 时打开 dropout（预训练脚本用）。
    """
    from keras import ops

    if len(ops.shape(positions)) != 2 or ops.shape(positions)[0] != ops.shape(ids)[0]:
        raise ValueError(f"positions 应为 (批, 位置数)，与 ids 的批大小相同；收到 {ops.shape(positions)}")
    h = model.get_layer("encoder")(ids, training=training)
    h = ops.take_along_axis(h, ops.expand_dims(ops.cast(positions, "int32"), -1), axis=1)
    for name in ("lm_transform", "lm_ln", "lm_logits"):
        h = model.get_layer(name)(h)
    return h


def _char_lm(hp: dict, causal: bool):
    keys = ("vocab_size", "seq_len", "d_model", "heads", "ff_dim", "blocks", "dropout")
    return char_transformer(*(hp[k] for k in keys), causal=causal)


_BUILDERS = {
    "dcgan_mnist": lambda hp: dcgan_generator(hp["noise_dim"], hp["g_width"], bool(hp["conditional"])),
    "bert_chars": lambda hp: _char_lm(hp, causal=False),
    "gpt_chars": lambda hp: _char_lm(hp, causal=True),
}
