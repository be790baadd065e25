#!/usr/bin/env bash
# Install everything the test suite needs (Python packages, Debian's Chromium for the browser
# tests and a Chinese font for their screenshots, the site's pinned copy of mermaid) into .venv and run the whole suite. Extra arguments
# go to pytest.
source "$(dirname "$0")/_venv.sh"

echo "==> installing retro-kb with its test dependencies"
"$PY" -m pip install --quiet -e ".[test]"
# The site's search runs Pagefind's binary, installed with the pagefind-bin-extended package.
"$PY" -m pagefind --version >/dev/null ||
  { echo "the site's search needs Pagefind's binary (pip install 'pagefind[extended]')" >&2; exit 1; }

# Debian packages the suite needs, installed with apt-get when missing (the lists are updated once).
UPDATED=""
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "$UPDATED" ]; then
    $sudo apt-get update -qq
    UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Debian's chromium for the browser tests"
  apt_install chromium
fi

# Chinese text in the browser tests' screenshots (test-artifacts/) needs a font with Chinese
# glyphs; a minimal Debian has none and Chromium draws empty boxes.
if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "==> installing Debian's fonts-wqy-zenhei, a font with Chinese glyphs, for the screenshots"
  apt_install fonts-wqy-zenhei
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "==> installing Debian's npm, to install the site's copy of mermaid"
  apt_install npm
fi
bash scripts/install-mermaid.sh "$VENV"

echo "==> running the test suite"
exec "$PY" -m pytest "$@"
