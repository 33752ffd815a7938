#!/usr/bin/env bash
# Stops the test cluster that scripts/slurm-setup.sh started (as root): its slurmctld and slurmd by their
# pid files, any job step processes still in the node namespaces, and the three network namespaces.
# munged keeps running (it is the machine's). With --keep-files the state folder stays (setup uses this);
# without it $TORCHSTACK_SLURM_DIR (default /var/lib/torchstack-slurm) is removed too. Idempotent.
set -euo pipefail

DIR="${TORCHSTACK_SLURM_DIR:-/var/lib/torchstack-slurm}"
NAMESPACES=(ts-slurm-n1 ts-slurm-n2 ts-slurm-ctl)

for pidfile in "$DIR"/run/slurmd-*.pid "$DIR"/run/slurmctld.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
done

for ns in "${NAMESPACES[@]}"; do
  [ -e "/run/netns/$ns" ] || continue
  # Processes left in a node's namespace (job steps, torchrun workers) end with it.
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  ip netns del "$ns"
done

if [ "${1:-}" != "--keep-files" ]; then
  rm -rf "$DIR"
fi
echo "slurm-teardown: stopped" >&2
