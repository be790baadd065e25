# Shared set-up for scripts/demo.sh and scripts/test.sh: a virtual environment with retro-kb.
# Sourced, not run. Creates $VENV (default .venv) with a Python 3.11+ and installs the project.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${KB_VENV:-.venv}

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "retro-kb needs Python 3.11 or newer" >&2
  exit 1
}

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment $VENV"
  "$(pick_python)" -m venv "$VENV"
fi
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1
