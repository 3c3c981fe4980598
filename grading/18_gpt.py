# 第18章 生成式语言模型：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-18-temperature stub
# 对前缀 "这家酒店的服务"，用 gpt_forward 取出下一个字的 logits（最后一个真实字所在位置，形状 (VOCAB,)），
# 对温度 T = 0.01、0.5、1、2、1000 分别算 softmax(logits / T) 的熵（单位 nat）和最大概率，
# 存进字典 temp_stats = {T: (熵, 最大概率)}，并验证 T→0 时最大概率趋于 1、T 很大时熵接近 ln VOCAB。


# %% ex-18-temperature test 1
def _stats_at(t):
    found = [v for k, v in temp_stats.items() if abs(float(k) - t) < 1e-9]
    assert len(found) == 1, f"temp_stats 里应有且只有一个键 {t}：{list(temp_stats)}"
    return tuple(float(a) for a in found[0])


for _t in (0.01, 0.5, 1.0, 2.0, 1000.0):
    _h, _pmax = _stats_at(_t)
    assert -1e-6 <= _h <= np.log(VOCAB) + 1e-6 and 0.0 < _pmax <= 1.0, (_t, _h, _pmax)


# %% ex-18-temperature test 2
# 独立算出前缀的下一个字的分布，核对 T = 0.5、1、2 时的熵和最大概率
def _stats_at(t):
    return tuple(float(a) for a in next(v for k, v in temp_stats.items() if abs(float(k) - t) < 1e-9))


_prefix = "这家酒店的服务"
_z = ops.convert_to_numpy(gpt_forward(vocab.encode([_prefix], SEQ_LEN)))[0, len(vocab.ids(_prefix)) - 1]
for _t in (0.5, 1.0, 2.0):
    _p = softmax(_z.astype("float64") / _t)
    _want = (-(_p * np.log(_p + 1e-30)).sum(), _p.max())
    np.testing.assert_allclose(_stats_at(_t), _want, rtol=1e-3, err_msg=f"T = {_t} 时的（熵, 最大概率）不对")


# %% ex-18-temperature test 2 hidden
# 温度越高分布越平：熵随温度上升，最大概率随温度下降
def _stats_at(t):
    return tuple(float(a) for a in next(v for k, v in temp_stats.items() if abs(float(k) - t) < 1e-9))


_rows = [_stats_at(t) for t in (0.01, 0.5, 1.0, 2.0, 1000.0)]
assert all(a[0] < b[0] for a, b in zip(_rows, _rows[1:])), f"熵应随温度上升：{_rows}"
assert all(a[1] >= b[1] - 1e-9 for a, b in zip(_rows, _rows[1:])), f"最大概率应随温度下降：{_rows}"


# %% ex-18-temperature test 1 hidden
# 两个极限：T→0 时集中到一个字上，T 很大时接近均匀分布
def _stats_at(t):
    return tuple(float(a) for a in next(v for k, v in temp_stats.items() if abs(float(k) - t) < 1e-9))


assert _stats_at(0.01)[1] > 0.99, _stats_at(0.01)
assert _stats_at(1000.0)[0] > 0.99 * np.log(VOCAB), (_stats_at(1000.0), np.log(VOCAB))
