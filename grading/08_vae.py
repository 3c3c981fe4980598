# 第8章 变分自编码器：编程练习的作业规格（见 tools/grading.py）。
# 每段以 “# %% 标签 stub” 或 “# %% 标签 test 分值 [hidden]” 开头；测试里用到的名字由答案定义。
# ruff: noqa: F821

# %% ex-08-beta stub
# 定义 BetaVAE(encoder, decoder, beta=1.0, **kwargs)，继承本章的 VAE：
# compute_losses(x) 仍返回 (总损失, 重构项, KL 项)，但总损失 = 重构项 + beta × KL 项。

# %% ex-08-beta test 2
_m = BetaVAE(build_encoder(2), build_decoder(2), beta=4.0)
_total, _recon, _kl = (float(t) for t in _m.compute_losses(x_test[:64]))
np.testing.assert_allclose(_total, _recon + 4.0 * _kl, rtol=1e-5)

# %% ex-08-beta test 2 hidden
assert isinstance(_m, VAE), "BetaVAE 应当继承本章的 VAE"
for _beta in (0.1, 1.0):
    _total, _recon, _kl = (
        float(t) for t in BetaVAE(build_encoder(2), build_decoder(2), beta=_beta).compute_losses(x_test[:64])
    )
    np.testing.assert_allclose(_total, _recon + _beta * _kl, rtol=1e-5)
_total, _recon, _kl = (float(t) for t in BetaVAE(build_encoder(2), build_decoder(2)).compute_losses(x_test[:64]))
np.testing.assert_allclose(_total, _recon + _kl, rtol=1e-5, err_msg="beta 的默认值应为 1")

# %% ex-08-conv stub
# 定义 build_conv_encoder(latent_dim)（两层步幅 2 的 Conv2D，输出 [z_mean, z_log_var, z]）和
# build_conv_decoder(latent_dim)（Dense(7*7*32) → Reshape → 两层步幅 2 的 Conv2DTranspose → Conv2D(1, 3)）；
# conv_vae = VAE(build_conv_encoder(8), build_conv_decoder(8)) 训练后，把 fit 返回的 history 字典存为 h_conv，
# 先验样本的平均置信度存为 conv_conf。

# %% ex-08-conv test 2
_enc, _dec = build_conv_encoder(8), build_conv_decoder(8)
assert [tuple(t.shape) for t in _enc.outputs] == [(None, 8)] * 3, "编码器输出 z_mean、z_log_var、z，各 8 维"
assert tuple(_dec.output.shape) == (None, 28, 28, 1)
_strided = [x for x in _enc.layers if isinstance(x, layers.Conv2D) and tuple(x.strides) == (2, 2)]
_up = [x for x in _dec.layers if isinstance(x, layers.Conv2DTranspose) and tuple(x.strides) == (2, 2)]
assert len(_strided) == 2 and len(_up) == 2, "编码器两层步幅 2 的 Conv2D，解码器两层步幅 2 的 Conv2DTranspose"

# %% ex-08-conv test 2 hidden
assert isinstance(conv_vae, VAE) and any(isinstance(x, layers.Conv2D) for x in conv_vae.encoder.layers)
assert h_conv["val_loss"][-1] < h_conv["val_loss"][0] - 10, "卷积 VAE 应当在学：验证集 −ELBO 明显下降"
assert 0.0 < float(conv_conf) <= 1.0
