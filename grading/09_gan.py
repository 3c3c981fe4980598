# 第9章 生成对抗网络：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-09-saturating stub
# 定义 GANWithNorm(GAN)：train_step 在同一批噪声、同一个判别器上算出两种生成器损失的梯度，
# 只用 saturating 选中的一种更新，返回 {"d_fake", "norm_sat", "norm_nonsat"}；
# 两种损失各训练 2 轮，把每一步记下的数组存进字典
# saturation = {"非饱和损失": {...}, "原始（饱和）损失": {...}}（键同上，值是每步一个数的数组）。

# %% ex-09-saturating test 2
assert set(saturation) == {"非饱和损失", "原始（饱和）损失"}, set(saturation)
for _steps in saturation.values():
    assert {"d_fake", "norm_sat", "norm_nonsat"} <= set(_steps)
    assert len(_steps["d_fake"]) == len(_steps["norm_sat"]) == len(_steps["norm_nonsat"]) > 50
    assert np.all(np.isfinite(_steps["norm_sat"])) and np.all(np.asarray(_steps["norm_nonsat"]) > 0)

# %% ex-09-saturating test 3 hidden
# 判别器占上风（D(G(z)) < 0.3）的步上，原始目标的梯度明显更小：差 1 − D 与 D 的比例
for _steps in saturation.values():
    _strong = np.asarray(_steps["d_fake"]) < 0.3
    assert _strong.sum() >= 5, _strong.sum()
    _sat, _nonsat = np.asarray(_steps["norm_sat"])[_strong], np.asarray(_steps["norm_nonsat"])[_strong]
    assert _sat.mean() < 0.5 * _nonsat.mean(), (_sat.mean(), _nonsat.mean())
