# 第6章 Transformer 与 BERT：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-06-causal stub
# 用 scaled_dot_product_attention 加一个 T×T 的下三角布尔掩码 causal（T = 5）实现因果注意力；
# 把第一次的输出和权重存为 out1、w1，只改最后一个位置的键和值后的输出存为 out2。

# %% ex-06-causal test 1
assert causal.dtype == bool and causal.shape[0] == causal.shape[1]
assert np.array_equal(causal, np.tril(np.ones_like(causal))), "causal 应当是下三角（含对角线）"
assert np.allclose(out1[:-1], out2[:-1]) and np.allclose(np.triu(w1, 1), 0)

# %% ex-06-causal test 2 hidden
# 有因果掩码时，第 i 个位置的输出等于只用前 i+1 个位置、不加掩码算出的注意力
_T = causal.shape[0]
_q, _k, _v = np.random.default_rng(11).normal(size=(3, _T, 4))
_out, _ = scaled_dot_product_attention(_q, _k, _v, mask=causal)
for _i in range(_T):
    _prefix, _ = scaled_dot_product_attention(_q[: _i + 1], _k[: _i + 1], _v[: _i + 1])
    np.testing.assert_allclose(np.asarray(_out)[_i], np.asarray(_prefix)[_i], atol=1e-6)
