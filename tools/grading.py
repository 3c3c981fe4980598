"""批改作业：把本书的（编程）练习变成 nbgrader 作业，并批改一整个文件夹的学生笔记本。

每章一个作业。``grading/<章>.py`` 为这一章的每道编程题写两样东西：

- **提示**（``# %% ex-… stub``）：学生版答案单元格里留给学生看的注释，说清要定义哪些名字；
- **测试**（``# %% ex-… test 分值`` 或 ``… test 分值 hidden``）：每段是一个批改单元格，
  全部通过得这段的分，出错得 0 分；``hidden`` 的一段不发给学生，批改时才放回去。

参考答案不写在这里：它就是书里这道题答案中的 ```python 代码（``tests.bookinfo.solution_code``），
全书只有一份。``make test`` 里的 nbval 在本章执行完后逐题运行：先确认作答之前每段测试都不通过
（空白作业得 0 分），再运行参考答案，再确认每段测试都通过（参考答案得满分）。

作业笔记本 = 本章笔记本（删去全部答案，代码单元格设为只读、批改时按原样恢复）+ 末尾的
“作业”一节：每道编程题一个答案单元格和几个测试单元格。学生删掉或改动测试也没有用：
nbgrader 批改时会用作业源文件里的版本覆盖它们。

命令行（``make assignments`` / ``make grade SUBMISSIONS=目录``）::

    python -m tools.grading assign [章 ...]     生成学生版作业到 _build/grading/release/
    python -m tools.grading grade 目录          批改 目录/<学生>/<章>.ipynb，写出成绩表

选 nbgrader 而不是 otter-grader 的原因见教师指南“批改作业”一节。
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from tests.bookinfo import CONFIG, exercises, solution_code  # noqa: E402

SPEC_DIR = ROOT / "grading"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "_build" / "grading"
HEAD = re.compile(r"^# %% (ex-[\w-]+) (stub|test (\d+)( hidden)?)[ \t]*$", re.M)
GRADE_ID = re.compile(r"^(ex-[\w-]+)-t\d+$")
SCHEMA = 3


class GradingError(ValueError):
    """作业规格写错了：消息里说明是哪个文件、哪道题。"""


@dataclass
class Test:
    points: int
    hidden: bool
    code: str


@dataclass
class Spec:
    label: str
    stub: str = ""
    tests: list[Test] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(t.points for t in self.tests)


def chapters_with_specs() -> list[str]:
    return sorted(p.stem for p in SPEC_DIR.glob("[0-9]*.py"))


def coding_exercises(nb) -> dict[str, str]:
    """{标签: 题目文字}，只含（编程 · …）题，按出现顺序。"""
    return {label: body for label, kind, _, body in exercises(nb) if kind == "编程"}


def load_specs(chapter: str) -> dict[str, Spec]:
    """读 grading/<章>.py，检查它与本章的编程题一一对应；按题目在书里的顺序返回。"""
    path = SPEC_DIR / f"{chapter}.py"
    if not path.exists():
        raise GradingError(f"没有 grading/{path.name}：第 {chapter} 章还没有作业规格")
    text = path.read_text(encoding="utf-8")
    heads = list(HEAD.finditer(text))
    if not heads:
        raise GradingError(f"{path.name} 里没有 “# %% ex-… stub/test” 开头的段落")
    specs: dict[str, Spec] = {}
    for head, nxt in zip(heads, [*heads[1:], None]):
        body = text[head.end() : nxt.start() if nxt else len(text)].strip("\n")
        label = head.group(1)
        spec = specs.setdefault(label, Spec(label))
        if head.group(2) == "stub":
            if spec.stub:
                raise GradingError(f"{path.name}：{label} 有两段 stub")
            spec.stub = body
        else:
            points = int(head.group(3))
            if points <= 0 or not body.strip():
                raise GradingError(f"{path.name}：{label} 的测试分值要为正、内容不能为空")
            spec.tests.append(Test(points, bool(head.group(4)), body))
    nb = nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)
    coding = coding_exercises(nb)
    answers = {label for label, _ in solution_code(nb)}
    if set(specs) != set(coding):
        raise GradingError(
            f"{path.name} 与第 {chapter} 章的编程题对不上：多了 {sorted(set(specs) - set(coding))}，"
            f"少了 {sorted(set(coding) - set(specs))}"
        )
    for label, spec in specs.items():
        if not spec.stub.strip():
            raise GradingError(f"{path.name}：{label} 没有 stub（学生版答案单元格里的提示）")
        if not any(t.hidden for t in spec.tests) or all(t.hidden for t in spec.tests):
            raise GradingError(f"{path.name}：{label} 要既有公开测试、又有隐藏测试")
        if label not in answers:
            raise GradingError(f"{label} 的答案里没有 ```python 代码，无法作为参考答案")
    return {label: specs[label] for label in coding}


def reference_answers(nb) -> dict[str, str]:
    """{标签: 书中答案的全部 ```python 代码，按顺序接起来}。"""
    answers: dict[str, list[str]] = {}
    for label, code in solution_code(nb):
        answers.setdefault(label, []).append(code.strip("\n"))
    return {label: "\n\n\n".join(parts) for label, parts in answers.items()}


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def grade_cell_source(test: Test, n: int) -> str:
    """批改单元格的代码；隐藏测试夹在 nbgrader 的标记之间，生成学生版时被删掉。"""
    if test.hidden:
        body = f"### BEGIN HIDDEN TESTS\n{test.code}\n### END HIDDEN TESTS"
        return f"# 隐藏测试 {n}（{test.points} 分）：批改时才运行\n{body}"
    return f"# 测试 {n}（{test.points} 分）\n{test.code}"


def source_notebook(chapter: str):
    """nbgrader 的作业源文件：含参考答案与隐藏测试（由它生成学生版）。"""
    from book_fixes import strip_solutions  # 网站扩展里删答案的同一个函数

    specs = load_specs(chapter)
    nb = nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)
    answers, texts = reference_answers(nb), coding_exercises(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source)
        elif cell.cell_type == "code":
            cell.metadata.update(_meta(f"chapter-cell-{i}", locked=True))
    total = sum(s.points for s in specs.values())
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            f"## 作业：本章的编程练习（共 {total} 分）\n\n"
            "先从头运行上面的全部单元格，再在每道题的答案单元格里删掉 `raise NotImplementedError()`、"
            "写上你的代码。每道题下面的测试单元格可以用来自查；批改时还会运行几段没有发给你的隐藏测试。"
            "测试单元格和上面本章的代码单元格是只读的，改了也会在批改时被恢复。"
        )
    )
    for label, spec in specs.items():
        nb.cells.append(nbformat.v4.new_markdown_cell(f"### {label}（{spec.points} 分）\n\n{texts[label]}"))
        answer = f"{spec.stub}\n### BEGIN SOLUTION\n{answers[label]}\n### END SOLUTION"
        nb.cells.append(nbformat.v4.new_code_cell(answer, metadata=_meta(f"{label}-answer", solution=True)))
        for n, test in enumerate(spec.tests, 1):
            meta = _meta(f"{label}-t{n}", grade=True, locked=True, points=test.points)
            nb.cells.append(nbformat.v4.new_code_cell(grade_cell_source(test, n), metadata=meta))
    return nb


def blank_check(label: str, spec: Spec) -> str:
    """作答之前运行的代码：每段测试都必须失败（空白作业得 0 分），否则报错。"""
    sources = [t.code for t in spec.tests]
    return (
        f"for _n, _src in enumerate({sources!r}, 1):\n"
        "    try:\n"
        "        exec(_src)\n"
        "    except Exception:\n"
        "        pass\n"
        "    else:\n"
        f"        raise AssertionError(f'{label} 的第 {{_n}} 段测试在作答之前就通过了：它没有检查答案')"
    )


def _nbgrader(course: Path, *args: str) -> None:
    bindir = Path(sys.executable).parent  # nbgrader 会按名字调用同一环境里的 alembic
    cmd = [str(bindir / "nbgrader"), *args, f"--CourseDirectory.root={course}", "--force"]
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(cmd, cwd=course, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} 失败：\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def prepare_course(course: Path, chapters: list[str]) -> None:
    """新建一个 nbgrader 课程目录，写入这些章的作业源文件并生成学生版（release/）。"""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    timeout = int(CONFIG["execute"]["timeout"])
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        'c.CourseDirectory.course_id = "dlbook"\n'
        f"c.Execute.timeout = {timeout}\n"
        "c.Execute.allow_errors = True\n"
        'c.ClearSolutions.code_stub = {"python": "# 在这里写你的代码\\nraise NotImplementedError()"}\n',
        encoding="utf-8",
    )
    for chapter in chapters:
        target = course / "source" / chapter / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(source_notebook(chapter), target)
        _nbgrader(course, "generate_assignment", chapter)


def assign(chapters: list[str], course: Path = BUILD / "course") -> Path:
    prepare_course(course, chapters)
    return course / "release"


def collect(submissions: Path) -> dict[str, dict[str, Path]]:
    """{学生: {章: 笔记本路径}}：每个学生一个子目录，里面是以章命名的笔记本（如 07_autoencoder.ipynb）。"""
    if not submissions.is_dir():
        raise GradingError(f"{submissions} 不是目录：请把每个学生的笔记本放在 目录/<学生>/<章>.ipynb")
    known = set(chapters_with_specs())
    found: dict[str, dict[str, Path]] = {}
    for student in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for path in sorted(student.glob("*.ipynb")):
            if path.stem not in known:
                raise GradingError(f"{path}：文件名要是有作业的章之一（{', '.join(sorted(known))}）")
            found.setdefault(student.name, {})[path.stem] = path
    if not found:
        raise GradingError(f"{submissions} 里没有 <学生>/<章>.ipynb 形式的作业")
    return found


def grade(submissions: Path, course: Path = BUILD / "course") -> tuple[list[str], list[dict]]:
    """批改整个文件夹；返回（列名，每个学生一行的成绩），并写出 course/成绩.csv。"""
    from nbgrader.api import Gradebook, MissingEntry

    found = collect(submissions)
    chapters = sorted({c for per in found.values() for c in per})
    prepare_course(course, chapters)
    for student, per in found.items():
        for chapter, path in per.items():
            target = course / "submitted" / student / chapter / f"{chapter}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    for chapter in chapters:
        _nbgrader(course, "autograde", chapter)
    specs = {chapter: load_specs(chapter) for chapter in chapters}
    maximum = {label: spec.points for per in specs.values() for label, spec in per.items()}
    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in found:
            row = {"学生": student}
            for chapter in chapters:
                try:
                    nb = gb.find_submission_notebook(chapter, chapter, student)
                except MissingEntry:
                    continue  # 没交这一章
                for label in specs[chapter]:
                    row[label] = 0.0
                for g in nb.grades:
                    m = GRADE_ID.match(g.name)
                    if m and m.group(1) in row:
                        row[m.group(1)] += float(g.score or 0)
            row["总分"] = sum(v for k, v in row.items() if k in maximum)
            rows.append(row)
    header = ["学生", *maximum, "总分"]
    out = course.parent / "成绩.csv"
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, header, restval="")
        writer.writeheader()
        writer.writerow({"学生": "满分", **maximum, "总分": sum(maximum.values())})
        writer.writerows(rows)
    return header, rows


def markdown_table(header: list[str], rows: list[dict]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["学生"]] + [f"{row[h]:g}" if h in row else "—" for h in header[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.grading", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_assign = sub.add_parser("assign", help="生成学生版作业到 _build/grading/course/release/")
    p_assign.add_argument("chapters", nargs="*", help="章（如 07_autoencoder）；默认全部有作业的章")
    p_grade = sub.add_parser("grade", help="批改 目录/<学生>/<章>.ipynb，写出 _build/grading/成绩.csv")
    p_grade.add_argument("submissions", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "assign":
            release = assign(args.chapters or chapters_with_specs())
            print(f"学生版作业在 {release}")
        else:
            header, rows = grade(args.submissions)
            print(markdown_table(header, rows))
            print(f"\n成绩表：{BUILD / '成绩.csv'}")
    except GradingError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
