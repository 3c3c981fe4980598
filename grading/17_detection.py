# 第17章 目标检测：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-17-nms stub
# 对 NMS 的 IoU 阈值 0.3、0.5、0.7，各用本章的 detect(r, nms_iou=阈值) 处理 raw_test 里的每张测试场景，
# 再用 evaluate(结果, test) 算 mAP@0.5（各类 AP 的平均），存进字典 nms_map = {0.3: …, 0.5: …, 0.7: …}。


# %% ex-17-nms test 1
def _nms_at(t):
    found = [v for k, v in nms_map.items() if abs(float(k) - t) < 1e-9]
    assert len(found) == 1, f"nms_map 里应有且只有一个键 {t}：{list(nms_map)}"
    return float(found[0])


assert len(nms_map) == 3 and all(0.0 <= _nms_at(t) <= 1.0 for t in (0.3, 0.5, 0.7)), nms_map


# %% ex-17-nms test 2
def _nms_at(t):
    return float(next(v for k, v in nms_map.items() if abs(float(k) - t) < 1e-9))


assert abs(_nms_at(0.5) - det_map) < 1e-9, f"阈值 0.5 就是本章的设置，mAP 应等于 det_map = {det_map:.4f}"


# %% ex-17-nms test 2 hidden
# 独立重算阈值 0.3 和 0.7 时的 mAP@0.5
def _nms_at(t):
    return float(next(v for k, v in nms_map.items() if abs(float(k) - t) < 1e-9))


for _t in (0.3, 0.7):
    _ref = evaluate([detect(r, nms_iou=_t) for r in raw_test], test)[0].mean()
    assert abs(_nms_at(_t) - _ref) < 1e-9, f"阈值 {_t}：应为 {_ref:.4f}，得到 {_nms_at(_t):.4f}"


# %% ex-17-nms test 1 hidden
# 本章的数字互不重叠，三种阈值差别不大
def _nms_at(t):
    return float(next(v for k, v in nms_map.items() if abs(float(k) - t) < 1e-9))


assert all(abs(_nms_at(t) - _nms_at(0.5)) < 0.05 for t in (0.3, 0.7)), nms_map

# %% ex-17-coco stub
# 令 thresholds = np.arange(0.5, 0.96, 0.05)（0.5, 0.55, …, 0.95 共 10 个 IoU 阈值），用本章的
# evaluate(结果, test, 阈值) 算检测器（det_results）和滑动窗口（win_results）在每个阈值下的 mAP，
# 取 10 个阈值上的平均，存进字典 coco_map = {"检测器": …, "滑动窗口": …}，并与 det_map、win_map（mAP@0.5）比较。

# %% ex-17-coco test 1
assert np.allclose(thresholds, 0.5 + 0.05 * np.arange(10)), f"IoU 阈值应为 0.5, 0.55, …, 0.95：{thresholds}"
assert set(coco_map) == {"检测器", "滑动窗口"}, set(coco_map)

# %% ex-17-coco test 2
# 高 IoU 阈值下只有画得很准的框才算数：平均之后比 mAP@0.5 低
assert 0.0 <= coco_map["检测器"] < det_map, (coco_map, det_map)
assert 0.0 <= coco_map["滑动窗口"] < win_map, (coco_map, win_map)

# %% ex-17-coco test 2 hidden
# 独立重算两个 COCO 式的指标
for _name, _res in [("检测器", det_results), ("滑动窗口", win_results)]:
    _ref = np.mean([evaluate(_res, test, t)[0].mean() for t in 0.5 + 0.05 * np.arange(10)])
    assert abs(float(coco_map[_name]) - _ref) < 1e-9, f"{_name}：应为 {_ref:.4f}，得到 {coco_map[_name]:.4f}"

# %% ex-17-coco test 1 hidden
# 滑动窗口的框不准：COCO 指标比检测器低，而且相对 mAP@0.5 掉得更多
assert coco_map["滑动窗口"] < coco_map["检测器"], coco_map
assert coco_map["滑动窗口"] / win_map < coco_map["检测器"] / det_map, (coco_map, det_map, win_map)
