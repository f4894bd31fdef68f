#!/bin/sh
# Runs this checkout's bundled function (npm run build first). kustomize runs it as a KRM exec
# function (ResourceList on stdin and stdout); the bundle is found relative to this file, so the
# kustomization can be built from any working directory.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
# The bin is run as a program: its own first lines start Node.js (see scripts/build.mjs).
exec "$here/../../dist/prometheus-ha.cjs" "$@"
