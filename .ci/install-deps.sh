#!/usr/bin/env bash
# Installs the Debian packages gridgov builds, tests and runs with (only the missing ones).
# Works as root or through sudo. Nothing is downloaded from anywhere but Debian's archive.
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libboost-graph-dev libboost-date-time-dev libsqlite3-dev libssl-dev
    nlohmann-json3-dev libmuparser-dev libcli11-dev libutf8proc-dev
    python3 python3-dev pybind11-dev python3-pybind11 python3-pytest python3-numpy
    doctest-dev libbenchmark-dev abigail-tools clang-format
    clang libclang-rt-14-dev  # the asan preset: sanitizers and the libFuzzer targets (tests/fuzz)
    libpq-dev postgresql-15  # workspaces on PostgreSQL; the tests start a throwaway server
    chromium  # headless, for the report page's browser test (tests/report)
    openssl  # the tests check a signed tree head with the openssl tool, as an auditor would
)
# Optional extras used when present (pandas for to_pandas(), matplotlib for charts).
optional=(python3-pandas python3-matplotlib)

missing=()
for p in "${packages[@]}" "${optional[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "gridgov: installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
