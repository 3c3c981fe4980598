# 第14章 深度强化学习：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-14-rule stub
# 定义两个手工策略（obs 是 CartPole 的观测 [x, ẋ, θ, θ̇]，返回动作 0 = 向左、1 = 向右）：
# rule_policy(obs)：θ + 0.5·θ̇ > 0 时返回 1，否则返回 0；angle_policy(obs)：只看角度，θ > 0 时返回 1。
# 用本章的 evaluate 在同样 20 个种子上测它们，把每局得分（evaluate 的返回值）分别存为 rule_returns、angle_returns。

# %% ex-14-rule test 2
_cases = {(0.1, -0.1): 1, (0.05, -0.2): 0, (-0.05, 0.2): 1, (-0.1, 0.1): 0}
for (_th, _om), _a in _cases.items():
    _obs = np.array([0.0, 0.0, _th, _om], np.float32)
    assert int(rule_policy(_obs)) == _a, f"θ = {_th}、θ̇ = {_om} 时 rule_policy 应返回 {_a}"
    assert int(angle_policy(_obs)) == int(_th > 0), f"θ = {_th} 时 angle_policy 应返回 {int(_th > 0)}"
for _obs in np.random.default_rng(0).normal(0, 0.1, (200, 4)).astype(np.float32):
    assert int(rule_policy(_obs)) == int(_obs[2] + 0.5 * _obs[3] > 0), f"rule_policy({_obs}) 不对"
    assert int(angle_policy(_obs)) == int(_obs[2] > 0), f"angle_policy({_obs}) 不对"

# %% ex-14-rule test 1
assert np.shape(rule_returns) == np.shape(angle_returns) == (len(EVAL_SEEDS),), "每个评估种子一局"
assert all(1 <= r <= 500 for r in np.concatenate([rule_returns, angle_returns])), "每局得分在 1 到 500 之间"

# %% ex-14-rule test 2 hidden
# 与用本章的 evaluate 独立重算的结果逐局相同
np.testing.assert_array_equal(rule_returns, evaluate(lambda o: int(o[2] + 0.5 * o[3] > 0)))
np.testing.assert_array_equal(angle_returns, evaluate(lambda o: int(o[2] > 0)))

# %% ex-14-rule test 1 hidden
# 同时看角度和角速度的规则达到解决标准；只看角度会“推过头”，差得远
assert rule_returns.mean() >= 475, rule_returns
assert angle_returns.mean() < 0.3 * rule_returns.mean(), (angle_returns.mean(), rule_returns.mean())
