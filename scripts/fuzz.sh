#!/usr/bin/env bash
# A long, random fuzzing run of tests/test_fuzz.py (the library) and tests/cli/test_fuzz_cli.py
# (the CLI commands score, validate, lint, explain, diff), hostile and broken input.
#
#   scripts/fuzz.sh                      # 2000 examples per test, about 10-15 minutes
#   WZEVAL_FUZZ_EXAMPLES=20000 scripts/fuzz.sh    # longer
#
# Uses the ``long`` Hypothesis profile (tests/conftest.py): random, not derandomized,
# with the example database in .hypothesis/ so a failure found once is replayed on the
# next run.  Prints Hypothesis's statistics (examples run, time, the issue codes seen)
# and the wall time.  A failing CLI input is also written to tests/corpus/cli/ (named
# <command>-<role>-<sha256 prefix>.bin): commit it, and every later default run replays it.
# The slow tests are included here.  The default CI run is deterministic and short:
#   pytest tests/test_fuzz.py tests/cli/test_fuzz_cli.py      (and CI's pytest -m slow)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST="${PYTEST:-}"
if [ -z "$PYTEST" ]; then
    if [ -x .venv/bin/pytest ]; then PYTEST=.venv/bin/pytest; else PYTEST=pytest; fi
fi
export HYPOTHESIS_PROFILE=long
export WZEVAL_FUZZ_EXAMPLES="${WZEVAL_FUZZ_EXAMPLES:-2000}"
start=$(date +%s)
status=0
"$PYTEST" -q -p no:cacheprovider -m "slow or not slow" tests/test_fuzz.py tests/cli/test_fuzz_cli.py \
    --hypothesis-show-statistics "$@" || status=$?
echo "fuzz: ${WZEVAL_FUZZ_EXAMPLES} examples per test, $(( $(date +%s) - start )) s, exit ${status}"
exit "$status"
