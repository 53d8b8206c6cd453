#!/usr/bin/env bash
# The first thing to run: installs missing Debian packages, builds the demo program with
# the dev preset and runs it. The workspace file lands in the current directory.
#
#   examples/demo.sh                     writes ./gridgov-demo.gridgov
#   examples/demo.sh my.gridgov          writes my.gridgov instead
#   examples/demo.sh my.gridgov --data DIR   reads DIR/county.json
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

"$root/.ci/install-deps.sh"
(
    cd "$root"
    cmake --preset dev >/dev/null
    echo "gridgov: building gridgov_demo in build/dev (the first build takes a few minutes)"
    cmake --build --preset dev --target gridgov_demo >/dev/null
)
exec "$root/build/dev/examples/gridgov_demo" "$@"
