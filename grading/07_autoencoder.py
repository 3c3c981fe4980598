# 第7章 自编码器：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821


# %% ex-07-pooling stub
# 定义 build_pool_ae(latent_dim)：编码器用 Conv2D + MaxPooling2D，解码器用 Conv2D + UpSampling2D，
# 瓶颈为 latent_dim 维。用第 4 节的设置训练 pool_ae = build_pool_ae(LATENT_DIM)，
# 把训练用时存为 pool_seconds、测试集平均重构误差存为 pool_mse，并与 conv_ae 比较。

# %% ex-07-pooling test 1
def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


_m = build_pool_ae(LATENT_DIM)
_kinds = {type(layer).__name__ for layer in _all_layers(_m)}
assert {"MaxPooling2D", "UpSampling2D"} <= _kinds, f"要用 MaxPooling2D 和 UpSampling2D：{_kinds}"
assert tuple(_m.output.shape) == (None, 28, 28, 1), _m.output.shape

# %% ex-07-pooling test 1
assert any(tuple(layer.output.shape) == (None, LATENT_DIM) for layer in _all_layers(_m)), "瓶颈应当是 LATENT_DIM 维"

# %% ex-07-pooling test 2 hidden
_mse = recon_error(x_test, pool_ae.predict(x_test, verbose=0)).mean()
np.testing.assert_allclose(pool_mse, _mse, rtol=1e-4, err_msg="pool_mse 应当是 pool_ae 在测试集上的平均重构误差")
assert pool_mse < 0.9 * pca_mse, (pool_mse, pca_mse)

# %% ex-07-masking stub
# 定义 add_mask_noise(x, drop=0.3)：每个像素以 drop 的概率置 0，其余不变；
# 生成 masked_train、masked_test，训练一个把挖掉像素的图还原成原图的 inpainter。

# %% ex-07-masking test 1
_ones = np.ones((100, 28, 28, 1), "float32")
_masked = add_mask_noise(_ones)
assert _masked.shape == _ones.shape
assert set(np.unique(_masked)) <= {0.0, 1.0}, "没被挖掉的像素应当保持原值"
assert 0.25 <= (_masked == 0).mean() <= 0.35, f"置 0 的比例应约为 30%：{(_masked == 0).mean():.3f}"

# %% ex-07-masking test 2 hidden
assert masked_test.shape == x_test.shape and 0.2 <= (masked_test[x_test > 0] == 0).mean() <= 0.4
_before = recon_error(x_test, masked_test).mean()
_after = recon_error(x_test, inpainter.predict(masked_test, verbose=0)).mean()
assert _after < 0.7 * _before, f"还原后的误差 {_after:.4f} 应明显小于挖掉像素后的 {_before:.4f}"
