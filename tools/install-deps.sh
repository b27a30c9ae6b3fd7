#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything infnum needs: the Debian packages, then a Python
# virtual environment (.venv/, or $INFNUM_VENV) with the packages from
# tools/requirements.txt. Idempotent: what is present is left alone, and a
# second run changes nothing.
#   tools/install-deps.sh   build, tests, pipeline, paper, HTML check, the
#                           benchmark peers (Boost.Math, ADOL-C, Trilinos
#                           Sacado), fuzzing (clang), the proof (Coq,
#                           Coquelicot), packaging (lintian), the API
#                           reference (Doxygen) and the Python package
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
  clang libclang-rt-14-dev
  coq libcoq-coquelicot
  lintian doxygen
  python3-venv python3-dev
)

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
  *) echo "install-deps.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${INFNUM_VENV:-$root/.venv}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ -z "${VERBOSE:-}" ] || echo "install-deps: all ${#pkgs[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Python environment: Debian's python3 (python3-venv above), packages
# from the package index as tools/requirements.txt lists them. Quiet when
# every module imports already.
if [ ! -x "$venv/bin/python" ]; then
  echo "install-deps: creating the Python environment $venv"
  /usr/bin/python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import numpy, pytest, cffi, torch, gymnasium' > /dev/null 2>&1; then
  echo "install-deps: installing the Python packages into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/tools/requirements.txt"
fi
