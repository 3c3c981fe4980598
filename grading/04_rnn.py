# 第4章 循环神经网络：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-04-gru-numpy stub
# 定义 gru_forward(x, kernel, recurrent_kernel, bias)：x 形状 (时间步, 输入维数)，
# 返回每个时间步的隐藏状态，形状 (时间步, n)；与 layers.GRU(n, return_sequences=True) 的输出一致。

# %% ex-04-gru-numpy test 2
_gru = layers.GRU(n_hidden, return_sequences=True)
_gru.build((None, seq_len, n_in))
_mine = gru_forward(x_seq, *_gru.get_weights())
assert np.shape(_mine) == (seq_len, n_hidden), np.shape(_mine)
np.testing.assert_allclose(_mine, _gru(x_seq[None]).numpy()[0], atol=1e-5)

# %% ex-04-gru-numpy test 2 hidden
# 换一个隐藏维数、输入维数和序列长度，结果仍要与 Keras 一致
_x = np.random.default_rng(5).normal(size=(7, 3)).astype("float32")
_gru = layers.GRU(5, return_sequences=True)
_gru.build((None, 7, 3))
np.testing.assert_allclose(gru_forward(_x, *_gru.get_weights()), _gru(_x[None]).numpy()[0], atol=1e-5)

# %% ex-04-multistep stub
# 从 1950 年之前的最后一个窗口出发，逐年预测 1950–1969 这 20 年（每次把预测值接到窗口末尾）；
# 把换算回原单位的 20 个预测值存为 multi，与真实值的绝对误差存为 errors（都是长度 20 的数组）。

# %% ex-04-multistep test 1
assert np.shape(multi) == (20,) and np.shape(errors) == (20,)
np.testing.assert_allclose(errors, np.abs(multi - series[n_train_years : n_train_years + 20]), rtol=1e-5)

# %% ex-04-multistep test 2 hidden
# 第 1 年就是一步预测；第 2 年的输入窗口末尾必须是第 1 年的预测值，而不是真实值
_w = scaled[n_train_years - timesteps : n_train_years].copy()
_p1 = forecaster.predict(_w[None, :, None], verbose=0)[0, 0]
_w2 = np.append(_w[1:], _p1)
_p2 = forecaster.predict(_w2[None, :, None], verbose=0)[0, 0]
np.testing.assert_allclose(multi[:2], to_units(np.array([_p1, _p2])), rtol=1e-4)
