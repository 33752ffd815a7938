# shellcheck shell=sh
# torchstack home set-up (sourced, POSIX sh): the one place that decides HOME and the caches PyTorch tools
# write to, shared by the entrypoint (at start) and `torchstack exec` (through torchstack-exec), so both
# see the same environment. Needs TS_USER (from /etc/torchstack/image.env). Sets RUN_UID/RUN_GID, the
# user the command runs as: the image user when started as root (unless TORCHSTACK_RUN_AS_ROOT=1),
# else whoever the container runs as, including an arbitrary UID with group 0 (`docker run --user
# 12345:0`, as OpenShift and runAsNonRoot clusters do). Without a writable home it uses /tmp.

ts_is_root() { [ "$(id -u)" = 0 ]; }

ts_user_home() { getent passwd "$TS_USER" | cut -d: -f6; }

setup_home() {
  if ts_is_root && [ "${TORCHSTACK_RUN_AS_ROOT:-0}" != 1 ]; then
    RUN_UID=$(id -u "$TS_USER"); RUN_GID=$(id -g "$TS_USER"); home=$(ts_user_home)
  else
    RUN_UID=$(id -u); RUN_GID=$(id -g)
    home=$(getent passwd "$RUN_UID" | cut -d: -f6 || true)
    [ -n "$home" ] || home=${HOME:-/tmp}
  fi
  if ! ts_is_root && ! { mkdir -p "$home" 2>/dev/null && [ -w "$home" ]; }; then
    home="/tmp/torchstack-home-$RUN_UID"
    mkdir -p "$home"
  fi
  export HOME="$home"
  export XDG_CACHE_HOME="$home/.cache" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share"
  export TORCH_HOME="$XDG_CACHE_HOME/torch" HF_HOME="$XDG_CACHE_HOME/huggingface"
  export PIP_CACHE_DIR="$XDG_CACHE_HOME/pip" MPLCONFIGDIR="$XDG_CONFIG_HOME/matplotlib"
  export JUPYTER_RUNTIME_DIR="$XDG_DATA_HOME/jupyter/runtime"
  if [ "$RUN_UID" != 0 ] || [ "${TORCHSTACK_RUN_AS_ROOT:-0}" = 1 ]; then
    USER=$(id -un "$RUN_UID" 2>/dev/null || echo "$TS_USER")
    LOGNAME="$USER"
    export USER LOGNAME
  fi
  for dir in "$TORCH_HOME" "$HF_HOME" "$PIP_CACHE_DIR" "$MPLCONFIGDIR" "$JUPYTER_RUNTIME_DIR"; do
    mkdir -p "$dir" 2>/dev/null || true
  done
  if ts_is_root && [ "$RUN_UID" != 0 ]; then
    chown "$RUN_UID:$RUN_GID" "$home"
    chmod go-w "$home"
    chown -R "$RUN_UID:$RUN_GID" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$home/.local" 2>/dev/null || true
  fi
}
