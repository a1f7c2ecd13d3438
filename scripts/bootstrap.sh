# Sourced by the README's commands: make .venv with the package and its dependencies.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-${WELLPLAN_EXTRAS:-base}
if [[ ! -f "$stamp" ]]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".${WELLPLAN_EXTRAS:+[$WELLPLAN_EXTRAS]}"
  touch "$stamp"
fi
export PATH="$here/.venv/bin:$PATH"
