"""本书发布的预训练模型的训练脚本（``make pretrain``）。

每个模型一个模块，提供 ``NAME``、``HPARAMS``、``SEED``、``DATA``（数据说明）、``train(steps)`` 与
``evaluate(model)``。``python -m tools.pretrain <名字>`` 训练它，把权重和清单写进
``dlbook/weights/<名字>/``；``--steps N`` 只训练 N 步、写到 ``--out`` 指定的文件夹，用来检查。
"""

from __future__ import annotations

from . import bert_chars, dcgan, gpt_chars

MODELS = {module.NAME: module for module in (dcgan, bert_chars, gpt_chars)}
