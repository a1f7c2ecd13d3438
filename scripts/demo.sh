#!/usr/bin/env bash
# The main job: record a demo history of the example plans (checking each version as it is
# recorded, as 'wellplan record' does), build the site and the PDFs. The demo moves the examples'
# dates to today and reports what checking them found, so there is no separate 'wellplan check'
# here: on the examples as written, it would report checks that went overdue as time moved on.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/print-fonts.sh"
source "$here/scripts/bootstrap.sh"
cd "$here"
wellplan demo "${1:-demo}"
