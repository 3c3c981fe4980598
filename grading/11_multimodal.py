# 第11章 多模态融合：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-11-bilinear stub
# 定义 build_fusion(kind)：输入为 [image, question]（同第 3 节），u = image_encoder(image)、
# v = text_encoder(question)（各 64 维）；kind == "相乘" 时融合特征为 layers.Multiply()([u, v])，
# kind == "拼接 + 相乘" 时为 u、v、u⊙v 拼成的 192 维；之后同早期融合：scores(融合特征, ...) 再接 softmax。
# 按第 3 节的设置（Adam(2e-3)、EPOCHS 轮、批大小 BATCH）训练两种模型，把结果存进字典
# fusion_acc = {"相乘": [...], "拼接 + 相乘": [...]}（可以再放入第 3 节的拼接作对照），
# 每个值是 [总准确率, 五种题型各自的准确率]，题型顺序同 QUESTION_TYPES。

# %% ex-11-bilinear test 2
def _layers_of(model, kind):
    return [layer for layer in model.layers if type(layer).__name__ == kind]


_mul, _both = build_fusion("相乘"), build_fusion("拼接 + 相乘")
for _m in (_mul, _both):
    assert len(_m.inputs) == 2, "输入应当是 [图片, 问题]"
    assert tuple(_m.output.shape) == (None, NUM_ANSWERS), _m.output.shape
assert [tuple(layer.output.shape) for layer in _layers_of(_mul, "Multiply")] == [(None, 64)], (
    "“相乘”要把两个 64 维特征逐元素相乘"
)
assert not _layers_of(_mul, "Concatenate"), "“相乘”不再拼接"
_cat = _layers_of(_both, "Concatenate")
assert _layers_of(_both, "Multiply") and len(_cat) == 1, "“拼接 + 相乘”要有一个 Multiply 和一个 Concatenate"
assert tuple(_cat[0].output.shape) == (None, 192), "“拼接 + 相乘”应把 u、v、u⊙v 拼成 192 维"

# %% ex-11-bilinear test 1
assert {"相乘", "拼接 + 相乘"} <= set(fusion_acc), set(fusion_acc)
for _k, _v in fusion_acc.items():
    assert len(_v) == 1 + len(QUESTION_TYPES), f"{_k}：应为 [总准确率, 五种题型的准确率]"
    assert all(0.0 <= float(a) <= 1.0 for a in _v), (_k, _v)

# %% ex-11-bilinear test 2 hidden
# 每种题型的测试题一样多，所以总准确率正好是五个题型准确率的平均；
# 两种融合都在隐藏层之前发生交互，总准确率都远高于晚期融合（参考答案自己的检查）
for _k in ("相乘", "拼接 + 相乘"):
    _v = [float(a) for a in fusion_acc[_k]]
    assert abs(_v[0] - np.mean(_v[1:])) < 1e-6, f"{_k}：总准确率应是各题型准确率的平均 {_v}"
    assert _v[0] >= vqa_acc["晚期融合"] + 0.10, (_k, _v, vqa_acc)

# %% ex-11-bilinear test 1 hidden
# 三种在隐藏层之前融合的方式彼此只差一两个百分点：不应比第 3 节的拼接差出许多
for _k in ("相乘", "拼接 + 相乘"):
    assert float(fusion_acc[_k][0]) >= vqa_acc["早期融合"] - 0.08, (_k, fusion_acc[_k], vqa_acc)
