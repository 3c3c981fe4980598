"""tools/grading.py：作业规格的检查、学生版作业的生成，以及一次真实的批改。

批改的测试用第1章（执行最快）：同一个文件夹里放三份作业——参考答案、原封不动的学生版、
一份部分做错（第三步用错了导数）又删掉了一段公开测试的作业——分别应得满分、0 分和部分分。
每道编程题的测试在参考答案上全部通过、在作答之前全部失败，这两点由 nbval 在执行每一章时检查
（tests/nbval_guard.py），这里不再逐章重复。
"""

from __future__ import annotations

import csv
import json

import nbformat
import pytest

from tests.bookinfo import markdown_text
from tools import grading

CHAPTERS = sorted(p.stem for p in grading.NOTEBOOKS.glob("[0-9]*.ipynb"))


def test_every_coding_exercise_has_grading_tests():
    """有编程题的每一章都有 grading/<章>.py，而且与这一章的编程题一一对应（load_specs 会核对）。"""
    with_coding = [c for c in CHAPTERS if grading.coding_exercises(nbformat.read(grading.NOTEBOOKS / f"{c}.ipynb", 4))]
    assert with_coding, "找不到任何编程题"
    assert grading.chapters_with_specs() == with_coding
    for chapter in with_coding:
        for label, spec in grading.load_specs(chapter).items():
            assert 3 <= spec.points <= 6, f"{label} 共 {spec.points} 分，每题 3–6 分"
            assert spec.stub.startswith("#"), f"{label} 的 stub 应当是注释"


def write_spec(tmp_path, monkeypatch, text: str):
    monkeypatch.setattr(grading, "SPEC_DIR", tmp_path)
    (tmp_path / "01_basics.py").write_text(text, encoding="utf-8")


GOOD_DIGITS = "# %% ex-01-digits stub\n# 提示\n# %% ex-01-digits test 1\nassert digits_acc\n"
GOOD_DIGITS += "# %% ex-01-digits test 2 hidden\nassert digits_acc[64] > 0.9\n"
GOOD_RELU = "# %% ex-01-relu-backprop stub\n# 提示\n# %% ex-01-relu-backprop test 1\nassert forward_relu\n"
GOOD_RELU += "# %% ex-01-relu-backprop test 1 hidden\nassert backward_relu\n"


def test_a_good_spec_loads_in_book_order(tmp_path, monkeypatch):
    write_spec(tmp_path, monkeypatch, GOOD_DIGITS + GOOD_RELU)
    specs = grading.load_specs("01_basics")
    assert list(specs) == ["ex-01-relu-backprop", "ex-01-digits"]
    assert [t.hidden for t in specs["ex-01-digits"].tests] == [False, True]
    assert specs["ex-01-digits"].points == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD_RELU, "少了 ['ex-01-digits']"),
        (GOOD_RELU + GOOD_DIGITS + "# %% ex-01-nothing stub\n# 提示\n", "多了 ['ex-01-nothing']"),
        (GOOD_RELU + GOOD_DIGITS.replace(" hidden", ""), "既有公开测试、又有隐藏测试"),
        (GOOD_RELU + GOOD_DIGITS.replace("# 提示\n", "", 1), "没有 stub"),
        (GOOD_RELU + GOOD_DIGITS.replace("test 1\n", "test 0\n"), "分值要为正"),
        ("print(1)\n", "没有"),
    ],
)
def test_bad_specs_are_refused_with_a_reason(tmp_path, monkeypatch, text, message):
    write_spec(tmp_path, monkeypatch, text)
    with pytest.raises(grading.GradingError, match=message.replace("[", r"\[").replace("]", r"\]")):
        grading.load_specs("01_basics")


def test_missing_spec_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(grading, "SPEC_DIR", tmp_path)
    with pytest.raises(grading.GradingError, match="还没有作业规格"):
        grading.load_specs("01_basics")


def test_blank_check_fails_when_a_test_passes_without_an_answer():
    spec = grading.Spec(
        "ex-x", "# 提示", [grading.Test(1, False, "assert undefined_name"), grading.Test(1, True, "x = 1")]
    )
    code = grading.blank_check("ex-x", spec)
    with pytest.raises(AssertionError, match="第 2 段测试在作答之前就通过了"):
        exec(code, {})


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading") / "course"
    grading.prepare_course(root, ["01_basics"])
    return root


def read(path):
    return nbformat.read(path, as_version=4)


def test_student_version_has_no_answers_and_no_hidden_tests(course):
    source = read(course / "source" / "01_basics" / "01_basics.ipynb")
    release = read(course / "release" / "01_basics" / "01_basics.ipynb")
    text = "\n".join(c.source for c in release.cells)
    assert ":::{solution}" not in markdown_text(release), "学生版里不能有答案"
    assert "def backward_relu" not in text and "digits_acc[hidden] =" not in text
    assert "BEGIN HIDDEN TESTS" not in text and "digits_acc[64] >= 0.90" not in text
    answers = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == 2 and all("raise NotImplementedError()" in c.source for c in answers)
    chapter_code = [c for c in release.cells if c.cell_type == "code"][:5]
    assert all(c.metadata["nbgrader"]["locked"] for c in chapter_code), "本章的代码单元格是只读的"
    # 源文件里有参考答案和隐藏测试（批改时用）
    source_text = "\n".join(c.source for c in source.cells)
    assert "def backward_relu" in source_text and "BEGIN HIDDEN TESTS" in source_text


def test_grading_a_folder_gives_full_zero_and_partial_marks(course, tmp_path):
    release = course / "release" / "01_basics" / "01_basics.ipynb"
    subs = tmp_path / "作业"
    for student in ("张三", "李四", "王五"):
        (subs / student).mkdir(parents=True)
    nbformat.write(read(course / "source" / "01_basics" / "01_basics.ipynb"), subs / "张三" / "01_basics.ipynb")
    nbformat.write(read(release), subs / "李四" / "01_basics.ipynb")
    wrong = read(release)
    for cell in wrong.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "ex-01-relu-backprop-answer":  # 前向对了，反向还在用 Tanh 的导数
            cell.source = (
                "def forward_relu(params, X):\n"
                '    Z1 = X @ params["W1"] + params["b1"]\n'
                "    H = np.maximum(Z1, 0)\n"
                '    return Z1, H, sigmoid(H @ params["W2"] + params["b2"])\n\n\n'
                "def backward_relu(params, X, y):\n"
                "    Z1, H, y_hat = forward_relu(params, X)\n"
                "    delta2 = (y_hat - y) / len(X)\n"
                '    delta1 = (delta2 @ params["W2"].T) * (1 - H**2)\n'
                '    return {"W1": X.T @ delta1, "b1": delta1.sum(0), "W2": H.T @ delta2, "b2": delta2.sum(0)}\n'
            )
        if grade_id == "ex-01-digits-t1":  # 删掉公开测试也没用：批改时会恢复
            cell.source = "pass"
    nbformat.write(wrong, subs / "王五" / "01_basics.ipynb")

    header, rows = grading.grade(subs, course=tmp_path / "course")
    scores = {row["学生"]: row for row in rows}
    assert header == ["学生", "ex-01-relu-backprop", "ex-01-digits", "总分"]
    assert scores["张三"]["总分"] == 8 and scores["张三"]["ex-01-relu-backprop"] == 5
    assert scores["李四"]["总分"] == 0
    assert scores["王五"]["ex-01-relu-backprop"] == 1 and scores["王五"]["ex-01-digits"] == 0
    with (tmp_path / "成绩.csv").open(encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    assert table[0] == header and table[1] == ["满分", "5", "3", "8"] and len(table) == 5
    assert "| 王五 | 1 | 0 | 1 |" in grading.markdown_table(header, rows)
    json.dumps(rows, ensure_ascii=False)  # 成绩行只含普通的数和字符串


def test_collect_explains_the_expected_layout(tmp_path):
    with pytest.raises(grading.GradingError, match="不是目录"):
        grading.collect(tmp_path / "没有这个目录")
    (tmp_path / "张三_01_basics.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(grading.GradingError, match="<学生>/<章>.ipynb"):
        grading.collect(tmp_path)
    (tmp_path / "张三").mkdir()
    (tmp_path / "张三" / "作业一.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(grading.GradingError, match="文件名要是有作业的章之一"):
        grading.collect(tmp_path)
