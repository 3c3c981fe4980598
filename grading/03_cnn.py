# 第3章 卷积神经网络：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-03-params stub
# 搭出加了一组 Conv2D(64, (3, 3)) + MaxPooling2D((2, 2)) 的文章 000 模型，命名为 deeper_cnn；
# 用 conv_params、dense_params 手算它的参数量，存为 deeper_by_hand。

# %% ex-03-params test 1
assert deeper_cnn.count_params() == deeper_by_hand, "手算的参数量与 count_params() 不符"

# %% ex-03-params test 2 hidden
_convs = [layer for layer in deeper_cnn.layers if isinstance(layer, layers.Conv2D)]
assert [c.filters for c in _convs] == [32, 64], "应当在原来的 Conv2D(32) 之后再加一层 Conv2D(64)"
assert tuple(deeper_cnn(np.zeros((1, 64, 64, 3), "float32")).shape) == (1, 10), "输入 64×64×3，输出 10 类"
assert deeper_by_hand == 822_922 and deeper_by_hand < by_hand / 2, "参数量应当变少（Flatten 之后的全连接层变小）"

# %% ex-03-projection stub
# 建一个输入为 (7, 7, 16) 的 keras.Model，命名为 down_block：F 是步幅 2 的 3×3 卷积接一个 3×3 卷积
# （都是 32 通道、padding="same"），残差连接上是步幅 2 的 1×1 卷积，两者相加后过 ReLU。

# %% ex-03-projection test 1
assert tuple(down_block.output.shape) == (None, 4, 4, 32), down_block.output.shape

# %% ex-03-projection test 2 hidden
assert down_block.count_params() == conv_params(3, 16, 32) + conv_params(3, 32, 32) + conv_params(1, 16, 32)
_shortcuts = [
    layer
    for layer in down_block.layers
    if isinstance(layer, layers.Conv2D) and tuple(layer.kernel_size) == (1, 1) and tuple(layer.strides) == (2, 2)
]
assert len(_shortcuts) == 1, "残差连接上应当有一个步幅 2 的 1×1 卷积"
assert any(isinstance(layer, layers.Add) for layer in down_block.layers), "捷径与 F(x) 要相加"
