# tasklab: every entry point. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV        := .venv
BIN         := $(VENV)/bin
TOOLS       := .tools
UV          := $(TOOLS)/bin/uv
SYNCED      := $(VENV)/.tasklab-synced
MANAGE      := $(BIN)/python sandbox_project/manage.py
PORT        ?= 8000
DOCS_PORT   ?= 8001
# Test processes: most tests and lessons wait on workers and servers, so 2 keep 2 cores busy.
JOBS        ?= 2
REDIS_PORT  ?= 6379
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Install packages with their bytecode compiled: every process the lessons and tests start
# (kernels, workers, servers) then imports Django from .pyc files instead of compiling it
# again, which matters where PYTHONDONTWRITEBYTECODE is set (as on CI machines).
export UV_COMPILE_BYTECODE := 1
# Material's notice that MkDocs 1.x is no longer maintained: we pin mkdocs<2 knowingly.
export NO_MKDOCS_2_WARNING := 1

# JupyterLab refuses to run as root without --allow-root; a machine without a display
# cannot open a browser.
LAB_FLAGS := --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks
ifeq ($(shell id -u),0)
LAB_FLAGS += --allow-root
endif
ifeq ($(DISPLAY)$(WAYLAND_DISPLAY)$(filter Darwin,$(shell uname -s)),)
LAB_FLAGS += --no-browser
endif

.PHONY: help doctor setup lab lint format test test-unit test-notebooks test-docs test-latest test-django60 notebooks server worker shell docs serve-docs reset clean \
	postgres reliability chaos exercises solutions progress bench redis

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Not `setup`: it runs before .venv exists, on any python3 from 3.8 (scripts/doctor.py says why).
doctor: ## Check this machine for the lessons: Python 3.12+, .venv, Chromium, PostgreSQL, Redis, ports, disk
	@python=$$(command -v python3) || { echo "error: make doctor needs a python3 to run (any from 3.8); Django 6 needs 3.12+:" \
		"see Prerequisites in README.md" >&2; exit 1; }; \
	PORT=$(PORT) DOCS_PORT=$(DOCS_PORT) "$$python" scripts/doctor.py --venv $(VENV)

setup: $(SYNCED) sandbox_project/var/db.sqlite3 ## Create .venv from the lock file and prepare the sandbox

# uv itself, pinned by hash, in a tool folder of its own.
$(UV): scripts/uv-requirements.txt
	@python=$$(scripts/find-python.sh) || exit 1; \
	echo "Bootstrapping uv with $$python"; \
	"$$python" -m venv --clear $(TOOLS) && \
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r $< && \
	touch $@

$(SYNCED): pyproject.toml uv.lock $(UV)
	@python=$$(scripts/find-python.sh) || exit 1; \
	$(UV) sync --locked --python "$$python" && \
	$(BIN)/python -m ipykernel install --sys-prefix --name tasklab --display-name "Python 3 (tasklab)" >/dev/null && \
	touch $@

sandbox_project/var/db.sqlite3: $(SYNCED)
	@mkdir -p $(@D) && $(MANAGE) migrate --verbosity 0 && echo "Sandbox database ready: $@"

lab: setup ## Open JupyterLab on the lessons (prints its URL)
	$(BIN)/jupyter lab $(LAB_FLAGS)

# scripts/run_tests.py runs the phases and prints where the time went.
# PHASES=unit,notebooks runs some of them.
test: setup lint ## Run every test: lint, unit tests (also on Django 6.0), every notebook (nbval), the site
	@python=$$(scripts/find-python.sh) || exit 1; \
	$(BIN)/python scripts/run_tests.py --python "$$python" $(if $(PHASES),--only $(PHASES))

lint: setup ## Lint and format check (ruff) of the toolkit, sandbox, tests, scripts and notebooks' code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## Format and fix what ruff can (then re-run the lessons whose printed source changed)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-unit: setup ## Unit tests: views, tasks and the lab toolkit against a real db_worker
	$(BIN)/pytest tests --ignore=tests/docs -n $(JOBS) --dist loadfile

# The same builder as test-latest (scripts/drift_check.py): uv.lock's versions, Django 6.0.x.
test-django60: setup ## The sandbox's unit tests again on the newest Django 6.0.x, in .venv-django60/
	@python=$$(scripts/find-python.sh) || exit 1; \
	$(BIN)/python scripts/django60_check.py --python "$$python" --jobs $(JOBS)

test-notebooks: setup ## Execute every notebook and compare its outputs (nbval)
	$(BIN)/pytest @tests/nbval.args -n $(JOBS) --dist loadfile notebooks

test-docs: setup ## Build the site with --strict (no warning, no broken link), check every page in Chromium
	$(BIN)/pytest tests/docs

notebooks: setup ## Re-run notebooks and store their outputs (NB=notebooks/06-*.ipynb for some)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 \
		$(or $(NB),$(wildcard notebooks/[0-9]*.ipynb))
	$(BIN)/python scripts/relative_paths.py $(or $(NB),$(wildcard notebooks/[0-9]*.ipynb))

exercises: setup ## Write notebooks/exercises/ from notebooks/solutions/, then store both's outputs
	$(BIN)/python -m tasklab.exercises.generate
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 \
		notebooks/solutions/*.ipynb notebooks/exercises/*.ipynb
	$(BIN)/python scripts/relative_paths.py notebooks/solutions/*.ipynb notebooks/exercises/*.ipynb

solutions: setup ## For the facilitator: open JupyterLab on the exercises' solutions
	$(BIN)/jupyter lab $(subst root_dir=notebooks,root_dir=notebooks/solutions,$(LAB_FLAGS))

progress: ## List the exercises you have passed
	@$(BIN)/python -m tasklab.exercises.scorecard

server: setup ## Run the dev server on 127.0.0.1:8000 (PORT=... to change)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# --no-reload: with DEBUG on, db_worker would run under Django's autoreloader, whose parent
# kills the worker on Ctrl+C before its task ends; without it, Ctrl+C finishes the task first
# (lesson 6). Restart the worker after you change a task.
worker: setup ## Run a db_worker on all queues (Ctrl+C finishes the running task, then stops)
	$(MANAGE) db_worker --queue-name '*' --no-reload

shell: setup ## Open django-extensions' shell_plus on the sandbox
	$(MANAGE) shell_plus

docs: setup ## Build the documentation site into site/
	$(BIN)/mkdocs build --strict

serve-docs: setup ## Serve the documentation site on 127.0.0.1:8001 (DOCS_PORT=... to change), live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(DOCS_PORT) --livereload

postgres: setup ## A throwaway PostgreSQL on 127.0.0.1 for the sandbox (prints its URL; Ctrl+C stops it)
	@$(BIN)/python -m tasklab.postgres

test-latest: setup ## What the newest releases would change: tests and lessons in .venv-latest/ (PIN='pkg==x.y' to try one version)
	@python=$$(scripts/find-python.sh) || exit 1; \
	$(BIN)/python scripts/drift_check.py --python "$$python" --jobs $(JOBS) $(foreach pin,$(PIN),--pin '$(pin)')

reliability: setup ## Print reliability figures: 1,000 tasks x 2/4 workers on SQLite and PostgreSQL, 20 kernel kills
	$(BIN)/python scripts/reliability.py

# Seconds of chaos before the drain; SEED repeats a run's random choices (default: a new seed).
DURATION ?= 300
chaos: setup ## Soak on PostgreSQL: workers killed mid-task under load; exits 1 if a task is lost or duplicated (DURATION=300 SEED=...)
	$(BIN)/python -m tasklab.chaos --duration $(DURATION) $(if $(SEED),--seed $(SEED))
bench: setup ## Measure the tutorial and django.tasks against RQ and Celery (QUICK=1: a short run; ONLY=queues|knobs|bigtable|landscape|tutorial)
	$(BIN)/python -m tasklab.bench $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

redis: setup ## Run Redis on 127.0.0.1:6379 for the RQ settings until Ctrl+C (REDIS_PORT=... to change)
	$(BIN)/python -m tasklab.redis $(REDIS_PORT)

reset: ## Start the sandbox database afresh (asks first; FORCE=1 to skip)
	@if [ "$(FORCE)" != 1 ]; then \
		read -r -p "Delete the sandbox database (users, tasks, results) in sandbox_project/var/? [y/N] " answer; \
		case "$$answer" in [yY] | [yY][eE][sS]) ;; *) echo "Nothing deleted."; exit 1 ;; esac; \
	fi
	rm -f sandbox_project/var/db.sqlite3 sandbox_project/var/db.sqlite3-wal sandbox_project/var/db.sqlite3-shm
	@$(MAKE) --no-print-directory sandbox_project/var/db.sqlite3

clean: ## Remove generated files (.venv, caches, built site); keeps the sandbox database
	rm -rf $(VENV) $(VENV)-latest $(VENV)-django60 $(TOOLS) site .cache .pytest_cache sandbox_project/var/notebooks sandbox_project/var/logs sandbox_project/var/envs
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
