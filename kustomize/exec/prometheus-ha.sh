#!/bin/sh
# Runs this checkout's bundled function (npm run build first). kustomize runs it as a KRM exec
# function (ResourceList on stdin and stdout); the bundle is found relative to this file, so the
# kustomization can be built from any working directory.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
unset NODE_EXTRA_CA_CERTS # read by Node.js at start (nodejs/node#40524); the function uses no TLS
exec node "$here/../../dist/prometheus-ha.cjs" "$@"
