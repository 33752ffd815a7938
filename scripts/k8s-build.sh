#!/usr/bin/env bash
# Builds the local Kubernetes control plane's binaries once per machine, from the versions pinned in
# scripts/k8s-plane/go.mod and go.sum: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# the JobSet controller and kwok. The binaries go to $TORCHSTACK_K8S_CACHE/<key>/bin (default
# /var/cache/torchstack-k8s), where <key> hashes go.mod, go.sum, the wrapper's own sources, BUILD_REVISION and the Go version:
# while those match, a second run builds nothing. One binary at a time, -trimpath -ldflags='-s -w', so that
# a small shared machine stays usable; prints how long the build took.
# It also copies the CRDs the control plane serves next to them ($TORCHSTACK_K8S_CACHE/<key>/crds): JobSet and
# kwok's from the pinned modules, TrainJob and PyTorchJob from the Kubeflow releases named in CRD_MODULES below
# (module zips from the Go module proxy, checked against the checksum database).
# Prints the cache folder on stdout (the last line), everything else on stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOD="$HERE/k8s-plane"
CACHE="${TORCHSTACK_K8S_CACHE:-/var/cache/torchstack-k8s}"
# The official toolchain first: a distribution's older go on PATH cannot build these modules (go 1.26).
if [ -z "${GO:-}" ]; then
  if [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; else GO="$(command -v go || echo go)"; fi
fi

log() { printf 'k8s-build: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v "$GO" >/dev/null || die "no Go toolchain ($GO): install Go 1.26 from go.dev/dl into /usr/local/go (or set GO=/path/to/go) and run again"

# Bump when the build flags or the list of binaries change: it is part of the cache key.
BUILD_REVISION=2
key="$(cd "$MOD" && { cat go.mod go.sum cmd/etcd/main.go; echo "$BUILD_REVISION"; } | sha256sum | cut -c1-16)-$("$GO" env GOVERSION)"
out="$CACHE/$key/bin"
crds="$CACHE/$key/crds"
# module@version file-inside-the-module (the Kubeflow controllers are not built: see docs/kubernetes-cluster.md).
CRD_MODULES=(
  "github.com/kubeflow/trainer/v2@v2.0.0 manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml"
  "github.com/kubeflow/trainer/v2@v2.0.0 manifests/base/crds/trainer.kubeflow.org_clustertrainingruntimes.yaml"
  "github.com/kubeflow/training-operator@v1.8.1 manifests/base/crds/kubeflow.org_pytorchjobs.yaml"
)
# name=package, in build order (smallest first, so a failure shows early).
TARGETS=(
  "etcd=./cmd/etcd"
  "kwok=sigs.k8s.io/kwok/cmd/kwok"
  "jobset-controller=sigs.k8s.io/jobset"
  "kubectl=k8s.io/kubernetes/cmd/kubectl"
  "kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler"
  "kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager"
  "kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver"
)

missing=()
for t in "${TARGETS[@]}"; do [ -x "$out/${t%%=*}" ] || missing+=("$t"); done

fetch_crds() {
  [ -s "$crds/.complete" ] && return 0
  rm -rf "$crds" && mkdir -p "$crds"
  local dir entry
  dir="$(cd "$MOD" && "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/jobset)"
  cp "$dir/config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml" "$crds/"
  dir="$(cd "$MOD" && "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  cp "$dir/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml" "$crds/"
  # kwok's own node stages (Ready, then heartbeats with a lease). No pod stage: pods belong to the executor.
  {
    cat "$dir/kustomize/stage/node/fast/node-initialize.yaml"
    echo "---"
    cat "$dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml"
  } >"$CACHE/$key/kwok-node-stages.yaml"
  for entry in "${CRD_MODULES[@]}"; do
    dir="$(cd / && "$GO" mod download -json "${entry%% *}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    if [ -z "$dir" ] || [ ! -f "$dir/${entry#* }" ]; then die "could not fetch ${entry%% *} (for ${entry#* })"; fi
    cp "$dir/${entry#* }" "$crds/"
  done
  chmod 0644 "$crds"/*.yaml
  echo "${CRD_MODULES[*]}" >"$crds/.complete"
}

if [ "${#missing[@]}" -eq 0 ]; then
  fetch_crds
  log "binaries up to date in $out (build took 0 s)"
  echo "$CACHE/$key"
  exit 0
fi

mkdir -p "$out"
start=$SECONDS
k8s_version="$(cd "$MOD" && "$GO" list -m -f '{{.Version}}' k8s.io/kubernetes)"
minor="${k8s_version#v1.}"
minor="${minor%%.*}"
K8S_VERSION_FLAGS=""
for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_VERSION_FLAGS="$K8S_VERSION_FLAGS -X $v.gitVersion=$k8s_version -X $v.gitMajor=1 -X $v.gitMinor=$minor"
  K8S_VERSION_FLAGS="$K8S_VERSION_FLAGS -X $v.gitTreeState=clean"
done
for t in "${missing[@]}"; do
  name="${t%%=*}"
  pkg="${t#*=}"
  t0=$SECONDS
  log "building $name ($pkg)"
  flags="-s -w"
  # Kubernetes' binaries report their release (`kubectl version`, the server's /version) from these variables.
  [[ "$pkg" == k8s.io/kubernetes/* ]] && flags="$flags $K8S_VERSION_FLAGS"
  (cd "$MOD" && CGO_ENABLED=0 nice -n 10 "$GO" build -mod=readonly -trimpath -ldflags="$flags" -p 2 -o "$out/.$name.tmp" "$pkg") ||
    die "building $name failed (see the compiler output above); the pinned versions are in $MOD/go.mod"
  mv "$out/.$name.tmp" "$out/$name"
  log "built $name in $((SECONDS - t0)) s"
done
fetch_crds
log "build took $((SECONDS - start)) s; binaries in $out"
# Older keys are other versions' binaries: drop them so the cache holds one control plane.
for d in "$CACHE"/*/; do [ "${d%/}" = "$CACHE/$key" ] || rm -rf "$d"; done
echo "$CACHE/$key"
