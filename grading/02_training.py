# 第2章 训练流程：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-02-momentum-by-hand stub
# 定义 momentum_by_hand(w, steps, lr, beta)：从 w 出发在 loss_2d 上走 steps 步带动量的 SGD，
# 返回形状为 (steps + 1, 2) 的路径（第 0 行是出发点）；再与 keras.optimizers.SGD(momentum=…) 比较。

# %% ex-02-momentum-by-hand test 1
_path = momentum_by_hand(start, 5, lr=0.1, beta=0.5)
assert np.shape(_path) == (6, 2), "路径应有 steps + 1 行、2 列"
np.testing.assert_allclose(_path[0], start, err_msg="路径的第 0 行应当是出发点")

# %% ex-02-momentum-by-hand test 2
np.testing.assert_allclose(
    momentum_by_hand(start, 20, lr=0.2, beta=0.8),
    run_keras_optimizer(keras.optimizers.SGD(0.2, momentum=0.8), start, 20),
    atol=1e-4,
    err_msg="与 Keras 的 SGD(0.2, momentum=0.8) 走出的路径不一致",
)

# %% ex-02-momentum-by-hand test 2 hidden
# beta = 0 时就是普通梯度下降；换一组学习率和动量，仍与 Keras 一致
_w, _plain = start.copy(), [start.copy()]
for _ in range(10):
    _w = _w - 0.05 * grad_2d(_w)
    _plain.append(_w.copy())
np.testing.assert_allclose(momentum_by_hand(start, 10, lr=0.05, beta=0.0), np.array(_plain), atol=1e-10)
np.testing.assert_allclose(
    momentum_by_hand(start, 15, lr=0.05, beta=0.9),
    run_keras_optimizer(keras.optimizers.SGD(0.05, momentum=0.9), start, 15),
    atol=1e-4,
)
