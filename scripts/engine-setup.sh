#!/usr/bin/env bash
# Prepares a Debian 12 host (as root) for torchstack's engine tier, idempotently:
#   1. installs the container engine (Debian's docker.io, whose /usr/bin/docker 20.10 speaks BuildKit with
#      DOCKER_BUILDKIT=1), debootstrap, and what the end-to-end tests need (openssh-client, curl, and
#      docker-registry: Distribution v2, which test/e2e/push.test.ts serves on loopback itself);
#   2. starts `dockerd --bridge=none --iptables=false` in the background (logs in $TORCHSTACK_DOCKERD_LOG)
#      when `docker info` does not answer, and waits until it does; when the host has no
#      /etc/docker/daemon.json of its own, with torchstack's (/etc/torchstack/dockerd.json): BuildKit's cache
#      garbage-collected down to 20 GB (each CUDA image build leaves about 7 GB of layer cache; a day of test
#      runs filled 57 GB here before);
#   3. builds the local base images torchstack-local/debian:12 (bookworm) and torchstack-local/debian:13
#      (trixie) with `debootstrap --variant=minbase` from the Debian mirror this machine already uses (no
#      Docker Hub needed), each skipped when it exists; TORCHSTACK_DEBIAN_RELEASES="12" limits the set.
# Each step is skipped when already done, so a warm run takes a few seconds.
set -euo pipefail

BASE_REPO="${TORCHSTACK_BASE_REPO:-torchstack-local/debian}"
read -r -a RELEASES <<<"${TORCHSTACK_DEBIAN_RELEASES:-12 13}"
DOCKERD_LOG="${TORCHSTACK_DOCKERD_LOG:-/var/log/torchstack-dockerd.log}"
PACKAGES=(docker.io debootstrap openssh-client curl ca-certificates docker-registry)
export DEBIAN_FRONTEND=noninteractive

log() { printf 'engine-setup: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo npm run engine:setup): it installs packages and starts dockerd"

# Docker client that answers for the daemon: prefer Debian's /usr/bin/docker (BuildKit via DOCKER_BUILDKIT=1).
docker_cli() {
  if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi
}

install_packages() {
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages present: ${PACKAGES[*]}"
    return
  fi
  log "installing: ${missing[*]} (waits up to 15 minutes for another apt/dpkg run to finish)"
  # DPkg::Lock::Timeout makes apt wait for the dpkg lock instead of failing when another install runs.
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_dockerd() {
  if docker_cli info >/dev/null 2>&1; then
    log "docker daemon answers"
    return
  fi
  local config=()
  if [ ! -e /etc/docker/daemon.json ]; then
    mkdir -p /etc/torchstack
    printf '%s\n' '{"builder": {"gc": {"enabled": true, "defaultKeepStorage": "20GB"}}}' >/etc/torchstack/dockerd.json
    config=(--config-file /etc/torchstack/dockerd.json)
  fi
  log "starting dockerd ${config[*]} --bridge=none --iptables=false (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  nohup dockerd "${config[@]}" --bridge=none --iptables=false >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local i
  for i in $(seq 1 60); do
    if docker_cli info >/dev/null 2>&1; then
      log "docker daemon answers after ${i}s"
      return
    fi
    sleep 1
  done
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer within 60s (see $DOCKERD_LOG)"
}

# First Debian mirror URI from the deb822 sources or the one-line sources list.
debian_mirror() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri="$(grep -h -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | grep -i debian | head -n1 || true)"
  fi
  if [ -z "$uri" ]; then
    uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; break}}' \
      | grep -v -- '-security' | grep -i debian | head -n1 || true)"
  fi
  printf '%s' "${uri:-http://deb.debian.org/debian}"
}

# Debian codename for a release number.
codename_of() {
  case "$1" in
    12) printf 'bookworm' ;;
    13) printf 'trixie' ;;
    *) die "unknown Debian release '$1' in TORCHSTACK_DEBIAN_RELEASES (known: 12, 13)" ;;
  esac
}

# Builds $BASE_REPO:RELEASE by debootstrap unless that image exists.
build_base_image() {
  local release="$1" image codename mirror dir security
  image="$BASE_REPO:$release"
  codename="$(codename_of "$release")"
  if docker_cli image inspect "$image" >/dev/null 2>&1; then
    log "base image $image present"
    return
  fi
  mirror="$(debian_mirror)"
  dir="$(mktemp -d /var/tmp/torchstack-rootfs.XXXXXX)"
  if [ -z "$dir" ] || [ "$dir" = "/" ]; then die "mktemp gave no folder"; fi
  ROOTFS_DIR="$dir"
  trap 'rm -rf "${ROOTFS_DIR:-/nonexistent}"' EXIT
  log "debootstrap --variant=minbase $codename from $mirror (a minute or two)"
  debootstrap --variant=minbase "$codename" "$dir" "$mirror" >"$dir.log" 2>&1 || {
    tail -n 20 "$dir.log" >&2
    die "debootstrap $codename failed (full log: $dir.log)"
  }
  rm -f "$dir.log"
  # apt inside the image uses the same mirror (plus security updates) as this host.
  security="${mirror%/debian}/debian-security"
  cat >"$dir/etc/apt/sources.list" <<EOF
deb $mirror $codename main
deb $mirror $codename-updates main
deb $security $codename-security main
EOF
  # Keep images small: no docs/man pages, no recommends.
  cat >"$dir/etc/apt/apt.conf.d/90torchstack" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -c . | docker_cli import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$image" >/dev/null
  rm -rf "$dir"
  ROOTFS_DIR=""
  log "imported $image"
}

install_packages
start_dockerd
for release in "${RELEASES[@]}"; do build_base_image "$release"; done
log "ready: $(docker_cli version --format 'client {{.Client.Version}}, server {{.Server.Version}}')"
