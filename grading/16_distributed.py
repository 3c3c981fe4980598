# 第16章 计算资源与分布式训练：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-16-pipeline stub
# 把 x_train 的每张图（先乘 255 转成 uint8）用 tf.io.encode_png 编码成 PNG 字节串，按原顺序存成列表 pngs；
# 定义 decode(png, label)：用 tf.io.decode_png 解码，返回 (形状 28×28×1、取值 0–1 的 float32 图, label)。
# 从 raw = tf.data.Dataset.from_tensor_slices((pngs, y_train)) 搭三条每批 128 张的流水线，存进字典 variants：
# "串行"：shuffle → map(decode) → batch，不并行、不预取；
# "并行+预取"：shuffle → map(decode, num_parallel_calls=tf.data.AUTOTUNE) → batch → prefetch；
# "解码后缓存"：先 map(decode) 再 cache()，之后 shuffle → batch → prefetch。
# 用第 1 节的 make_train_step 和 build_mlp 在每条流水线上各训练 3 轮，比较每轮的用时。

# %% ex-16-pipeline test 2
assert len(pngs) == len(x_train), "每张训练图一个 PNG 字节串"
for _i in (0, 123, len(x_train) - 1):
    _img, _label = decode(pngs[_i], y_train[_i])
    assert _img.dtype == tf.float32 and tuple(_img.shape) == (28, 28, 1), (_img.dtype, _img.shape)
    assert np.abs(_img.numpy() - x_train[_i]).max() <= 1 / 255 + 1e-6, f"第 {_i} 张解码后应与原图一致（只差 8 位量化）"
    assert int(_label) == int(y_train[_i]), "decode 应原样返回标签"

# %% ex-16-pipeline test 1
assert set(variants) == {"串行", "并行+预取", "解码后缓存"}, set(variants)
for _name, _ds in variants.items():
    _xb, _yb = next(iter(_ds))
    assert tuple(_xb.shape) == (128, 28, 28, 1) and _xb.dtype == tf.float32, (_name, _xb.shape, _xb.dtype)


# %% ex-16-pipeline test 2 hidden
# 按流水线的结构检查（从数据源到输出依次是哪些变换）
def _stages(ds):
    names = []
    while ds is not None:
        names.append(type(ds).__name__.strip("_").lower().removesuffix("dataset"))
        ds = getattr(ds, "_input_dataset", None)
    return names[::-1]


_s = {name: _stages(ds) for name, ds in variants.items()}
assert "map" in _s["串行"] and "parallelmap" not in _s["串行"] and "prefetch" not in _s["串行"], _s["串行"]
assert "parallelmap" in _s["并行+预取"] and _s["并行+预取"][-1] == "prefetch", _s["并行+预取"]
_c = _s["解码后缓存"]
assert "cache" in _c, _c
assert {"map", "parallelmap"} & set(_c[: _c.index("cache")]), f"要先解码再 cache()：{_c}"
assert "shuffle" in _c[_c.index("cache") :], f"shuffle 要放在 cache() 之后，每轮的顺序才会不同：{_c}"

# %% ex-16-pipeline test 1 hidden
# 缓存之后每轮仍正好过一遍全部训练图
_labels = np.concatenate([_yb.numpy() for _, _yb in variants["解码后缓存"]])
assert np.array_equal(np.sort(_labels), np.sort(y_train)), "“解码后缓存”每轮应正好给出全部训练图各一次"
