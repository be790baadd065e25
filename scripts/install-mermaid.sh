#!/usr/bin/env bash
# Install the pinned copy of mermaid that the site serves itself for diagrams, so no page ever
# loads it from another host: npm's `mermaid` package at one exact version, its tarball checked
# against the integrity pinned here, into PREFIX/share/retro-kb/mermaid/ (default: the .venv of
# this repository, where scripts/demo.sh and scripts/test.sh call it). The kb plugin looks there,
# under the prefix of the Python that runs MkDocs. Nothing is downloaded at build time.
#
#   bash scripts/install-mermaid.sh [PREFIX]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MERMAID_VERSION=11.17.2
MERMAID_INTEGRITY=sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==

prefix=${1:-${KB_VENV:-.venv}}
dest="$prefix/share/retro-kb/mermaid"

if [ -f "$dest/mermaid.min.js" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$MERMAID_VERSION" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed: the site will show diagrams as code (apt-get install npm, then run $0)" >&2
  exit 1
fi

echo "==> installing mermaid $MERMAID_VERSION for the site's diagrams"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# npm checks the tarball against the registry's integrity; the pin makes sure it is the same one.
(cd "$work" && npm pack --silent --json "mermaid@$MERMAID_VERSION" >pack.json)
integrity=$(sed -n 's/.*"integrity": *"\([^"]*\)".*/\1/p' "$work/pack.json" | head -n 1)
if [ "$integrity" != "$MERMAID_INTEGRITY" ]; then
  echo "mermaid $MERMAID_VERSION: integrity $integrity is not the pinned $MERMAID_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$work/mermaid-$MERMAID_VERSION.tgz" -C "$work" \
  package/dist/mermaid.min.js package/LICENSE
mkdir -p "$dest"
rm -f "$dest/VERSION"  # written last: a copy cut short is installed again next time
cp "$work/package/dist/mermaid.min.js" "$work/package/LICENSE" "$dest/"
echo "$MERMAID_VERSION" >"$dest/VERSION"
