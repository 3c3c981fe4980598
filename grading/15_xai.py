# 第15章 可解释性：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-15-smoothgrad stub
# 定义 smoothgrad(explainer, x, y, n=25, sigma=0.15)：给 x 加 n 次标准差为 sigma 的高斯噪声，
# 用本章的 saliency 求每次的梯度，取绝对值后对 n 次平均，返回与 x 形状相同的图；
# 对第 7 节那 10 张图算出 sg = smoothgrad(explainer, X, Y)，并与梯度显著图 np.abs(sal) 并排画出来。

# %% ex-15-smoothgrad test 2
assert sg.shape == X.shape, f"sg 应与 X 同形状：{sg.shape}"
assert np.all(sg >= 0), "梯度取绝对值后再平均，sg 不应有负数"
_small = smoothgrad(explainer, X[:2], Y[:2], n=4, sigma=0.15)
assert _small.shape == (2, 28, 28, 1), _small.shape

# %% ex-15-smoothgrad test 2 hidden
# 噪声为 0 时每次的梯度都相同：结果就是第 7 节的梯度显著图 |∇f|
_s0 = smoothgrad(explainer, X[:3], Y[:3], n=3, sigma=0.0)
np.testing.assert_allclose(
    np.abs(_s0), np.abs(sal[:3]), rtol=1e-4, atol=1e-6 * np.abs(sal).max(), err_msg="sigma=0 时应等于 |saliency|"
)


# %% ex-15-smoothgrad test 2 hidden
# 对附近许多点的梯度取平均，抖动互相抵消：相邻像素之差（按总量归一）明显小于梯度显著图
def _roughness(maps):
    m = np.abs(maps).reshape(len(maps), 28, 28)
    tv = np.abs(np.diff(m, axis=1)).sum(axis=(1, 2)) + np.abs(np.diff(m, axis=2)).sum(axis=(1, 2))
    return float((tv / m.sum(axis=(1, 2))).mean())


assert _roughness(sg) < 0.75 * _roughness(sal), (_roughness(sg), _roughness(sal))

# %% ex-15-deletion stub
# 定义 deletion_curve(x, y, attr, max_pixels=200, step=10)：对每张图按 attr 从大到小（带符号）把像素置 0，
# 依次置 0 个、step 个、2·step 个……直到 max_pixels 个，每步用 cnn 预测原类别 y 的概率，
# 返回各步上 n 张图的平均概率（长 max_pixels // step + 1 的一维数组）。
# 取每类前 5 张、共 50 张测试图 X50、Y50，为 "积分梯度"、"遮挡敏感度"、"梯度显著图"（取绝对值）、
# "随机顺序" 四种归因各算一条删除曲线，存进字典 curves；曲线下面积（各步概率的平均）存进字典 deletion_auc（键相同）。

# %% ex-15-deletion test 1
assert X50.shape == (50, 28, 28, 1) and np.array_equal(np.bincount(Y50, minlength=10), [5] * 10), "每类 5 张、共 50 张"
assert set(curves) == set(deletion_auc) == {"积分梯度", "遮挡敏感度", "梯度显著图", "随机顺序"}, set(curves)
for _k, _c in curves.items():
    assert np.shape(_c) == (21,), f"{_k}：删 0、10、…、200 个像素，共 21 个点"
    assert abs(float(deletion_auc[_k]) - float(np.mean(_c))) < 1e-6, f"{_k}：AUC 应是曲线上各点的平均"

# %% ex-15-deletion test 2
# 第 7 节的 10 张图：先删本来就是 0 的背景像素，图像不变，曲线是平的；先删最亮的像素，200 个删完数字基本没了
_bg, _ink = deletion_curve(X, Y, -X), deletion_curve(X, Y, X)
_p0 = cnn.predict(X, verbose=0)[np.arange(len(X)), Y].mean()
assert np.shape(_bg) == np.shape(_ink) == (21,), np.shape(_bg)
np.testing.assert_allclose(_bg, _p0, rtol=1e-4, err_msg="只删值为 0 的像素，原类别的概率不应改变")
assert abs(_ink[0] - _p0) < 1e-4 and _ink[-1] < 0.5 * _p0, _ink

# %% ex-15-deletion test 2 hidden
# 独立重算梯度显著图的删除曲线下面积
_attr = np.abs(saliency(explainer, X50, Y50)).reshape(len(X50), -1)
_order = np.argsort(-_attr, axis=1)
_probs = []
for _k in range(0, 201, 10):
    _xx = X50.reshape(len(X50), -1).copy()
    np.put_along_axis(_xx, _order[:, :_k], 0.0, axis=1)
    _probs.append(cnn.predict(_xx.reshape(-1, 28, 28, 1), verbose=0)[np.arange(len(X50)), Y50].mean())
assert abs(np.mean(_probs) - float(deletion_auc["梯度显著图"])) < 0.01, (np.mean(_probs), deletion_auc)

# %% ex-15-deletion test 1 hidden
# 积分梯度与遮挡的曲线下降得比梯度显著图快得多，三种归因都远好于随机顺序（参考答案自己的检查）
_auc = deletion_auc
assert max(_auc["积分梯度"], _auc["遮挡敏感度"]) < _auc["梯度显著图"] - 0.15, _auc
assert _auc["梯度显著图"] < _auc["随机顺序"] - 0.2, _auc
