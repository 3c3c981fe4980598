# 深度学习模型图鉴 — 常用命令（都会自动创建并填充 .venv）
#   make book    执行全部笔记本并构建网站到 _build/html（jupyter-cache 缓存，未改动时几秒完成）
#   make book-student  构建学生版（隐藏练习答案）到 _build/student/_build/html，与完整版共用执行缓存
#   make pdf     构建 PDF 到 _build/latex/dl-model-atlas.pdf（XeLaTeX；Debian 上先装：apt-get install --no-install-recommends
#                latexmk texlive-xetex texlive-lang-chinese texlive-fonts-recommended fonts-noto-cjk fonts-freefont-otf）
#   make assignments  生成 nbgrader 学生版作业（每章的编程练习，含公开测试）到 _build/grading/course/release/
#   make grade SUBMISSIONS=目录  批改 目录/<学生>/<章>.ipynb（含隐藏测试），成绩表写到 _build/grading/成绩.csv
#   make serve   在 http://127.0.0.1:8000 预览网站
#   make test    代码风格 + 结构测试 + dlbook 单元测试 + nbval 执行笔记本 + Colab 栈 + 严格构建 + 网站测试
#   make test-colab  按 Colab 的包版本另建 .venv-colab，从空目录逐个执行全部笔记本
#   make lint    只跑 ruff
#   make lock    由 requirements.txt 重新生成完整锁定文件 requirements.lock（需联网）
#   make bench   每章在全新内核里执行 3 遍，量时间/内存/核心指标，重写 book/runtime.md（约 40 分钟）
#   make seeds   每章换两个随机种子再执行，看断言是否仍成立，写进附录 B（约 35 分钟）
#   make pretrain  用仓库里的脚本训练本书发布的模型，写进 dlbook/weights/（离线、CPU，每个 ≤ 30 分钟）
#   make clean   删除 _build 与缓存
#
# Python：默认自动找一个 3.11–3.13（tools/find-python）；也可以 make PYTHON=/路径/python3.12 ...

ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell tools/find-python)
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
PORT   ?= 8000

# Colab 栈：快照里的 Python 版本优先（没有时退到 3.12），包版本来自 tools/colab/ 的快照
COLAB_SNAPSHOT := $(lastword $(sort $(wildcard tools/colab/pip-freeze-*.txt)))
COLAB_PYVER    := $(shell sed -n '1s/.*Python \(3\.[0-9]*\).*/\1/p' $(COLAB_SNAPSHOT))
ifeq ($(origin COLAB_PYTHON),undefined)
COLAB_PYTHON := $(shell tools/find-python $(COLAB_PYVER) 3.12 2>/dev/null)
endif
COLAB_VENV  := .venv-colab
COLAB_BIN   := $(COLAB_VENV)/bin
COLAB_STAMP := $(COLAB_VENV)/.installed
# 只跑其中几章：make test-colab NOTEBOOKS="notebooks/06_transformer.ipynb notebooks/07_autoencoder.ipynb"
NOTEBOOKS   ?= notebooks/*.ipynb

# nbval 与 jupyter-book 共用 _config.yml 里 execute.timeout 这一个超时（tests/nbval_guard.py 读取它）
NBVAL := -m pytest --nbval-lax -p tests.nbval_guard

# 让 TensorFlow 在所有子进程里都保持安静（dlbook.setup() 也会设置）
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all book book-student pdf serve test lint lock test-unit test-notebooks test-colab test-site test-pdf assignments grade bench seeds pretrain clean venv

all: book

venv: $(STAMP)

$(STAMP): $(LOCK) pyproject.toml
	@test -n "$(PYTHON)" || { tools/find-python >/dev/null; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (dlbook)" >/dev/null
	touch $(STAMP)

lock:
	@test -n "$(PYTHON)" || { tools/find-python >/dev/null; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$$(grep '^uv==' requirements.txt)"
	$(BIN)/python -m tools.lockfile write

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

book-student: $(STAMP)
	DLBOOK_EDITION=student $(BIN)/jupyter-book build . -W -n --keep-going --path-output _build/student

# 先删掉 _build/latex：上一次 LaTeX 出错后，latexmk 看 .tex 没变就直接报“Nothing to do”和旧的错误
pdf: $(STAMP)
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --builder pdflatex

# 只生成某几章：make assignments CHAPTERS="07_autoencoder 08_vae"
assignments: $(STAMP)
	$(BIN)/python -m tools.grading assign $(CHAPTERS)

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "用法：make grade SUBMISSIONS=目录（每个学生一个子目录，里面是 <章>.ipynb）"; exit 2; }
	$(BIN)/python -m tools.grading grade "$(SUBMISSIONS)"

serve: book
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lint: $(STAMP)
	$(BIN)/ruff check dlbook tests tools book/_ext notebooks grading
	$(BIN)/ruff format --check dlbook tests tools book/_ext notebooks grading

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not site and not pdf"

test-notebooks: $(STAMP)
	$(BIN)/python $(NBVAL) notebooks --nb-cache _build/.jupyter_cache

# Colab 栈：Colab 预装的包按快照版本装（其余间接依赖也受快照约束），dlbook 用安装单元同样的
# 写法 dlbook[colab] @ <来源> 非可编辑地装；笔记本复制到空目录里执行，读不到仓库里的 dlbook。
$(COLAB_STAMP): $(COLAB_SNAPSHOT) tools/colab_env.py requirements.txt pyproject.toml | $(STAMP)
	@test -n "$(COLAB_PYTHON)" || { tools/find-python $(COLAB_PYVER) 3.12 >/dev/null; exit 1; }
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m tools.colab_env files $(COLAB_VENV) "file://$(CURDIR)" >/dev/null
	$(COLAB_BIN)/python -m pip install --quiet -c $(COLAB_VENV)/constraints.txt -r $(COLAB_VENV)/requirements.txt
	touch $(COLAB_STAMP)

test-colab: $(COLAB_STAMP)
	$(COLAB_BIN)/python -m pip install --quiet --force-reinstall --no-deps "$$($(BIN)/python -m tools.colab_env spec "file://$(CURDIR)")"
	$(COLAB_BIN)/python -m pip check
	work=$$(mktemp -d) && cp $(NOTEBOOKS) "$$work"/ && \
	(cd "$$work" && $(CURDIR)/$(COLAB_BIN)/python -c "import dlbook, sys; \
	  assert not dlbook.__file__.startswith('$(CURDIR)/dlbook'), dlbook.__file__; \
	  print('Colab 栈：Python', sys.version.split()[0], '· dlbook 来自', dlbook.__file__)") && \
	$(COLAB_BIN)/python $(NBVAL) --nbval-current-env -p no:cacheprovider "$$work"; \
	status=$$?; rm -rf "$$work"; exit $$status

test-site: book book-student
	$(BIN)/python -m pytest tests -m site

test-pdf: pdf
	$(BIN)/python -m pytest tests -m pdf

test: lint test-unit test-notebooks test-colab test-site test-pdf

bench: $(STAMP)
	$(BIN)/python -m tests.bench --repeat $(or $(REPEAT),3)

seeds: $(STAMP)
	$(BIN)/python -m tests.seeds

# 只训练其中一个：make pretrain MODELS=dcgan_mnist
pretrain: $(STAMP)
	$(BIN)/python -m tools.pretrain $(MODELS)

clean:
	rm -rf _build .pytest_cache .ruff_cache
