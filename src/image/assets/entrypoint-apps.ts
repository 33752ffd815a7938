/**
 * The entrypoint's app section and main (POSIX sh). Apps come from
 * /etc/torchstack/apps (`name port [ui]` lines written at render time), or from
 * TORCHSTACK_APPS (comma list, `none` for none); ports from JUPYTER_PORT,
 * SSH_PORT, TENSORBOARD_PORT, VSCODE_PORT when set. Each starts in the
 * background: sshd as the root daemon (key-only, host keys generated on first
 * start, authorized_keys from SSH_AUTHORIZED_KEYS), Jupyter, TensorBoard and
 * code-server as the user. Jupyter refuses to start without JUPYTER_TOKEN: auth
 * is never disabled. Jupyter reads the token from its environment, so it never
 * shows in `ps`. Apps listen on TORCHSTACK_LISTEN (default 0.0.0.0 inside the
 * container, 127.0.0.1 under --network host); host-side publishing on 127.0.0.1
 * does the protecting.
 */
import { sh } from "./shell-template.js";

export const entrypointAppsSection = sh`
app_names() {
  if [ -n "@{TORCHSTACK_APPS+set}" ]; then
    printf '%s\n' "$TORCHSTACK_APPS" | tr ',' '\n' | awk 'NF && $1 != "none" { print $1 }'
  elif [ -r "$APPS_FILE" ]; then
    awk '!/^#/ && NF { print $1 }' "$APPS_FILE"
  fi
}

# app_field NAME N: field N of the app's line in the apps file.
app_field() { awk -v n="$1" -v f="$2" '!/^#/ && $1 == n { print $f }' "$APPS_FILE" 2>/dev/null || true; }

start_sshd() {
  port=@{SSH_PORT:-$(app_field ssh 2)}
  if ! is_root; then log "not starting sshd: it needs the container to start as root"; return 0; fi
  mkdir -p /run/sshd && chmod 0755 /run/sshd
  ssh-keygen -A >/dev/null
  sshdir="$HOME/.ssh"
  mkdir -p "$sshdir"
  if [ -n "@{SSH_AUTHORIZED_KEYS:-}" ]; then printf '%s\n' "$SSH_AUTHORIZED_KEYS" >"$sshdir/authorized_keys"; fi
  [ -f "$sshdir/authorized_keys" ] || log "sshd has no authorized key: set SSH_AUTHORIZED_KEYS (torchstack up does)"
  chown -R "$RUN_UID:$RUN_GID" "$sshdir"
  chmod 0700 "$sshdir"
  chmod 0600 "$sshdir/authorized_keys" 2>/dev/null || true
  # A locked password ('!') makes sshd refuse even key logins when PAM is off; '*' means no password, not locked.
  if getent shadow "$TS_USER" | cut -d: -f2 | grep -q '^!'; then usermod -p '*' "$TS_USER"; fi
  printf 'SetEnv PATH=%s\n' "$PATH" >"$TS_SSH_ENV_CONF"
  /usr/sbin/sshd -D -e -p "$port" -o "ListenAddress=@{TORCHSTACK_LISTEN:-0.0.0.0}" &
}

start_jupyter() {
  if [ -z "@{JUPYTER_TOKEN:-}" ]; then
    log "not starting Jupyter: JUPYTER_TOKEN is empty and torchstack never runs Jupyter without auth (torchstack up generates a token)"
    return 0
  fi
  port=@{JUPYTER_PORT:-$(app_field jupyter 2)}
  ui=@{TORCHSTACK_JUPYTER_UI:-$(app_field jupyter 3)}
  ip=@{JUPYTER_IP:-@{TORCHSTACK_LISTEN:-0.0.0.0}}
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
  port=@{TENSORBOARD_PORT:-$(app_field tensorboard 2)}
  logdir=@{TENSORBOARD_LOGDIR:-/workspace/runs}
  mkdir -p "$logdir" 2>/dev/null || true
  ( as_user tensorboard --logdir "$logdir" --host "@{TORCHSTACK_LISTEN:-0.0.0.0}" --port "$port" ) &
}

start_vscode() {
  port=@{VSCODE_PORT:-$(app_field vscode 2)}
  if [ -z "@{JUPYTER_TOKEN:-@{VSCODE_PASSWORD:-}}" ]; then log "not starting code-server: no VSCODE_PASSWORD or JUPYTER_TOKEN"; return 0; fi
  export PASSWORD=@{VSCODE_PASSWORD:-$JUPYTER_TOKEN}
  ( as_user code-server --auth password --bind-addr "@{TORCHSTACK_LISTEN:-0.0.0.0}:$port" /workspace ) &
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
  [ "@{TORCHSTACK_ENTRYPOINT_CHECKS_ONLY:-0}" = 1 ] && exit 0
  if is_root && [ "@{TORCHSTACK_RUN_AS_ROOT:-0}" != 1 ]; then remap_user; fi
  setup_home
  start_apps
  [ "$#" -gt 0 ] || set -- sleep infinity
  cd /workspace 2>/dev/null || cd "$HOME"
  as_user "$@"
}

main "$@"
`;
