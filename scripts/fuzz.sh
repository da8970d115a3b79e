#!/usr/bin/env bash
# A long, random fuzzing run of tests/test_fuzz.py (hostile and broken input).
#
#   scripts/fuzz.sh                      # 2000 examples per test, about 10-15 minutes
#   WZEVAL_FUZZ_EXAMPLES=20000 scripts/fuzz.sh    # longer
#
# Uses the ``long`` Hypothesis profile (tests/conftest.py): random, not derandomized,
# with the example database in .hypothesis/ so a failure found once is replayed on the
# next run.  Prints Hypothesis's statistics (examples run, time, the issue codes seen)
# and the wall time.  The default CI run of the same file is deterministic and short:
#   pytest tests/test_fuzz.py
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
"$PYTEST" -q -p no:cacheprovider tests/test_fuzz.py --hypothesis-show-statistics "$@" || status=$?
echo "fuzz: ${WZEVAL_FUZZ_EXAMPLES} examples per test, $(( $(date +%s) - start )) s, exit ${status}"
exit "$status"
