#!/usr/bin/env bash
# Builds the ns-3 side of the benchmarks (anycast-bench.cc) against the installed ns-3 (Debian:
# apt-get install libns3-dev ns3) with g++ -O2, into build/ns3-peer/, and prints the binary's path.
# The build is cached: it is redone only when the source, this script or the ns-3 version changes.
# Exit status 3, with the reason on stderr, when ns-3 or g++ is missing (the bench then runs without
# the peer and says so).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/build/ns3-peer
modules=(ns3-core ns3-network ns3-internet ns3-csma ns3-point-to-point)

command -v g++ >/dev/null || { echo "g++ is not installed" >&2; exit 3; }
command -v pkg-config >/dev/null || { echo "pkg-config is not installed" >&2; exit 3; }
pkg-config --exists "${modules[@]}" || { echo "ns-3 is not installed (pkg-config finds no ${modules[*]}; Debian: apt-get install libns3-dev)" >&2; exit 3; }

version=$(pkg-config --modversion ns3-core)
key=$(cat "$here/anycast-bench.cc" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)-$version
binary=$out/anycast-bench-$key
if [[ ! -x $binary ]]; then
  mkdir -p "$out"
  # Built under a temporary name and renamed, so that a build interrupted half-way is never taken
  # for a finished one.
  # Debian's ns-3 .pc files name libgsl.so and libsqlite3.so, which only their -dev packages ship;
  # ns-3's own shared libraries already depend on the runtime ones, so a library path that does not
  # exist is left out.
  libs=()
  for flag in $(pkg-config --libs "${modules[@]}"); do
    if [[ $flag == /* && ! -e $flag ]]; then continue; fi
    libs+=("$flag")
  done
  g++ -O2 -std=c++17 -DNS3_VERSION="\"$version\"" -o "$binary.tmp.$$" "$here/anycast-bench.cc" \
    $(pkg-config --cflags "${modules[@]}") "${libs[@]}" >&2
  mv "$binary.tmp.$$" "$binary"
fi
echo "$binary"
