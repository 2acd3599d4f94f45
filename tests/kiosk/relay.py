"""A TCP relay between the kiosk and the hall server, so a test can cut the network and bring it
back on the same address, or lose a response after the server has acted on the request."""

from __future__ import annotations

import socket
import threading


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """Listens on ``port`` (while started) and forwards each connection to ``target``.

    ``lose_responses = n``: the next n responses from the server are thrown away and the kiosk's
    connection is closed instead, as when the network fails after the server committed.
    """

    def __init__(self, target_url: str, port: int | None = None) -> None:
        host, _, target_port = target_url.removeprefix("http://").partition(":")
        self.target = (host, int(target_port))
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lose_responses = 0
        self.lost = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()

    def start(self) -> Relay:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        """The network is cut: no new connections, and open ones are closed."""
        if self._listener is not None:
            try:  # wakes the thread blocked in accept(); close() alone does not on Linux
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            open_sockets, self._sockets = self._sockets, set()
        for s in open_sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, from_server: bool) -> None:
        try:
            while data := source.recv(65536):
                if from_server:
                    with self._lock:
                        losing = self.lose_responses > 0
                        if losing:
                            self.lose_responses -= 1
                            self.lost += 1
                    if losing:
                        break
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
