#!/bin/bash
# build/nnpde.pc works from the build tree: a consumer compiled and linked with nothing but
# `pkg-config --cflags --libs nnpde` (PKG_CONFIG_PATH = the build folder) builds and runs.
# usage: pkgconfig_consumer.sh <pkg-config> <MPI C compiler> <build dir> <consumer.c> <work dir>
set -u
pc=$1 cc=$2 build=$3 src=$4 work=$5
mkdir -p "$work" || exit 1
flags=$(PKG_CONFIG_PATH="$build" "$pc" --cflags --libs nnpde) || { echo "FAIL: pkg-config does not find nnpde in $build"; exit 1; }
echo "pkg-config --cflags --libs nnpde: $flags"
"$cc" -o "$work/pc_consumer" "$src" $flags -lm || { echo "FAIL: the consumer does not compile or link"; exit 1; }
out=$(${MPIEXEC:-mpiexec} -n 1 "$work/pc_consumer" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: the consumer exits with $rc"; exit 1; }
# (2+1)*50 + (50+1)*50 + (50+1)*50 + (50+1)*1 parameters
grep -qF "network with 5301 parameters" <<<"$out" || { echo "FAIL: unexpected output"; exit 1; }
echo "pkgconfig_consumer: compiled, linked and ran against the build tree"
