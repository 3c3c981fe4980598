# 第10章 迁移学习：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-10-lr stub
# 用第 3 节的 Runner 建一个学习率为 1e-2 的微调模型 finetune_hot = Runner(build_model(10, ...), 1e-2)；
# 对 SEEDS[10] 的三个 n=10 子集（用 sample_subset 抽），每次都从源模型的权重 src_weights 出发训练，
# 把三个 UCI 测试准确率按顺序存进列表 accs，再与 mean["微调"][10]（学习率 3e-4）比较。

# %% ex-10-lr test 2
assert isinstance(finetune_hot, Runner), "finetune_hot 应当是第 3 节的 Runner"
_lr = float(keras.ops.convert_to_numpy(finetune_hot.model.optimizer.learning_rate))
assert abs(_lr - 1e-2) < 1e-6, f"学习率应为 1e-2：{_lr}"
assert finetune_hot.model.count_params() == src_model.count_params(), "结构应与源模型相同：build_model(10)"
assert len(accs) == len(SEEDS[10]) == 3, "n=10 的三个子集各一个准确率"
assert all(0.0 <= float(a) <= 1.0 for a in accs), accs

# %% ex-10-lr test 2 hidden
# accs 是 finetune_hot 在 UCI 测试集上的准确率：最后一次 run 之后的模型重新评估，应当得到 accs[-1]
_acc = finetune_hot.model.evaluate(x_uci_test, y_uci_test, verbose=0)[1]
assert abs(_acc - float(accs[-1])) < 1e-6, (_acc, accs)

# %% ex-10-lr test 2 hidden
# 学习率大了三十多倍，预训练的权重被冲乱：平均准确率明显低于学习率 3e-4 的微调
assert np.mean(accs) < mean["微调"][10] - 0.03, (np.mean(accs), mean["微调"][10])
