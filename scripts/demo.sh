#!/usr/bin/env bash
# The main job: check the example plans, record a demo history, build the site and the PDFs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/print-fonts.sh"
source "$here/scripts/bootstrap.sh"
cd "$here"
wellplan check
wellplan demo "${1:-demo}"
