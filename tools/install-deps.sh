#!/usr/bin/env bash
# Installs every Debian package infnum needs. Idempotent: packages already
# present are left alone, and a second run changes nothing.
#   tools/install-deps.sh   build, tests, pipeline, paper, HTML check, and the
#                           benchmark peers (Boost.Math, ADOL-C, Trilinos Sacado)
# The CUDA toolkit is not a Debian package here: the build uses nvcc when it
# is on the PATH (INFNUM_CUDA=AUTO) and works without it.
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config git zlib1g-dev
  libhdf5-dev hdf5-tools libcjson-dev libopenblas-dev
  valgrind
  snakemake python3-jsonschema python3-yaml
  gnuplot-nox
  latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra
  texlive-fonts-recommended
  dataset-fashion-mnist
  chromium
  libboost-math-dev libadolc-dev libtrilinos-sacado-dev
)

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
  *) echo "install-deps.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ -z "${VERBOSE:-}" ] || echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0   # quiet when there is nothing to do
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
