#!/usr/bin/env bash
# The whole test run on a fresh machine: installs what the tests need, then lint and pytest.
# Usage: bash tests/run.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt

# Browser tests and static image export use Debian's Chromium (no browser downloads here).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >/dev/null
fi

ruff check .
ruff format --check .
python -m pytest "$@"
