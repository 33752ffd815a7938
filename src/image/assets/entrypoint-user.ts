/**
 * The entrypoint's user section (POSIX sh). As root with TORCHSTACK_UID/GID set,
 * the image user is remapped to the workspace owner's IDs with groupmod/usermod
 * (allowing IDs another account already has), and only the user's home is
 * re-owned, without crossing into mounts: /workspace is never chowned, so start-up
 * stays fast whatever the workspace holds. Root (UID 0) is refused unless
 * TORCHSTACK_RUN_AS_ROOT=1. HOME and the caches PyTorch tools write to
 * (XDG_CACHE_HOME, TORCH_HOME, HF_HOME, PIP_CACHE_DIR, MPLCONFIGDIR) are created
 * writable; without a writable home (container run with --user) they go to /tmp.
 */
import { sh } from "./shell-template.js";

export const entrypointUserSection = sh`
user_home() { getent passwd "$TS_USER" | cut -d: -f6; }

remap_user() {
  want_uid=@{TORCHSTACK_UID:-}
  want_gid=@{TORCHSTACK_GID:-$want_uid}
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
  home=$(user_home)
  if [ -d "$home" ]; then
    find "$home" -xdev \( ! -user "$want_uid" -o ! -group "$want_gid" \) -exec chown -h "$want_uid:$want_gid" {} + 2>/dev/null || true
  fi
  [ "$want_uid:$want_gid" = "$cur_uid:$cur_gid" ] || log "user $TS_USER remapped to $want_uid:$want_gid (the workspace owner)"
}

setup_home() {
  if is_root && [ "@{TORCHSTACK_RUN_AS_ROOT:-0}" != 1 ]; then
    RUN_UID=$(id -u "$TS_USER"); RUN_GID=$(id -g "$TS_USER"); home=$(user_home)
  else
    RUN_UID=$(id -u); RUN_GID=$(id -g); home=@{HOME:-/tmp}
  fi
  if ! { mkdir -p "$home" 2>/dev/null && [ -w "$home" ] || is_root; }; then
    home="/tmp/torchstack-home-$RUN_UID"
    mkdir -p "$home"
  fi
  export HOME="$home"
  export XDG_CACHE_HOME="$home/.cache" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share"
  export TORCH_HOME="$XDG_CACHE_HOME/torch" HF_HOME="$XDG_CACHE_HOME/huggingface"
  export PIP_CACHE_DIR="$XDG_CACHE_HOME/pip" MPLCONFIGDIR="$XDG_CONFIG_HOME/matplotlib"
  export JUPYTER_RUNTIME_DIR="$XDG_DATA_HOME/jupyter/runtime"
  if [ "$RUN_UID" != 0 ] || [ "@{TORCHSTACK_RUN_AS_ROOT:-0}" = 1 ]; then
    USER=$(id -un "$RUN_UID" 2>/dev/null || echo "$TS_USER")
    export USER LOGNAME="$USER"
  fi
  for dir in "$TORCH_HOME" "$HF_HOME" "$PIP_CACHE_DIR" "$MPLCONFIGDIR" "$JUPYTER_RUNTIME_DIR"; do
    mkdir -p "$dir" 2>/dev/null || true
  done
  if is_root && [ "$RUN_UID" != 0 ]; then
    chown "$RUN_UID:$RUN_GID" "$home"
    chmod go-w "$home"
    chown -R "$RUN_UID:$RUN_GID" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$home/.local" 2>/dev/null || true
  fi
}

# as_user CMD...: runs CMD as the environment's user (root stays root only when asked).
as_user() {
  if is_root && [ "$RUN_UID" != 0 ]; then
    exec setpriv --reuid="$RUN_UID" --regid="$RUN_GID" --init-groups -- "$@"
  fi
  exec "$@"
}
`;
