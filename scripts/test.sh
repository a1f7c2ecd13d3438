#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs, then pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  echo "Installing Chromium and poppler-utils from Debian (needs root)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi
source "$here/scripts/print-fonts.sh"
WELLPLAN_EXTRAS=test source "$here/scripts/bootstrap.sh"
cd "$here"
exec python -m pytest -n 2 -q "$@"
