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
  echo "Setting up .venv (only the first time; the details go to .venv/install.log)…"
  if ! { .venv/bin/pip install --upgrade pip &&
         .venv/bin/pip install -e ".${WELLPLAN_EXTRAS:+[$WELLPLAN_EXTRAS]}"; } >.venv/install.log 2>&1; then
    tail -n 40 .venv/install.log
    echo "Setting up .venv failed; the whole log is in .venv/install.log." >&2
    exit 1
  fi
  touch "$stamp"
fi
export PATH="$here/.venv/bin:$PATH"
