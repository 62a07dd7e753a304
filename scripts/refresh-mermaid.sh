#!/bin/sh
# Refresh the vendored Mermaid (src/wikiflow/site/assets/mermaid.min.js and its licence) from
# the npm registry. The version is the one the MediaWiki Mermaid extension bundles; change
# VERSION to move. Usage: scripts/refresh-mermaid.sh
set -eu
VERSION=10.9.3
HERE=$(cd "$(dirname "$0")/.." && pwd)
ASSETS="$HERE/src/wikiflow/site/assets"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "mermaid@$VERSION" >/dev/null
tar xzf "mermaid-$VERSION.tgz" package/dist/mermaid.min.js package/LICENSE
cp package/dist/mermaid.min.js "$ASSETS/mermaid.min.js"
cp package/LICENSE "$ASSETS/mermaid.LICENSE"
echo "mermaid $VERSION: $(wc -c < "$ASSETS/mermaid.min.js") bytes in $ASSETS"
