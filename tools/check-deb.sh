#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/check-deb.sh PACKAGE.deb — what `make release` checks of its Debian
# package: unpacked into a scratch root (dpkg -x), it holds the shared and
# static libraries with their SONAME links, the headers, the CMake package,
# the pkg-config files, every program (each answering --version from the
# scratch root), the copyright file, the changelog and the docs; its Depends
# come from dpkg-shlibdeps; lintian reports no errors. Exit 1 on any miss.
set -uo pipefail
deb=${1:?usage: tools/check-deb.sh PACKAGE.deb}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root" || exit 1
fail=0
lib=usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for f in $lib/libinfnum.so.0 $lib/libinfnum.so $lib/libinfnum.a \
         $lib/libinfnum_engine.so.0 $lib/libinfnum_engine.so $lib/libinfnum_engine.a \
         usr/include/infnum/infnum.h usr/include/infnum/ext.h usr/include/infnum/raw.h \
         usr/include/infnum/raw_order.h usr/include/infnum/tape.h usr/include/infnum/estimator.h \
         usr/include/infnum/nn.h usr/include/infnum/rng.h \
         $lib/cmake/infnum/infnumConfig.cmake $lib/cmake/infnum/infnumConfigVersion.cmake \
         $lib/cmake/infnum/infnumTargets.cmake \
         $lib/pkgconfig/infnum.pc $lib/pkgconfig/infnum-engine.pc \
         usr/bin/infnum-microbench usr/bin/infnum-fmnist usr/bin/infnum-cartpole usr/bin/infnum-report \
         usr/share/doc/infnum/copyright usr/share/doc/infnum/changelog.gz \
         usr/share/doc/infnum/README.md usr/share/doc/infnum/docs/tutorial.md \
         usr/share/doc/infnum/docs/results-format.md; do
  [ -e "$root/$f" ] || { echo "check-deb: missing /$f"; fail=1; }
done
for b in "$root"/usr/bin/*; do
  LD_LIBRARY_PATH=$root/$lib "$b" --version > /dev/null 2>&1 || { echo "check-deb: ${b#$root} --version failed"; fail=1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-deb: Depends: $depends"
for d in libc6 libhdf5 libcjson; do
  grep -q "$d" <<<"$depends" || { echo "check-deb: Depends lacks $d"; fail=1; }
done
if command -v lintian > /dev/null; then
  lintian "$deb" > "$root/lintian.txt" 2>&1
  errors=$(grep -c '^E:' "$root/lintian.txt")
  warnings=$(grep -c '^W:' "$root/lintian.txt")
  grep '^E:' "$root/lintian.txt"
  echo "check-deb: lintian: $errors errors, $warnings warnings"
  [ "$errors" -eq 0 ] || fail=1
else
  echo "check-deb: lintian not installed (tools/install-deps.sh installs it)"
  fail=1
fi
[ "$fail" -eq 0 ] && echo "check-deb: $deb is complete"
exit "$fail"
