#!/usr/bin/env bash
# Stops what scripts/k8s-setup.sh started (as root), newest first: the executor, then the pods it ran (Docker
# containers labelled dev.torchstack.k8s-pod, their network namespaces ts-k8s-*), kwok, the JobSet controller,
# kube-scheduler, kube-controller-manager, kube-apiserver and etcd, each by its pid file (and only if that pid
# still runs the program setup started). With --keep-files $TORCHSTACK_K8S_DIR stays (setup uses this);
# without it the folder (default /var/lib/torchstack-k8s) is removed; the build cache stays. Idempotent.
set -euo pipefail

DIR="${TORCHSTACK_K8S_DIR:-/var/lib/torchstack-k8s}"
DAEMONS=(executor kwok jobset-controller kube-scheduler kube-controller-manager kube-apiserver etcd)

stop() {
  local pidfile="$DIR/run/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  # A pid file outliving its process (a reboot) may name someone else's process: check it is ours.
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE "torchstack-k8s|$DIR"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop executor
if command -v docker >/dev/null; then
  mapfile -t pods < <(docker ps -aq --filter label=dev.torchstack.k8s-pod 2>/dev/null || true)
  [ "${#pods[@]}" -eq 0 ] || docker rm -f "${pods[@]}" >/dev/null 2>&1 || true
fi
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^ts-k8s-' || true); do
  ip netns del "$ns" 2>/dev/null || true
done
for name in "${DAEMONS[@]:1}"; do stop "$name"; done

if [ "${1:-}" != "--keep-files" ]; then
  rm -rf "$DIR"
fi
echo "k8s-teardown: stopped" >&2
