#!/bin/sh
# torchstack-entrypoint (POSIX sh, run under tini), the same file in every torchstack image. In order:
# (a) a start-up banner with the stack's versions and the checks users trip over (no NVIDIA driver,
# Docker's 64 MB /dev/shm, a driver older than the wheel needs) as text, one JSON line
# (TORCHSTACK_BANNER=json) or nothing (off); (b) as root, remap the image user to TORCHSTACK_UID/GID (the
# workspace owner) without ever touching /workspace; (c) the home set-up shared with `torchstack exec`
# (home-setup.sh); (d) start the listed apps in the background (sshd as the root daemon, everything else
# as the user); (e) exec the command as the user. Started as a non-root user (the image's default USER,
# or any UID with group 0) it skips the remap and sshd and runs the command as that user. The stack's
# versions and the user come from /etc/torchstack/image.env, written at render time. No variable of the
# container's environment can point the files it reads or sources elsewhere: only a test copy of this file
# (TS_TEST_ROOT set below, by the unit tests' rewrite) reads them from a temp folder. The entrypoint's own
# steps run with a fixed PATH (the container's PATH, which a spec may set, comes back for the user's
# command and apps), so nothing in the workspace runs as root.
set -eu

TS_TEST_ROOT=''
TS_CALLER_PATH=$PATH
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SETPRIV=$(command -v setpriv || echo setpriv)
IMAGE_ENV=$TS_TEST_ROOT/etc/torchstack/image.env
HOME_SETUP=$TS_TEST_ROOT/usr/local/lib/torchstack/home-setup.sh
# shellcheck source=SCRIPTDIR/image.env.example
. "$IMAGE_ENV"
# shellcheck source=SCRIPTDIR/home-setup.sh
. "$HOME_SETUP"
TS_MIN_DRIVER=${TORCHSTACK_MIN_DRIVER:-$TS_MIN_DRIVER}
APPS_FILE=$TS_TEST_ROOT/etc/torchstack/apps
NVIDIA_VERSION_FILE=$TS_TEST_ROOT/proc/driver/nvidia/version
SHM_DIR=/dev/shm
CHECKS=""

log() { printf 'torchstack: %s\n' "$*" >&2; }

driver_version() {
  if [ -r "$NVIDIA_VERSION_FILE" ]; then
    sed -n 's/.*Kernel Module[^0-9]*\([0-9][0-9.]*\).*/\1/p' "$NVIDIA_VERSION_FILE" | head -n 1
  elif command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -n 1 || true
  fi
}

# version_lt A B: true when dotted version A is lower than B.
version_lt() {
  awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, "."); m = split(b, y, "."); k = n > m ? n : m
    for (i = 1; i <= k; i++) { p = (i <= n) ? x[i] + 0 : 0; r = (i <= m) ? y[i] + 0 : 0
      if (p < r) exit 0; if (p > r) exit 1 }
    exit 1 }'
}

shm_kb() {
  if [ -n "$TS_TEST_ROOT" ] && [ -n "${TORCHSTACK_SHM_KB:-}" ]; then echo "$TORCHSTACK_SHM_KB"; return 0; fi
  df -Pk "$SHM_DIR" 2>/dev/null | awk 'NR == 2 { print $2 }'
}

add_check() { CHECKS="$CHECKS$1|$2|$3
"; }

run_checks() {
  DRIVER=""
  if [ -n "$TS_CUDA" ]; then
    DRIVER=$(driver_version || true)
    if [ -z "$DRIVER" ]; then
      add_check warning no-driver "NVIDIA driver not detected: GPU functionality will not be available. Start the environment with GPUs (torchstack up --gpus all, or docker run --gpus all) on a host with the NVIDIA driver and NVIDIA Container Toolkit."
    elif [ -n "$TS_MIN_DRIVER" ] && version_lt "$DRIVER" "$TS_MIN_DRIVER"; then
      add_check error driver-too-old "NVIDIA driver $DRIVER is older than $TS_MIN_DRIVER, which torch $TS_TORCH built for CUDA $TS_CUDA needs: upgrade the host driver to $TS_MIN_DRIVER or newer, or pick an older CUDA variant (torchstack resolve --driver $DRIVER)."
    fi
  fi
  SHM_KB=$(shm_kb || true)
  if [ -n "$SHM_KB" ] && [ "$SHM_KB" -le 65536 ] 2>/dev/null; then
    add_check warning shm-default "/dev/shm is $((SHM_KB / 1024)) MB, Docker's 64 MB default: DataLoader workers and NCCL fail with Bus error. Restart with --shm-size 8g or --ipc host (torchstack up does this by default)."
  fi
}

json_str() { if [ -n "$1" ]; then printf '"%s"' "$1"; else printf 'null'; fi; }

banner_text() {
  line="torchstack: torch $TS_TORCH, python $TS_PYTHON"
  if [ -n "$TS_CUDA" ]; then line="$line, CUDA $TS_CUDA, cuDNN ${TS_CUDNN:-?}, driver ${DRIVER:-none}"; else line="$line, CPU build"; fi
  printf '%s\n' "$line" >&2
  printf '%s' "$CHECKS" | while IFS='|' read -r level id message; do
    [ -n "$level" ] && printf '%s: %s\n' "$(echo "$level" | tr '[:lower:]' '[:upper:]')" "$message" >&2
  done
  return 0
}

banner_json() {
  SHM_MB=null
  [ -z "${SHM_KB:-}" ] || SHM_MB=$((SHM_KB / 1024))
  items=$(printf '%s' "$CHECKS" | while IFS='|' read -r level id message; do
    [ -n "$level" ] && printf '{"level":"%s","id":"%s","message":"%s"},' "$level" "$id" "$message"
  done)
  printf '{"event":"torchstack.banner","torch":%s,"python":%s,"cuda":%s,"cudnn":%s,"driver":%s,"shmMb":%s,"checks":[%s]}\n' \
    "$(json_str "$TS_TORCH")" "$(json_str "$TS_PYTHON")" "$(json_str "$TS_CUDA")" "$(json_str "$TS_CUDNN")" \
    "$(json_str "${DRIVER:-}")" "$SHM_MB" "${items%,}" >&2
}

banner() {
  mode=${TORCHSTACK_BANNER:-text}
  [ "$mode" = off ] && return 0
  run_checks
  if [ "$mode" = json ]; then banner_json; else banner_text; fi
}

remap_user() {
  want_uid=${TORCHSTACK_UID:-}
  want_gid=${TORCHSTACK_GID:-$want_uid}
  [ -n "$want_uid" ] || return 0
  case "$want_uid$want_gid" in *[!0-9]*) log "ignoring TORCHSTACK_UID=$want_uid TORCHSTACK_GID=$want_gid: not numeric IDs"; return 0 ;; esac
  if [ "$want_uid" = 0 ] || [ "$want_gid" = 0 ]; then
    log "workspace owner is root: running as $TS_USER ($(id -u "$TS_USER"):$(id -g "$TS_USER")) instead (set TORCHSTACK_RUN_AS_ROOT=1 to run as root)"
    return 0
  fi
  cur_uid=$(id -u "$TS_USER")
  cur_gid=$(id -g "$TS_USER")
  if [ "$want_gid" != "$cur_gid" ]; then groupmod -o -g "$want_gid" "$(id -gn "$TS_USER")"; fi
  if [ "$want_uid" != "$cur_uid" ]; then usermod -o -u "$want_uid" "$TS_USER" >/dev/null; fi
  home=$(ts_user_home)
  if [ -d "$home" ]; then
    find "$home" -xdev \( ! -user "$want_uid" -o ! -group "$want_gid" \) -exec chown -h "$want_uid:$want_gid" {} + 2>/dev/null || true
  fi
  [ "$want_uid:$want_gid" = "$cur_uid:$cur_gid" ] || log "user $TS_USER remapped to $want_uid:$want_gid (the workspace owner)"
}

# as_user CMD...: runs CMD as the environment's user (root stays root only when asked), with the
# container's own PATH.
as_user() {
  if ts_is_root && [ "$RUN_UID" != 0 ]; then
    exec env PATH="$TS_CALLER_PATH" "$SETPRIV" --reuid="$RUN_UID" --regid="$RUN_GID" --init-groups -- "$@"
  fi
  PATH=$TS_CALLER_PATH
  exec "$@"
}

app_names() {
  if [ -n "${TORCHSTACK_APPS+set}" ]; then
    printf '%s\n' "$TORCHSTACK_APPS" | tr ',' '\n' | awk 'NF && $1 != "none" { print $1 }'
  elif [ -r "$APPS_FILE" ]; then
    awk '!/^#/ && NF { print $1 }' "$APPS_FILE"
  fi
}

# app_field NAME N: field N of the app's line in the apps file.
app_field() { awk -v n="$1" -v f="$2" '!/^#/ && $1 == n { print $f }' "$APPS_FILE" 2>/dev/null || true; }

start_sshd() {
  port=${SSH_PORT:-$(app_field ssh 2)}
  if ! ts_is_root; then log "not starting sshd: it needs the container to start as root"; return 0; fi
  mkdir -p /run/sshd && chmod 0755 /run/sshd
  ssh-keygen -A >/dev/null
  sshdir="$HOME/.ssh"
  mkdir -p "$sshdir"
  if [ -n "${SSH_AUTHORIZED_KEYS:-}" ]; then printf '%s\n' "$SSH_AUTHORIZED_KEYS" >"$sshdir/authorized_keys"; fi
  [ -f "$sshdir/authorized_keys" ] || log "sshd has no authorized key: set SSH_AUTHORIZED_KEYS (torchstack up does)"
  chown -R "$RUN_UID:$RUN_GID" "$sshdir"
  chmod 0700 "$sshdir"
  chmod 0600 "$sshdir/authorized_keys" 2>/dev/null || true
  # A locked password ('!') makes sshd refuse even key logins when PAM is off; '*' means no password, not locked.
  if getent shadow "$TS_USER" | cut -d: -f2 | grep -q '^!'; then usermod -p '*' "$TS_USER"; fi
  printf 'SetEnv PATH=%s\n' "$TS_CALLER_PATH" >"$TS_SSH_ENV_CONF"
  /usr/sbin/sshd -D -e -p "$port" -o "ListenAddress=${TORCHSTACK_LISTEN:-0.0.0.0}" &
}

start_jupyter() {
  if [ -z "${JUPYTER_TOKEN:-}" ]; then
    log "not starting Jupyter: JUPYTER_TOKEN is empty and torchstack never runs Jupyter without auth (torchstack up generates a token)"
    return 0
  fi
  port=${JUPYTER_PORT:-$(app_field jupyter 2)}
  ui=${TORCHSTACK_JUPYTER_UI:-$(app_field jupyter 3)}
  ip=${JUPYTER_IP:-${TORCHSTACK_LISTEN:-0.0.0.0}}
  root_dir=/workspace; [ -d "$root_dir" ] || root_dir="$HOME"
  # python3 -m: Debian's python3-jupyter-server has no jupyter command; the module always runs.
  case "$ui" in
    lab) set -- jupyterlab --ServerApp ;;
    notebook) set -- notebook --NotebookApp ;;
    *) set -- jupyter_server --ServerApp ;;
  esac
  module="$1"
  app="$2"
  ( as_user python3 -m "$module" --no-browser "$app.ip=$ip" "$app.port=$port" "$app.port_retries=0" "$app.root_dir=$root_dir" ) &
}

start_tensorboard() {
  port=${TENSORBOARD_PORT:-$(app_field tensorboard 2)}
  logdir=${TENSORBOARD_LOGDIR:-/workspace/runs}
  # Made by the user, not root: the training code writes its event files there. TensorBoard has no login:
  # every local user reaches it on 127.0.0.1, and everyone on the network with --expose.
  ( as_user mkdir -p "$logdir" ) 2>/dev/null || true
  ( as_user tensorboard --logdir "$logdir" --host "${TORCHSTACK_LISTEN:-0.0.0.0}" --port "$port" ) &
}

start_vscode() {
  port=${VSCODE_PORT:-$(app_field vscode 2)}
  if [ -z "${JUPYTER_TOKEN:-${VSCODE_PASSWORD:-}}" ]; then log "not starting code-server: no VSCODE_PASSWORD or JUPYTER_TOKEN"; return 0; fi
  export PASSWORD="${VSCODE_PASSWORD:-$JUPYTER_TOKEN}"
  ( as_user code-server --auth password --bind-addr "${TORCHSTACK_LISTEN:-0.0.0.0}:$port" /workspace ) &
}

start_apps() {
  for app in $(app_names); do
    case "$app" in
      ssh) start_sshd ;;
      jupyter) start_jupyter ;;
      tensorboard) start_tensorboard ;;
      vscode) start_vscode ;;
      *) log "unknown app '$app' ignored" ;;
    esac
  done
}

main() {
  banner
  [ "${TORCHSTACK_ENTRYPOINT_CHECKS_ONLY:-0}" = 1 ] && exit 0
  if ts_is_root && [ "${TORCHSTACK_RUN_AS_ROOT:-0}" != 1 ]; then remap_user; fi
  setup_home
  start_apps
  [ "$#" -gt 0 ] || set -- sleep infinity
  cd /workspace 2>/dev/null || cd "$HOME"
  as_user "$@"
}

main "$@"
