# 第1章 神经网络基础：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-01-relu-backprop stub
# 定义 forward_relu(params, X) -> (Z1, H, y_hat) 和 backward_relu(params, X, y) -> 梯度字典
# （键与 params 相同：W1、b1、W2、b2），隐藏层用 ReLU；再用 tf.GradientTape 核对你的梯度。

# %% ex-01-relu-backprop test 1
_Z1, _H, _p = forward_relu(params, X_batch)
assert _H.shape == (len(X_batch), params["W1"].shape[1]) and _p.shape == (len(X_batch), 1)
assert np.array_equal(_H, np.maximum(_Z1, 0)), "隐藏层应当是 ReLU(Z1)"


# %% ex-01-relu-backprop test 2
def _relu_grads_by_tape(p, X, y):
    v = {k: tf.Variable(w, dtype=tf.float64) for k, w in p.items()}
    with tf.GradientTape() as tape:
        out = tf.sigmoid(tf.nn.relu(X @ v["W1"] + v["b1"]) @ v["W2"] + v["b2"])
        loss = -tf.reduce_mean(y * tf.math.log(out) + (1 - y) * tf.math.log(1 - out))
    return {k: g.numpy() for k, g in zip(v, tape.gradient(loss, list(v.values())))}


_g = backward_relu(params, X_batch, y_batch)
assert set(_g) == set(params), "梯度字典的键要与 params 相同"
for _k, _ref in _relu_grads_by_tape(params, X_batch, y_batch).items():
    np.testing.assert_allclose(_g[_k], _ref, atol=1e-10, err_msg=f"∂L/∂{_k} 与 GradientTape 不符")

# %% ex-01-relu-backprop test 2 hidden
# 换一组参数（隐藏层更宽）和另一批数据，梯度仍要与 GradientTape 一致，而且不能改动传入的参数
_p2 = init_params(d=2, h=16, seed=7)
_before = {k: v.copy() for k, v in _p2.items()}
_X2, _y2 = X_all[64:192], y_all[64:192].reshape(-1, 1).astype(float)
_g2 = backward_relu(_p2, _X2, _y2)
for _k, _ref in _relu_grads_by_tape(_p2, _X2, _y2).items():
    np.testing.assert_allclose(_g2[_k], _ref, atol=1e-10, err_msg=f"∂L/∂{_k} 与 GradientTape 不符")
assert all(np.array_equal(_p2[k], _before[k]) for k in _p2), "backward_relu 不应改动 params"

# %% ex-01-digits stub
# 在 load_digits() 上训练两个模型：没有隐藏层的 Softmax 回归，和一个 64 单元 ReLU 隐藏层的 MLP；
# 把测试集准确率存进字典 digits_acc = {0: 线性模型的准确率, 64: MLP 的准确率}。

# %% ex-01-digits test 1
assert set(digits_acc) == {0, 64}, "digits_acc 的键应当是 0 和 64"
assert all(0.0 <= float(a) <= 1.0 for a in digits_acc.values()), "准确率应在 0 到 1 之间"

# %% ex-01-digits test 2 hidden
# 30% 的样本留作测试集时，两个模型都应远高于随机猜测（0.1）；MLP 应当在九成以上
assert float(digits_acc[0]) >= 0.85, digits_acc
assert float(digits_acc[64]) >= 0.90, digits_acc
