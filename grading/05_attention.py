# 第5章 注意力机制：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-05-dot-attention stub
# 定义 build_dot_seq2seq()，返回（训练用的模型 dot_model，同时输出注意力权重的 dot_viewer）；
# 用 layers.Attention() 做点积注意力，训练 EPOCHS 轮，把测试集整串准确率存为 dot_acc，
# 用 dot_viewer 得到注意力权重 w_dot 并画热图。

# %% ex-05-dot-attention test 1
_kinds = {type(layer).__name__ for layer in dot_model.layers}
assert "Attention" in _kinds and "AdditiveAttention" not in _kinds, "要用 layers.Attention（点积打分）"
assert 0.0 <= float(dot_acc) <= 1.0

# %% ex-05-dot-attention test 2 hidden
# 注意力权重在源序列的位置上归一化；训练同样的轮数，点积注意力也远好于没有注意力的模型
_w = np.asarray(w_dot)
assert _w.shape[:2] == (len(x_test), TGT_LEN), _w.shape
np.testing.assert_allclose(_w.sum(axis=-1), 1.0, atol=1e-4)
assert float(dot_acc) >= max(0.8, acc_plain + 0.1), (dot_acc, acc_plain)
