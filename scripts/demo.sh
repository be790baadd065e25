#!/usr/bin/env bash
# The main job on the bundled sample knowledge base: install retro-kb into .venv, validate the
# sample entries, index them for search, build the site and serve it on 127.0.0.1 until Ctrl-C.
# KB_PORT chooses the port (default 8000).
source "$(dirname "$0")/_venv.sh"

echo "==> installing retro-kb"
"$PY" -m pip install --quiet -e .
# The site's search runs Pagefind's binary, installed with the pagefind-bin-extended package.
"$PY" -m pagefind --version >/dev/null ||
  { echo "the site's search needs Pagefind's binary (pip install 'pagefind[extended]')" >&2; exit 1; }
bash scripts/install-mermaid.sh "$VENV" || echo "(diagrams will be shown as code)" >&2
KB="$VENV/bin/kb"
PORT=${KB_PORT:-8000}

echo "==> kb check"
"$KB" check || { echo "the sample knowledge base has errors" >&2; exit 1; }

echo "==> kb index"
"$KB" index

echo "==> kb build"
"$KB" build --no-index

echo "==> kb serve"
echo "open http://127.0.0.1:$PORT/ in a browser (Ctrl-C stops the server)"
exec "$KB" serve --no-index --dev-addr "127.0.0.1:$PORT"
