"""``make bench``（tests/bench.py）写附录 B 时，每章记下自己是在哪台机器、哪天测的。"""

from __future__ import annotations

from tests import bench

ROW = "| [第{n}章 某章](../notebooks/{e}.ipynb) | 约 30 秒 | 28.0 | 27.0–29.0 | 1000 | 准确率 | 0.900 |"


def rows(*entries: str) -> dict[str, str]:
    return {f"notebooks/{e}": ROW.format(n=int(e[:2]), e=e) for e in entries}


def test_chapter_names_groups_numbers_and_appendices():
    names = bench.chapter_names(["notebooks/06_transformer", "notebooks/09_gan", "notebooks/A_errata"])
    assert names == "第6、9章、附录 A"
    assert bench.chapter_names(["notebooks/A_errata"]) == "附录 A"


def test_describe_provenance_names_the_minority_machines():
    order = ["notebooks/01_basics", "notebooks/02_training", "notebooks/06_transformer"]
    same = dict.fromkeys(order, "甲机，2026-12-01")
    assert bench.describe_provenance(order, same) == "测量环境：甲机，2026-12-01，无 GPU。"
    mixed = {**same, "notebooks/06_transformer": "乙机，2026-12-03"}
    text = bench.describe_provenance(order, mixed)
    assert text == "测量环境（都没有 GPU）：第6章在 乙机，2026-12-03 上测；其余各章在 甲机，2026-12-01 上测。"


def test_old_page_without_record_maps_every_row_to_its_one_environment(tmp_path):
    page = tmp_path / "runtime.md"
    table = "\n".join(rows("01_basics", "02_training").values())
    page.write_text(f"最近一次测量的环境：甲机，2 核，无 GPU，2026-12-02。\n\n{table}\n", encoding="utf-8")
    assert bench.read_provenance(page) == {
        "notebooks/01_basics": "甲机，2 核，2026-12-02",
        "notebooks/02_training": "甲机，2 核，2026-12-02",
    }


def test_partial_rerun_keeps_the_other_rows_machines(tmp_path, monkeypatch):
    page = tmp_path / "runtime.md"
    monkeypatch.setattr(bench, "PAGE", page)
    table = rows("01_basics", "02_training", "03_cnn")
    bench.write_page(table, 3, dict.fromkeys(table, "甲机，2026-12-01"))
    assert "测量环境：甲机，2026-12-01，无 GPU。" in page.read_text(encoding="utf-8")
    # 只重测第2章：第1、3章的记录不变
    provenance = bench.read_provenance()
    provenance["notebooks/02_training"] = "乙机，2026-12-03"
    bench.write_page(table, 1, provenance)
    text = page.read_text(encoding="utf-8")
    assert bench.read_provenance() == {
        "notebooks/01_basics": "甲机，2026-12-01",
        "notebooks/02_training": "乙机，2026-12-03",
        "notebooks/03_cnn": "甲机，2026-12-01",
    }
    assert "第2章在 乙机，2026-12-03 上测；其余各章在 甲机，2026-12-01 上测" in text
    assert bench.read_table(page).keys() == table.keys()
