"""Child processes on loopback (broker, workers, test servers): free ports, readiness, clean stops."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import socket
import subprocess

PR_SET_PDEATHSIG = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM when the process that started it dies (Linux): no orphans."""
    with contextlib.suppress(OSError):  # not Linux: the explicit stop still applies
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stop_process(
    process: subprocess.Popen[bytes] | None, timeout: float = 20.0, sig: int = signal.SIGTERM
) -> int | None:
    """Send `sig` (SIGTERM lets it save its state), SIGKILL if it has not exited in time; its exit code."""
    if process is None:
        return None
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode
