# 第13章 参数共享与多任务学习：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-13-embed stub
# 定义 make_encoder(dim, name)：结构同第 5 节的 encoder（784 → 128 → 64 → dim），只是嵌入维数可选；
# 定义 train_verifier(enc_1, enc_2) -> (模型, 测试对验证准确率)：两个输入分别过 enc_1、enc_2（传同一个对象即共享），
# 输出 euclidean 距离，按第 5 节的方式训练（同样的训练对、contrastive_loss、8 轮、批大小 128），
# 阈值只在训练对上、从 thresholds 里选。然后 enc16 = make_encoder(16, ...)，
# tied16, acc_tied16 = train_verifier(enc16, enc16)（共享），
# untied16, acc_untied16 = train_verifier(两个新建的 16 维编码器)（不共享）。

# %% ex-13-embed test 2
_enc = make_encoder(16, "probe_enc16")
assert tuple(_enc(np.zeros((2, 784), "float32")).shape) == (2, 16), "make_encoder(16, ...) 应输出 16 维嵌入"
_n16 = (784 + 1) * 128 + (128 + 1) * 64 + (64 + 1) * 16
assert _enc.count_params() == _n16, f"结构应与第 5 节的 encoder 相同（784 → 128 → 64 → 16）：{_enc.count_params()}"
assert tied16.count_params() == enc16.count_params() == _n16, "共享时孪生网络的参数就是一个编码器的参数"
assert untied16.count_params() == 2 * _n16, "不共享时参数应当正好翻倍"

# %% ex-13-embed test 1
_pair = [x_test[:50], x_test[50:100]]
_d12, _d21 = tied16.predict(_pair, verbose=0), tied16.predict(_pair[::-1], verbose=0)
assert _d12.shape == (50, 1), _d12.shape
np.testing.assert_allclose(_d12, _d21, rtol=1e-5, atol=1e-6, err_msg="共享编码器时交换两个输入，距离应当不变")

# %% ex-13-embed test 2 hidden
# 按第 5 节的方式重算 tied16 的测试对验证准确率（阈值在训练对上选）；16 维应比 2 维好
_d_tr = tied16.predict([x_train[a_train], x_train[b_train]], verbose=0)[:, 0]
_d_te = tied16.predict([x_test[a_test], x_test[b_test]], verbose=0)[:, 0]
_tau = thresholds[int(np.argmax([((_d_tr < _th) == s_train).mean() for _th in thresholds]))]
_acc = float(((_d_te < _tau) == s_test).mean())
assert abs(_acc - float(acc_tied16)) < 0.005, f"acc_tied16 = {acc_tied16}，按第 5 节的方式重算得 {_acc}"
assert acc_tied16 >= verify_acc + 0.02, (acc_tied16, verify_acc)

# %% ex-13-embed test 1 hidden
# 不共享时两条支路把图映射到不同的空间：d(x1, x2) ≠ d(x2, x1)，同样的训练量下也更差
_pair = [x_test[a_test[:200]], x_test[b_test[:200]]]
_asym = np.abs(untied16.predict(_pair, verbose=0) - untied16.predict(_pair[::-1], verbose=0)).mean()
assert _asym > 0.01, f"不共享权重时交换两个输入，距离应当改变：{_asym}"
assert acc_untied16 <= acc_tied16 - 0.02, (acc_untied16, acc_tied16)
