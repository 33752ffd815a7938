#!/usr/bin/env bash
# Starts a real two-node Slurm cluster on this machine for torchstack's job tests, idempotently (as root):
#   1. installs slurm-wlm and munge when missing (scripts/apt-ensure.sh) and starts munged;
#   2. makes three network namespaces — ts-slurm-ctl (controller, bridge tsbr0 at 10.213.7.1) and
#      ts-slurm-n1 / ts-slurm-n2 (10.213.7.11 / .12) — joined by veth pairs to the bridge; every address
#      lives inside these namespaces, nothing is added to the host's own network;
#   3. writes slurm.conf (own ports 6917/6918, no accounting, proctrack/linuxproc, fake GPU GRES: two
#      plain files per node) and starts slurmctld and one slurmd per node, each through
#      `nsenter --net=… unshare --uts --mount` with its own hostname and hosts file (`ip netns exec`
#      remounts /sys and slurmd then dies);
#   4. writes oci.conf so that `srun --container=BUNDLE` (Slurm's own OCI support, torchstack's
#      `container: oci`) runs bundles with runc, as SchedMD's containers guide configures it;
#   5. writes client wrappers in $TORCHSTACK_SLURM_DIR/bin (sbatch, squeue, scontrol, scancel, srun, sinfo)
#      that run the real clients in the controller's namespace, like a login node.
# A second run with the cluster up returns in well under a second. Logs: $TORCHSTACK_SLURM_DIR/log/.
# Use it: export PATH="$TORCHSTACK_SLURM_DIR/bin:$PATH" (the job tests find it by themselves).
set -euo pipefail

DIR="${TORCHSTACK_SLURM_DIR:-/var/lib/torchstack-slurm}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NET=10.213.7
CTL=ts-slurm-ctl
NODES=(ts-slurm-n1 ts-slurm-n2)
CTL_PORT=6917
NODE_PORT=6918
CPUS=4

log() { printf 'slurm-setup: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo npm run slurm:setup): it creates network namespaces and starts daemons"

cluster_up() {
  [ -x "$DIR/bin/sinfo" ] || return 1
  local idle
  idle="$("$DIR/bin/sinfo" -h -N -o '%N %t' 2>/dev/null | grep -cE ' (idle|mix|alloc)$' || true)"
  [ "$idle" -eq "${#NODES[@]}" ]
}

if cluster_up && [ -f "$DIR/etc/oci.conf" ]; then
  log "cluster already up: ${NODES[*]} (controller $CTL); logs in $DIR/log/"
  echo "export PATH=\"$DIR/bin:\$PATH\""
  exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v runc >/dev/null; then
  bash "$HERE/apt-ensure.sh" slurm-wlm munge runc
fi

# Leftovers from an earlier run (daemons, namespaces) go first, so a start is always clean.
bash "$HERE/slurm-teardown.sh" --keep-files >/dev/null 2>&1 || true

rm -rf "$DIR/run"
mkdir -p "$DIR"/{bin,etc,log,run,gpu,jobs}
chmod 1777 "$DIR/jobs"

# munge: one daemon for the whole machine (its socket is a file, so every namespace reaches it).
if ! pgrep -u munge -x munged >/dev/null; then
  install -d -o munge -g munge -m 0755 /run/munge
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key; }
  runuser -u munge -- /usr/sbin/munged
fi

# Network: a bridge in the controller's namespace, one veth pair per node.
ip netns add "$CTL"
ip -n "$CTL" link set lo up
ip -n "$CTL" link add tsbr0 type bridge
ip -n "$CTL" addr add "$NET.1/24" dev tsbr0
ip -n "$CTL" link set tsbr0 up
i=11
for node in "${NODES[@]}"; do
  ip netns add "$node"
  ip -n "$node" link set lo up
  ip link add "ts-${node##*-}" netns "$CTL" type veth peer name eth0 netns "$node"
  ip -n "$CTL" link set "ts-${node##*-}" master tsbr0 up
  ip -n "$node" addr add "$NET.$i/24" dev eth0
  ip -n "$node" link set eth0 up
  i=$((i + 1))
done

{
  echo "127.0.0.1 localhost"
  echo "$NET.1 $CTL"
  i=11
  for node in "${NODES[@]}"; do echo "$NET.$i $node"; i=$((i + 1)); done
} >"$DIR/etc/hosts"

for g in 0 1; do : >"$DIR/gpu/nvidia$g"; done
cat >"$DIR/etc/gres.conf" <<EOF
AutoDetect=off
NodeName=ts-slurm-n[1-2] Name=gpu File=$DIR/gpu/nvidia[0-1]
EOF

# srun --container: slurmstepd runs the bundle with runc (state under /run/torchstack-runc). The job's
# bundle config keeps the node's network and hostname; %n.%u.%j.%s.%t names one container per task.
RUNC="runc --root=/run/torchstack-runc"
cat >"$DIR/etc/oci.conf" <<EOF
RunTimeQuery="$RUNC state %n.%u.%j.%s.%t"
RunTimeKill="$RUNC kill -a %n.%u.%j.%s.%t"
RunTimeDelete="$RUNC delete --force %n.%u.%j.%s.%t"
RunTimeRun="$RUNC run %n.%u.%j.%s.%t -b %b"
EOF

cat >"$DIR/etc/slurm.conf" <<EOF
ClusterName=torchstack
SlurmctldHost=$CTL($NET.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTL_PORT
SlurmdPort=$NODE_PORT
AuthType=auth/munge
StateSaveLocation=$DIR/run/ctl
SlurmdSpoolDir=$DIR/run/%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd-%n.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
SlurmdParameters=config_overrides
MpiDefault=none
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=30
MessageTimeout=10
KillWait=5
MinJobAge=600
GresTypes=gpu
NodeName=ts-slurm-n1 NodeAddr=$NET.11 CPUs=$CPUS Gres=gpu:2 State=UNKNOWN
NodeName=ts-slurm-n2 NodeAddr=$NET.12 CPUs=$CPUS Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
# slurmd reads gres.conf next to slurm.conf.
mkdir -p "$DIR/run/ctl" "$DIR/run/ts-slurm-n1" "$DIR/run/ts-slurm-n2"

# Runs a command in a namespace with its own hostname and hosts file.
in_node() {
  local name="$1"
  shift
  # $0 and $1 belong to the inner shell, so they stay in single quotes.
  # shellcheck disable=SC2016
  nsenter --net="/run/netns/$name" unshare --uts --mount --propagation private \
    sh -c 'hostname "$0"; mount --bind "$1" /etc/hosts; shift; exec "$@"' "$name" "$DIR/etc/hosts" "$@"
}

export SLURM_CONF="$DIR/etc/slurm.conf"
in_node "$CTL" /usr/sbin/slurmctld -f "$SLURM_CONF" -c
for node in "${NODES[@]}"; do
  in_node "$node" /usr/sbin/slurmd -f "$SLURM_CONF" -N "$node"
done

# Client wrappers: the real clients, run in the controller's namespace with this cluster's config.
for tool in sbatch squeue scontrol scancel srun sinfo salloc; do
  cat >"$DIR/bin/$tool" <<EOF
#!/bin/sh
# torchstack test cluster: $tool runs in the controller's network namespace ($CTL).
SLURM_CONF="$DIR/etc/slurm.conf" exec nsenter --net=/run/netns/$CTL /usr/bin/$tool "\$@"
EOF
  chmod 0755 "$DIR/bin/$tool"
done

for _ in $(seq 1 100); do
  cluster_up && break
  sleep 0.2
done
cluster_up || die "nodes did not come up; see $DIR/log/slurmctld.log and $DIR/log/slurmd-*.log"
log "cluster up: ${NODES[*]} (2 fake GPUs each), controller $CTL at $NET.1:$CTL_PORT"
log "logs: $DIR/log/slurmctld.log, $DIR/log/slurmd-ts-slurm-n1.log, $DIR/log/slurmd-ts-slurm-n2.log"
echo "export PATH=\"$DIR/bin:\$PATH\""
