#!/usr/bin/env bash
# Times `gantry container run --rm ROOTFS /bin/true` (command start to exit) side by side, in one
# hyperfine run, with the floor (unshare + chroot + /bin/true), `crun run` of an equivalent
# bundle and `podman run --rm` of the same rootfs imported as an image. Root only.
# Usage: bench/runtime-run.sh [runs]   (appends a section to bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
need=()
for p in hyperfine crun podman busybox-static; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi
npm run --silent build

W=$(mktemp -d /tmp/gantry-bench-XXXXXX)
IMG=gantry-bench-busybox-$$
cleanup() {
  podman rmi -f "localhost/$IMG" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

# the same busybox-static rootfs the runtime tests use
ROOTFS=$(node --import tsx --input-type=module -e "import { busyboxRootfs } from './test/helpers/rootfs.ts'; console.log(busyboxRootfs())")
mkdir -p "$W/bundle" "$W/root"
cp -a "$ROOTFS" "$W/bundle/rootfs"
(cd "$W/bundle" && crun spec && node -e "const f='config.json', fs=require('fs'); const c=JSON.parse(fs.readFileSync(f)); c.process.terminal=false; c.process.args=['/bin/true']; fs.writeFileSync(f, JSON.stringify(c))")
# crun refuses hybrid hosts ("cgroups in hybrid mode not supported") while the v2 mount has a
# controller (hugetlb here): run it in a mount namespace without that mount, and time that
# wrapper alone too, so its cost can be subtracted.
HIDE='unshare -m --propagation private sh -c'
hybrid=0; grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo && hybrid=1
tar -C "$ROOTFS" -c . | podman import -q - "$IMG" >/dev/null
podman_ok=1
podman run --rm "localhost/$IMG" /bin/true >"$W/podman.out" 2>&1 || podman_ok=0

cmds=(
  -n floor "unshare --mount --uts --ipc --net --pid --fork chroot $ROOTFS /bin/true"
)
if [ $hybrid = 1 ]; then
  cmds+=(-n crun "$HIDE 'umount -l /sys/fs/cgroup/unified && exec crun --root $W/crun run -b $W/bundle gantry-bench-$$'")
  cmds+=(-n crun-wrapper "$HIDE 'umount -l /sys/fs/cgroup/unified && exec true'")
else
  cmds+=(-n crun "crun --root $W/crun run -b $W/bundle gantry-bench-$$")
fi
cmds+=(
  -n gantry "env GANTRY_ROOT=$W/root node bin/gantry.js container run --rm $ROOTFS /bin/true"
)
[ $podman_ok = 1 ] && cmds+=(-n podman "podman run --rm localhost/$IMG /bin/true")
hyperfine -N -w 3 -r "$RUNS" --export-json "$W/h.json" "${cmds[@]}" >&2
# the shim alone (no Node): a fresh container is created and planned before each timed run
PREP="node --import tsx bench/runtime-prepare.ts $W/shim $ROOTFS"
hyperfine -N -w 3 -r "$RUNS" --prepare "$PREP" --export-json "$W/s.json" -n gantry-shim "native/build/gantry-shim $W/shim/bench/plan" >&2
node --import tsx --input-type=module -e "import { createRuntime } from './src/runtime/index.ts'; await createRuntime({ containersDir: '$W/shim' }).delete('bench', { force: true })"
node -e "const a=require('$W/h.json'), b=require('$W/s.json'); a.results.push(...b.results); require('fs').writeFileSync('$W/h.json', JSON.stringify(a))"

median() { node -e "const r=require('$W/h.json').results.find(x=>x.command==='$1'); if(!r) process.exit(0); const t=[...r.times].sort((a,b)=>a-b); const q=(p)=>(t[Math.min(t.length-1,Math.floor(p*t.length))]*1000).toFixed(1); console.log('| $1 | '+q(0.5)+' | '+(t[0]*1000).toFixed(1)+' / '+q(0.9)+' |')"; }
{
  echo
  echo "## runtime: container run --rm true — $(date -u +%Y-%m-%d), 2-core Debian 12 VM, kernel $(uname -r)"
  echo
  echo "\`bench/runtime-run.sh $RUNS\`: hyperfine -N, 3 warm-ups, $RUNS runs each, one run; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| command | median ms | min / p90 ms |"
  echo "|---|---|---|"
  for n in floor crun crun-wrapper gantry gantry-shim podman; do median $n; done
  echo
  echo "gantry-shim: the C shim alone on a fresh container (created and planned by bench/runtime-prepare.ts before each run, untimed): namespaces, overlay, /dev, /proc, /sys, cgroup views, masks, pivot, caps, exec of /bin/true, status file."
  [ $hybrid = 1 ] && echo && echo "crun: run inside \`unshare -m\` with /sys/fs/cgroup/unified unmounted (crun refuses hybrid hosts whose v2 side has a controller); crun-wrapper is that wrapper alone."
  if [ $podman_ok = 0 ]; then echo; echo "podman run failed here: \`$(tail -1 "$W/podman.out")\`"; fi
  echo
  echo "node startup alone (\`node -e 0\`) is part of gantry's figure: $(hyperfine -N -w 3 -r 20 --export-json "$W/n.json" 'node -e 0' >/dev/null 2>&1; node -e "const t=[...require('$W/n.json').results[0].times].sort((a,b)=>a-b); console.log((t[Math.floor(t.length/2)]*1000).toFixed(1))") ms median."
} | tee -a bench/RESULTS.md
