#!/usr/bin/env bash
# gantry next to its peers, in one run: podman-compose on the same 1- and 10-service stacks as
# bench/engine-up-down.mjs (bench/peers.mjs), then `container run --rm IMAGE true` against
# `crun run`, `runc run` and `podman run --rm` (hyperfine). Prints the ratios and appends a
# "Peers side by side" section to bench/RESULTS.md. Root, offline, Debian packages only.
# Usage: bench/peers.sh [compose-runs=5] [run-runs=20]
#
# podman on this kind of VM needs, all in a private containers.conf and storage (nothing of the
# host's podman set-up is changed):
#  - default_ulimits within the hard limits: podman's defaults (nofile/nproc far above them) make
#    the OCI runtime fail with "setrlimit RLIMIT_NOFILE: Operation not permitted" (root lacks
#    CAP_SYS_RESOURCE here); nproc at most 32768, the limit conmon runs with;
#  - runtime = runc: crun refuses hybrid cgroup hosts whose v2 mount has a controller ("cgroups
#    in hybrid mode not supported, drop all controllers from cgroupv2"), and running podman in a
#    mount namespace without that mount (what bench/runtime-run.sh does for crun alone) leaks
#    CNI rules, because the netns mounts under /run/netns stay in that private namespace;
#  - cgroup_manager = cgroupfs and events_logger = file (no systemd), init_path = catatonit
#    (compose `init: true`).
set -euo pipefail
cd "$(dirname "$0")/.."
CRUNS=${1:-5}
RRUNS=${2:-20}
need=()
for p in hyperfine crun runc podman podman-compose catatonit busybox-static; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi
npm run --silent build
sh scripts/make-test-images.sh >/dev/null

W=$(mktemp -d /tmp/gantry-peers-XXXXXX)
cleanup() {
  "$W/bin/podman" rm -af -t 0 >/dev/null 2>&1 || true
  # networks are host-wide (CNI configs, bridges, IPAM files): only the two bench/peers.mjs named go
  for n in 1 10; do
    "$W/bin/podman" network rm -f "peerspodman${n}x$$_default" >/dev/null 2>&1 || true
    rm -rf "/var/lib/cni/networks/peerspodman${n}x$$_default" # host-local IPAM state network rm leaves
  done
  # containers/storage keeps its overlay dir bind-mounted on itself: only mounts under $W go
  awk -v w="$W" '$5 ~ "^"w {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/bin" "$W/groot"
cat >"$W/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
init_path = "/usr/bin/catatonit"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOF
export CONTAINERS_CONF="$W/containers.conf"
cat >"$W/bin/podman" <<EOF
#!/bin/sh
exec /usr/bin/podman --root $W/storage --runroot $W/run "\$@"
EOF
chmod +x "$W/bin/podman"
TAR=test/fixtures/images/build/v1/busybox-docker.tar
"$W/bin/podman" load -q -i "$TAR" >/dev/null 2>&1
# podman's "unable to get systemd connection" healthcheck-timer noise is not our output
quiet() { grep -v 'level=error msg="Removing timer' || true; }

PEERS_ID=$$ PEERS_PODMAN="$W/bin/podman" node bench/peers.mjs "$CRUNS" 2> >(quiet >&2) | tee "$W/compose.out"

# run --rm true: gantry and podman from the image; crun and runc from a bundle of the same busybox rootfs
GANTRY_ROOT="$W/groot" node bin/gantry.js image load -i "$TAR" >/dev/null
ROOTFS=$(node --import tsx --input-type=module -e "import { busyboxRootfs } from './test/helpers/rootfs.ts'; console.log(busyboxRootfs())")
mkdir -p "$W/bundle"
cp -a "$ROOTFS" "$W/bundle/rootfs"
(cd "$W/bundle" && crun spec && node -e "const f='config.json', fs=require('fs'); const c=JSON.parse(fs.readFileSync(f)); c.process.terminal=false; c.process.args=['/bin/true']; fs.writeFileSync(f, JSON.stringify(c))")
HIDE='unshare -m --propagation private sh -c'
hybrid=0; grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo && hybrid=1
cmds=(-n gantry "env GANTRY_ROOT=$W/groot node bin/gantry.js container run --rm gantry-test/busybox:latest true")
if [ $hybrid = 1 ]; then
  cmds+=(-n crun "$HIDE 'umount -l /sys/fs/cgroup/unified && exec crun --root $W/crun run -b $W/bundle peers-crun-$$'")
  cmds+=(-n crun-wrapper "$HIDE 'umount -l /sys/fs/cgroup/unified && exec true'")
else
  cmds+=(-n crun "crun --root $W/crun run -b $W/bundle peers-crun-$$")
fi
# --network none: gantry's container run default is the same (its own namespace, loopback only)
cmds+=(-n runc "runc --root $W/runc run -b $W/bundle peers-runc-$$")
cmds+=(-n podman "$W/bin/podman run --rm --network none localhost/gantry-test/busybox:latest true")
hyperfine -N -w 3 -r "$RRUNS" --export-json "$W/h.json" "${cmds[@]}" 2> >(quiet >&2) >&2

median() { node -e "const r=require('$W/h.json').results.find(x=>x.command==='$1'); if(!r) process.exit(0); const t=[...r.times].sort((a,b)=>a-b); console.log((t[Math.floor(t.length/2)]*1000).toFixed(1))"; }
g=$(median gantry)
row() { local m; m=$(median "$1"); [ -n "$m" ] && echo "| $1 | $m | $(node -e "console.log(($m/$g).toFixed(2))")× |"; }
{
  echo
  echo "## Peers side by side (\`bench/peers.sh $CRUNS $RRUNS\`) — $(date -u +%Y-%m-%d), 2-core Debian 12 VM, kernel $(uname -r)"
  echo
  echo "One run; the machine was shared with other builds and tests (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))."
  echo "$(podman --version), podman-compose $(dpkg-query -W -f='${Version}' podman-compose), runc $(dpkg-query -W -f='${Version}' runc), crun $(dpkg-query -W -f='${Version}' crun), CNI networking; podman set-up: see the head of bench/peers.sh."
  echo
  echo "\`up -d\` until the published 127.0.0.1 port answers, and \`down\`, medians of $CRUNS runs interleaved tool by tool (bench/stacks.mjs stacks):"
  echo
  grep '^|' "$W/compose.out"
  echo
  echo "\`run --rm IMAGE true\`, hyperfine -N, 3 warm-ups, $RRUNS runs each, median ms and ratio to gantry:"
  echo
  echo "| command | median ms | ÷ gantry |"
  echo "|---|---|---|"
  for n in gantry crun crun-wrapper runc podman; do row $n || true; done
  [ $hybrid = 1 ] && echo && echo "crun: inside \`unshare -m\` with /sys/fs/cgroup/unified unmounted (it refuses this hybrid host otherwise); crun-wrapper is that wrapper alone."
  echo
  echo "gantry and podman start from the image store (overlay of the layers); crun and runc from a ready bundle directory."
} | tee -a bench/RESULTS.md
