#!/usr/bin/env bash
# Installs a gridgov build into a fresh prefix and builds the consumers against that
# prefix alone, the way a vendor (CMake, find_package) and an integrator (cc + pkg-config)
# would, then runs them and checks what they print.
#
#   tests/consumer/run.sh <gridgov build dir> <scratch dir>
#
# The scratch dir is emptied first. The consumers see nothing of the build tree: CMake
# gets the prefix as its only CMAKE_PREFIX_PATH, pkg-config the prefix's pkgconfig folder
# as its only search path.
set -euo pipefail

build=$(cd "$1" && pwd)
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}

rm -rf "$scratch"
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
prefix=$scratch/prefix

consumer_name=consumer
# shellcheck source=tests/consumer/lib.sh
source "$(dirname "$0")/lib.sh"

step "install into $prefix"
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libgridgov.so' -print -quit)")
pcdir=$(dirname "$(find "$prefix" -name 'gridgov.pc' -print -quit)")
[ -d "$libdir" ] && [ -d "$pcdir" ] || { echo "libgridgov.so or gridgov.pc not installed" >&2; exit 1; }

step "CMake consumer: find_package(gridgov) from the prefix"
cmake -S "$here/cpp" -B "$scratch/cmake" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF >"$scratch/cmake-configure.log"
found=$(sed -n 's/^gridgov_DIR:PATH=//p' "$scratch/cmake/CMakeCache.txt")
case $found in
    "$prefix"/*) echo "gridgov_DIR=$found" ;;
    *) echo "find_package(gridgov) found $found, not the fresh prefix" >&2; exit 1 ;;
esac
cmake --build "$scratch/cmake" >"$scratch/cmake-build.log"
"$scratch/cmake/consumer_cpp" | tee "$scratch/cpp.out"
expect "$scratch/cpp.out" \
    "371327101 岸堤镇: 589 households in 4 grids" \
    "371327101001 东岭村: 300 households in 2 grids" \
    "371327101002 西河村: 289 households in 2 grids"
LD_LIBRARY_PATH=$libdir "$scratch/cmake/consumer_c" | tee "$scratch/cmake-c.out"
expect "$scratch/cmake-c.out" "371327101001 东岭村: 300 households" "imported 7 nodes"

step "C consumer: $cc \$(pkg-config --cflags --libs gridgov)"
mkdir -p "$scratch/c"
flags=$(PKG_CONFIG_LIBDIR=$pcdir PKG_CONFIG_PATH= pkg-config --cflags --libs gridgov)
echo "pkg-config: $flags"
# shellcheck disable=SC2086  # the flags are a list of words
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror "$here/c/main.c" $flags -o "$scratch/c/consumer_c"
LD_LIBRARY_PATH=$libdir "$scratch/c/consumer_c" | tee "$scratch/c.out"
expect "$scratch/c.out" \
    "371327101001 东岭村: 300 households" \
    "371327101002 西河村: 289 households" \
    "imported 7 nodes"

step "consumers built and ran against the installed package"
