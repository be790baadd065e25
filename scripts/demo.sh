#!/usr/bin/env bash
# The main job on the bundled sample knowledge base: install retro-kb into .venv, validate the
# sample entries and list them.
source "$(dirname "$0")/_venv.sh"

echo "==> installing retro-kb"
"$PY" -m pip install --quiet -e .
KB="$VENV/bin/kb"

echo "==> kb check"
"$KB" check || { echo "the sample knowledge base has errors" >&2; exit 1; }

echo "==> kb list"
"$KB" list
