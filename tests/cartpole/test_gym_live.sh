#!/bin/sh
# SPDX-License-Identifier: MIT
# The Gymnasium replay run live: gym_fixture.py records fresh episodes from
# the installed Gymnasium (seed 7, 24 episodes) and test_cartpole_gym replays
# them. Skipped (exit 77, with the reason) when no Python with gymnasium is
# found: $INFNUM_VENV/bin/python, then SRC/.venv/bin/python.
#   test_gym_live.sh SRC TEST_BIN TMPDIR
set -u
src=$1 bin=$2 dir=$3/gymlive.$$
py=
for p in "${INFNUM_VENV:-}/bin/python" "$src/.venv/bin/python"; do
  if [ -x "$p" ] && "$p" -c "import gymnasium" 2> /dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
  echo "SKIPPED: no Python with gymnasium (set INFNUM_VENV or run tools/install-deps.sh)"
  exit 77
fi
mkdir -p "$dir" || exit 1
trap 'rm -rf "$dir"' EXIT
"$py" "$src/tests/cartpole/gym_fixture.py" "$dir/live.txt" --seed 7 --episodes 24 || exit 1
"$bin" "$dir/live.txt"
