"""Several uvicorn worker processes, each listening on its own SO_REUSEPORT socket.

uvicorn's own `--workers` shares one listening socket: whichever worker wakes first accepts a burst of
connections, so long-lived keep-alive connections (desktop clients, the PaaS router) can pile onto one
worker while the other idles (seen in bench/server_load.py: 29 s of CPU out of 60 and p99 x 1.5). With
one SO_REUSEPORT socket per worker the kernel spreads connections evenly. Where the option does not exist
(Windows, where the server is never deployed) uvicorn's own supervisor is used instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from typing import Any

log = logging.getLogger("maitre_ao.server")

RESTART_BACKOFF_S = 1.0


def supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def ensure_port_free(host: str, port: int) -> None:
    """Refuse to start beside another server: SO_REUSEPORT would otherwise share its traffic silently."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, port))  # OSError (address in use) if anything holds the port


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    sock = _listening_socket(host, port)
    config = uvicorn.Config("server.app:create_app", factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Start `workers` processes, restart any that dies, stop them all on SIGTERM or SIGINT."""
    ensure_port_free(host, port)
    context = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port, options), daemon=False)
        process.start()
        return process

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    processes = [start() for _ in range(workers)]
    log.info("serving on %s:%d with %d worker processes (SO_REUSEPORT)", host, port, workers)
    try:
        while not stopping.wait(0.5):
            for index, process in enumerate(processes):
                if process.exitcode is not None:
                    log.warning("worker %s exited with code %s: restarting it", process.pid, process.exitcode)
                    time.sleep(RESTART_BACKOFF_S)  # a worker failing at start-up must not spin
                    processes[index] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
