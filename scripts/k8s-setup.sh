#!/usr/bin/env bash
# Starts a real Kubernetes control plane on this machine for torchstack's job tests, idempotently (as root),
# everything on loopback only:
#   1. builds the binaries once per machine (scripts/k8s-build.sh: versions pinned in scripts/k8s-plane/go.mod,
#      cached in /var/cache/torchstack-k8s while they match);
#   2. makes a CA and certificates (openssl): the API server's serving cert, an admin client cert
#      (system:masters) and a serving cert for kwok's kubelet endpoint and the JobSet webhooks;
#   3. starts etcd, kube-apiserver, kube-controller-manager (the real Job controller), kube-scheduler, the JobSet
#      controller (its webhooks registered by URL) and kwok, which keeps two nodes (ts-k8s-n1, ts-k8s-n2: CPU,
#      memory, nvidia.com/gpu) Ready and serves `kubectl logs` from the files the executor names — kwok has no
#      pod stage here, so it never fakes a pod's progress;
#   4. applies the JobSet, TrainJob (with ClusterTrainingRuntime) and PyTorchJob CRDs;
#   5. starts the executor (scripts/k8s-executor/, in the kubelet's seat): it runs the pods bound to those nodes
#      with the local Docker engine and writes their status back through the API.
# Writes $TORCHSTACK_K8S_DIR/kubeconfig and $TORCHSTACK_K8S_DIR/bin/kubectl (default /var/lib/torchstack-k8s) and
# prints how long the build and the start took. A second run with everything up returns at once.
# Logs: $TORCHSTACK_K8S_DIR/log/. Stop it: npm run k8s:teardown.
# Use it: export KUBECONFIG=$TORCHSTACK_K8S_DIR/kubeconfig PATH=$TORCHSTACK_K8S_DIR/bin:$PATH
set -euo pipefail

DIR="${TORCHSTACK_K8S_DIR:-/var/lib/torchstack-k8s}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
# Ports, loopback only (chosen away from the usual ones so a real cluster's components do not collide).
ETCD_PORT=23790
ETCD_PEER_PORT=23800
API_PORT=16443
KCM_PORT=10357
SCHED_PORT=10359
KWOK_PORT=10347
JOBSET_WEBHOOK_PORT=19443
JOBSET_PROBE_PORT=18081
NODES=(ts-k8s-n1 ts-k8s-n2)

log() { printf 'k8s-setup: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (sudo npm run k8s:setup): the executor makes network namespaces and runs containers"
command -v openssl >/dev/null || die "openssl is missing: apt-get install openssl"
command -v docker >/dev/null || die "docker is missing: the executor runs pods with the local engine (npm run engine:setup)"

API="https://127.0.0.1:$API_PORT"
curl_api() { curl -fsS --max-time 5 --cacert "$DIR/pki/ca.crt" --cert "$DIR/pki/admin.crt" --key "$DIR/pki/admin.key" "$API$1"; }

alive() { [ -s "$DIR/run/$1.pid" ] && kill -0 "$(cat "$DIR/run/$1.pid")" 2>/dev/null; }

plane_up() {
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler jobset-controller kwok executor; do
    alive "$name" || return 1
  done
  [ "$(curl_api /readyz 2>/dev/null)" = "ok" ] || return 1
  [ "$("$DIR/bin/kubectl" --kubeconfig "$DIR/kubeconfig" get nodes --no-headers 2>/dev/null | grep -c ' Ready ')" -eq "${#NODES[@]}" ]
}

if plane_up; then
  log "control plane already up (API $API, nodes ${NODES[*]}); logs in $DIR/log/"
  echo "export KUBECONFIG=$DIR/kubeconfig PATH=\"$DIR/bin:\$PATH\""
  exit 0
fi

build_start=$SECONDS
CACHED="$(bash "$HERE/k8s-build.sh" | tail -n 1)"
BIN="$CACHED/bin"
CRDS="$CACHED/crds"
log "build took $((SECONDS - build_start)) s (binaries in $BIN)"

start=$SECONDS
# Leftovers of an earlier run go first, so a start is always clean (the state is rebuilt from nothing).
bash "$HERE/k8s-teardown.sh" --keep-files >/dev/null 2>&1 || true
rm -rf "$DIR/etcd" "$DIR/run" "$DIR/pods"
mkdir -p "$DIR"/{bin,etc,log,run,pki,pods}
install -m 0755 "$BIN/kubectl" "$DIR/bin/kubectl"
KUBECTL=("$DIR/bin/kubectl" --kubeconfig "$DIR/kubeconfig")

# --- certificates (made once; kept across restarts so kubeconfigs stay valid) -----------------------------
pki() {
  local p="$DIR/pki"
  [ -s "$p/ca.crt" ] && [ -s "$p/loopback.crt" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=torchstack-k8s-ca" \
    -keyout "$p/ca.key" -out "$p/ca.crt" 2>/dev/null
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
  # name subject extensions
  sign() {
    openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$p/$1.key" -out "$p/$1.csr" 2>/dev/null
    printf '%s\n' "$3" >"$p/$1.ext"
    openssl x509 -req -in "$p/$1.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -days 3650 \
      -extfile "$p/$1.ext" -out "$p/$1.crt" 2>/dev/null
    rm -f "$p/$1.csr" "$p/$1.ext"
  }
  local san="subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  sign apiserver "/CN=kube-apiserver" "$san
extendedKeyUsage=serverAuth"
  sign admin "/O=system:masters/CN=torchstack-admin" "extendedKeyUsage=clientAuth"
  sign loopback "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
  chmod 0600 "$p"/*.key
}
pki

cat >"$DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: torchstack
  cluster:
    server: $API
    certificate-authority: $DIR/pki/ca.crt
users:
- name: torchstack-admin
  user:
    client-certificate: $DIR/pki/admin.crt
    client-key: $DIR/pki/admin.key
contexts:
- name: torchstack
  context: {cluster: torchstack, user: torchstack-admin}
current-context: torchstack
EOF
chmod 0600 "$DIR/kubeconfig"

# --- daemons -----------------------------------------------------------------------------------------------
# daemon NAME PROGRAM ARGS...: started in its own session, its pid in run/NAME.pid, output in log/NAME.log.
daemon() {
  local name="$1"
  shift
  setsid "$@" >"$DIR/log/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/run/$name.pid"
}

# wait_for WHAT SECONDS COMMAND...: polls until COMMAND succeeds; on timeout, shows the log's tail.
wait_for() {
  local what="$1" limit="$2" i
  shift 2
  for ((i = 0; i < limit * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$what" || break
    sleep 0.25
  done
  tail -n 20 "$DIR/log/$what.log" >&2 || true
  die "$what did not come up (log: $DIR/log/$what.log)"
}

daemon etcd "$BIN/etcd" --name torchstack --data-dir "$DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "torchstack=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes 2147483648
wait_for etcd 60 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

daemon kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
  --endpoint-reconciler-type none --service-cluster-ip-range 10.96.0.0/16 \
  --tls-cert-file "$DIR/pki/apiserver.crt" --tls-private-key-file "$DIR/pki/apiserver.key" \
  --client-ca-file "$DIR/pki/ca.crt" --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$DIR/pki/sa.pub" \
  --service-account-signing-key-file "$DIR/pki/sa.key" \
  --kubelet-client-certificate "$DIR/pki/admin.crt" --kubelet-client-key "$DIR/pki/admin.key" \
  --kubelet-preferred-address-types InternalIP --profiling=false
api_ready() { [ "$(curl_api /readyz)" = "ok" ]; }
wait_for kube-apiserver 180 api_ready

daemon kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$DIR/kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false \
  --service-account-private-key-file "$DIR/pki/sa.key" --root-ca-file "$DIR/pki/ca.crt" \
  --use-service-account-credentials=false --profiling=false
daemon kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$DIR/kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --leader-elect=false --profiling=false

# CRDs: server-side apply (the JobSet CRD is too large for the last-applied annotation of a client-side apply).
"${KUBECTL[@]}" apply --server-side --force-conflicts -f "$CRDS" >/dev/null
"${KUBECTL[@]}" wait --for condition=Established --timeout 60s crd --all >/dev/null

# JobSet controller: its webhooks on loopback with the loopback cert, registered with the API server by URL.
mkdir -p "$DIR/etc/jobset-certs"
cp "$DIR/pki/loopback.crt" "$DIR/etc/jobset-certs/tls.crt"
cp "$DIR/pki/loopback.key" "$DIR/etc/jobset-certs/tls.key"
cat >"$DIR/etc/jobset.yaml" <<EOF
apiVersion: config.jobset.x-k8s.io/v1alpha1
kind: Configuration
leaderElection: {leaderElect: false}
internalCertManagement: {enable: false}
webhook: {port: $JOBSET_WEBHOOK_PORT, host: 127.0.0.1, certDir: $DIR/etc/jobset-certs}
metrics: {bindAddress: "0"}
health: {healthProbeBindAddress: "127.0.0.1:$JOBSET_PROBE_PORT"}
EOF
KUBECONFIG="$DIR/kubeconfig" daemon jobset-controller "$BIN/jobset-controller" --config "$DIR/etc/jobset.yaml" \
  --kubeconfig "$DIR/kubeconfig"
wait_for jobset-controller 120 curl -fsS "http://127.0.0.1:$JOBSET_PROBE_PORT/readyz"
CA_BUNDLE="$(base64 -w0 <"$DIR/pki/ca.crt")"
hook() { # name path operations objectSelector-key
  local selector=""
  [ -n "$4" ] && selector="
  objectSelector: {matchExpressions: [{key: $4, operator: Exists}]}"
  cat <<EOF
- name: $1
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  clientConfig: {url: "https://127.0.0.1:$JOBSET_WEBHOOK_PORT$2", caBundle: $CA_BUNDLE}
  rules: [{apiGroups: ["$5"], apiVersions: [$6], operations: [$3], resources: [$7]}]$selector
EOF
}
{
  echo "apiVersion: admissionregistration.k8s.io/v1"
  echo "kind: MutatingWebhookConfiguration"
  echo "metadata: {name: torchstack-jobset-mutating}"
  echo "webhooks:"
  hook mjobset.kb.io /mutate-jobset-x-k8s-io-v1alpha2-jobset CREATE "" jobset.x-k8s.io v1alpha2 jobsets
  hook mpod.kb.io /mutate--v1-pod CREATE jobset.sigs.k8s.io/jobset-name "" v1 pods
  echo "---"
  echo "apiVersion: admissionregistration.k8s.io/v1"
  echo "kind: ValidatingWebhookConfiguration"
  echo "metadata: {name: torchstack-jobset-validating}"
  echo "webhooks:"
  hook vjobset.kb.io /validate-jobset-x-k8s-io-v1alpha2-jobset "CREATE, UPDATE" "" jobset.x-k8s.io v1alpha2 jobsets
  hook vpod.kb.io /validate--v1-pod CREATE jobset.sigs.k8s.io/jobset-name "" v1 pods
} >"$DIR/etc/jobset-webhooks.yaml"
"${KUBECTL[@]}" apply -f "$DIR/etc/jobset-webhooks.yaml" >/dev/null

# kwok: node stages only, Logs objects from the executor, the kubelet endpoint on loopback.
# kwok's heartbeat-with-lease stage (v0.8.0) rewrites the node's addresses to an empty list on its first beat,
# after which the API server cannot reach the kubelet endpoint (`kubectl logs`: "no preferred addresses found"),
# so the heartbeat here renews the conditions and restates the addresses; kwok renews the leases by itself.
{
  sed '/^---$/,$d' "$CACHED/kwok-node-stages.yaml"
  cat <<'EOF'
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: {name: node-heartbeat-keep-addresses}
spec:
  resourceRef: {apiGroup: v1, kind: Node}
  selector:
    matchExpressions:
    - {key: '.status.phase', operator: In, values: [Running]}
    - {key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: In, values: ['True']}
  delay: {durationMilliseconds: 20000, jitterDurationMilliseconds: 25000}
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type | Quote }}
      {{ end }}
      addresses:
      - {address: "127.0.0.1", type: InternalIP}
      - {address: {{ .metadata.name | Quote }}, type: Hostname}
EOF
} >"$DIR/etc/kwok.yaml"
daemon kwok "$BIN/kwok" --kubeconfig "$DIR/kubeconfig" --config "$DIR/etc/kwok.yaml" \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --enable-crds Logs \
  --node-ip 127.0.0.1 --node-port "$KWOK_PORT" --server-address "127.0.0.1:$KWOK_PORT" \
  --tls-cert-file "$DIR/pki/loopback.crt" --tls-private-key-file "$DIR/pki/loopback.key"
for node in "${NODES[@]}"; do
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $node
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: $node, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  capacity: {cpu: "16", memory: 64Gi, pods: "110", nvidia.com/gpu: "8"}
  allocatable: {cpu: "16", memory: 64Gi, pods: "110", nvidia.com/gpu: "8"}
---
EOF
done >"$DIR/etc/nodes.yaml"
"${KUBECTL[@]}" apply -f "$DIR/etc/nodes.yaml" >/dev/null
"${KUBECTL[@]}" wait --for condition=Ready --timeout 60s node "${NODES[@]}" >/dev/null ||
  die "the kwok nodes did not become Ready (log: $DIR/log/kwok.log)"

# The executor: bundled from scripts/k8s-executor/ with the project's esbuild, run by this machine's node.
(cd "$ROOT" && node_modules/.bin/esbuild scripts/k8s-executor/main.ts --bundle --platform=node --format=esm \
  --outfile="$DIR/executor.mjs" --log-level=warning \
  "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);") ||
  die "bundling the executor failed (npm ci first)"
daemon executor node "$DIR/executor.mjs" --kubeconfig "$DIR/kubeconfig" --state "$DIR/pods" --nodes "$(
  IFS=,
  echo "${NODES[*]}"
)"
wait_for executor 30 test -s "$DIR/pods/.ready"

# The default service account exists before any pod is admitted.
for _ in $(seq 1 120); do "${KUBECTL[@]}" get serviceaccount default >/dev/null 2>&1 && break; sleep 0.25; done
log "start took $((SECONDS - start)) s: API $API, nodes ${NODES[*]}; logs in $DIR/log/"
echo "export KUBECONFIG=$DIR/kubeconfig PATH=\"$DIR/bin:\$PATH\""
