#!/usr/bin/env bash
# The whole test suite, as CI runs it: install into .venv, then lint, type-check,
# validate the shipped rulebooks and examples, and run pytest (which also checks
# that generated schemas and docs are fresh).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

echo "== ruff"
.venv/bin/ruff check src tests benchmarks tools
.venv/bin/ruff format --check src tests benchmarks tools
echo "== mypy --strict"
.venv/bin/mypy src
echo "== wzeval validate --partial rulebooks/ examples/"
# --partial: one example is a partial assessment on purpose; tests/test_examples.py
# checks the complete ones strictly.
.venv/bin/wzeval validate --partial rulebooks/ examples/
echo "== wzeval lint / test (the rulebooks' own gate)"
.venv/bin/wzeval lint rulebooks/2023.yaml rulebooks/examples/2024-draft.yaml \
    rulebooks/national-2019.yaml rulebooks/national-2019-media.yaml >/dev/null
for tests in rulebooks/*.tests.yaml; do
    .venv/bin/wzeval test "$tests" --min-coverage 100
done
echo "== pytest (the default run; \`slow\` tests are deselected in pyproject.toml)"
.venv/bin/pytest "$@"
if [ $# -eq 0 ]; then
    echo "== pytest -m slow (fuzz campaigns at their CI budget, interrupt sweeps)"
    # exit 5 is pytest's "no test selected"
    .venv/bin/pytest -m slow || [ $? -eq 5 ]
fi
