# 第12章 模型压缩与加速：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-12-csr stub
# 取剪枝 80% 后的 fc 权重 w = pruned.get_layer("fc").kernel.numpy()（形状 (800, 256)），不借助 gzip，手工存成 CSR：
# values（非零值，float32，按行优先的顺序）、col_index（它们的列号，int16）、
# row_start（每行第一个非零值在 values 里的位置，int32，共 行数 + 1 个，首个为 0、末个为非零值总数）。
# 把三者的总字节数存为 csr_bytes，非零值改存成 int8（每个 1 字节）时的总字节数存为 csr_int8_bytes。

# %% ex-12-csr test 2
assert values.dtype == np.float32 and col_index.dtype == np.int16 and row_start.dtype == np.int32, (
    "dtype 应为 float32 / int16 / int32",
    values.dtype,
    col_index.dtype,
    row_start.dtype,
)
_w = pruned.get_layer("fc").kernel.numpy()
assert row_start.shape == (_w.shape[0] + 1,) and row_start[0] == 0, "row_start 应有 行数 + 1 个元素，从 0 开始"
assert len(values) == len(col_index) == row_start[-1] == np.count_nonzero(_w), "非零值的个数不对"
assert csr_bytes == values.nbytes + col_index.nbytes + row_start.nbytes, "csr_bytes 应是三个数组的字节数之和"

# %% ex-12-csr test 2 hidden
# 由 CSR 还原出的矩阵必须与剪枝后的 fc 权重逐个相同；每个非零值 4 + 2 字节，每行起点 4 字节
_w = pruned.get_layer("fc").kernel.numpy()
_rows = np.repeat(np.arange(_w.shape[0]), np.diff(row_start))
_back = np.zeros_like(_w)
_back[_rows, col_index.astype(int)] = values
np.testing.assert_array_equal(_back, _w, err_msg="由 CSR 还原的矩阵与剪枝后的 fc 权重不同")
assert csr_bytes == 6 * np.count_nonzero(_w) + 4 * (_w.shape[0] + 1), csr_bytes

# %% ex-12-csr test 1 hidden
assert csr_int8_bytes == len(values) + col_index.nbytes + row_start.nbytes, "int8 时每个非零值只占 1 字节"
assert csr_int8_bytes < csr_bytes < pruned.get_layer("fc").kernel.numpy().nbytes, (csr_int8_bytes, csr_bytes)
