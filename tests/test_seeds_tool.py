"""``make seeds``（tests/seeds.py）的静态检查：每章都有能换的种子，附录 B 的换种子表覆盖全书且全部成立。"""

from __future__ import annotations

import pytest

from tests.bench import PAGE
from tests.bookinfo import code_text, load_notebook, notebook_entries
from tests.seeds import DEFAULT_OFFSETS, END, START, read_rows, shift_seeds


def test_shift_seeds_moves_every_seed_and_nothing_else():
    code = (
        "dlbook.setup(seed=42)\n"
        "keras.utils.set_random_seed(0)\n"
        "keras.utils.set_random_seed(STUDENT_SEED)\n"
        "rng = np.random.default_rng(0)\n"
    )
    shifted, n = shift_seeds(code, 100)
    assert n == 3
    assert shifted == (
        "dlbook.setup(seed=142)\n"
        "keras.utils.set_random_seed((0) + 100)\n"
        "keras.utils.set_random_seed((STUDENT_SEED) + 100)\n"
        "rng = np.random.default_rng(0)\n"  # 数据的随机性不变
    )
    assert shift_seeds(code, 0) == (code, 0)


@pytest.mark.parametrize("entry", notebook_entries())
def test_every_notebook_has_a_seed_to_shift(entry):
    shifted = shift_seeds(code_text(load_notebook(entry)), 100)[1]
    assert shifted >= 1, f"{entry} 没有 dlbook.setup(seed=…)，make seeds 换不了它的种子"


def _seed_rows() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    assert START in text and END in text, "附录 B 缺少 make seeds 生成的一段，请运行 make seeds"
    return read_rows(text)


def test_seed_table_covers_every_notebook_with_all_asserts_holding():
    rows = _seed_rows()
    assert set(rows) == set(notebook_entries()), "换种子表与目录里的笔记本不一致，请重新运行 make seeds"
    header = PAGE.read_text(encoding="utf-8").split(START, 1)[1]
    for offset in DEFAULT_OFFSETS:
        assert f"种子 +{offset}" in header
    failing = [entry for entry, row in rows.items() if "✗" in row]
    assert not failing, f"这些章节换了种子后有断言不成立：{failing}（见附录 B）"
