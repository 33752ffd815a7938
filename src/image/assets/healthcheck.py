#!/opt/venv/bin/python3 -I
"""torchstack-healthcheck: exit 0 when every app in /etc/torchstack/apps answers.

The image's HEALTHCHECK command (Python 3, which every torch image has): Jupyter
must answer /api/status with 200 when given the token; sshd, TensorBoard and
code-server must listen on their ports (read from /proc/net/tcp, so the check
itself leaves no line in sshd's log). Exits 1 with one line per failing app.
It often runs as root: the image's venv Python by absolute path, isolated (-I), so neither
PATH nor PYTHONPATH from the container's environment chooses what runs.
"""
import os
import socket
import sys
import urllib.error
import urllib.request

APPS_FILE = "/etc/torchstack/apps"
PORT_ENV = {"jupyter": "JUPYTER_PORT", "ssh": "SSH_PORT", "tensorboard": "TENSORBOARD_PORT", "vscode": "VSCODE_PORT"}


def listed_apps():
    defaults = {}
    try:
        with open(APPS_FILE, encoding="utf-8") as handle:
            for line in handle:
                fields = line.split()
                if fields and not fields[0].startswith("#") and len(fields) >= 2:
                    defaults[fields[0]] = int(fields[1])
    except OSError:
        pass
    names = list(defaults)
    if "TORCHSTACK_APPS" in os.environ:
        names = [n.strip() for n in os.environ["TORCHSTACK_APPS"].split(",") if n.strip() not in ("", "none")]
    return [(name, int(os.environ.get(PORT_ENV.get(name, ""), defaults.get(name, 0)) or 0)) for name in names]


def host():
    ip = os.environ.get("JUPYTER_IP") or os.environ.get("TORCHSTACK_LISTEN") or "0.0.0.0"
    return "127.0.0.1" if ip in ("0.0.0.0", "::", "") else ip


def check_jupyter(port):
    token = os.environ.get("JUPYTER_TOKEN", "")
    if not token:
        return "JUPYTER_TOKEN is not set, so Jupyter was not started"
    request = urllib.request.Request(
        "http://%s:%d/api/status" % (host(), port), headers={"Authorization": "token " + token}
    )
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return None if response.status == 200 else "HTTP %d" % response.status
    except (urllib.error.URLError, OSError) as error:
        return str(error)


def listening(port):
    """True when a socket listens on PORT (read from /proc/net/tcp*, so sshd logs no connection per check)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as handle:
                next(handle, None)
                for row in handle:
                    fields = row.split()
                    if len(fields) > 3 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        return True
        except OSError:
            continue
    return False


def check_tcp(port):
    if listening(port):
        return None
    listen = os.environ.get("TORCHSTACK_LISTEN") or "0.0.0.0"
    address = "127.0.0.1" if listen in ("0.0.0.0", "::") else listen
    try:
        socket.create_connection((address, port), timeout=2).close()
        return None
    except OSError as error:
        return str(error)


def main():
    failures = []
    for name, port in listed_apps():
        problem = check_jupyter(port) if name == "jupyter" else check_tcp(port)
        if problem:
            failures.append("%s (port %d): %s" % (name, port, problem))
    for failure in failures:
        print("unhealthy: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
