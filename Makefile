# 深度学习模型图鉴 — 常用命令（都会自动创建并填充 .venv）
#   make book    执行全部笔记本并构建网站到 _build/html（jupyter-cache 缓存，未改动时几秒完成）
#   make book-student  构建学生版（隐藏练习答案）到 _build/student/_build/html，与完整版共用执行缓存
#   make serve   在 http://127.0.0.1:8000 预览网站
#   make test    代码风格 + 结构测试 + dlbook 单元测试 + nbval 执行笔记本 + 严格构建 + 网站测试
#   make lint    只跑 ruff
#   make bench   每章在全新内核里执行 3 遍，量时间/内存/核心指标，重写 book/runtime.md（约 40 分钟）
#   make clean   删除 _build 与缓存

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

# 让 TensorFlow 在所有子进程里都保持安静（dlbook.setup() 也会设置）
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all book book-student serve test lint test-unit test-notebooks test-site bench clean venv

all: book

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "找不到 $(PYTHON)；请安装 Python 3.11，或用 make PYTHON=python3 ..."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (dlbook)" >/dev/null
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

book-student: $(STAMP)
	DLBOOK_EDITION=student $(BIN)/jupyter-book build . -W -n --keep-going --path-output _build/student

serve: book
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lint: $(STAMP)
	$(BIN)/ruff check dlbook tests notebooks

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not site"

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax -p tests.nbval_guard notebooks --nb-cache _build/.jupyter_cache

test-site: book book-student
	$(BIN)/python -m pytest tests -m site

test: lint test-unit test-notebooks test-site

bench: $(STAMP)
	$(BIN)/python -m tests.bench --repeat $(or $(REPEAT),3)

clean:
	rm -rf _build .pytest_cache .ruff_cache
