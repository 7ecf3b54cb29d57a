"""A query evaluation process: one embedded store, one request at a time, killable.

Started by pool.py as ``python -m pnetkg.store.evaluator DATA_DIR FD [--offline]``.
It reads framed requests ``(method, args)`` from the socket FD, calls that method
of an EmbeddedStore and writes back ``("ok", value)`` or ``("error", exc)``.
pyoxigraph cannot cancel a query, so the pool enforces the time limit by
killing this process; that is why it holds nothing anyone else needs.
"""

from __future__ import annotations

import pickle
import resource
import socket
import struct
import sys
from pathlib import Path
from typing import cast

from ..processes import configure_logging, end_with_parent, forbid_outbound_network
from .base import AnswerTooLarge, StoreError

FRAME = struct.Struct("!I")  # length prefix of every message
MEMORY_LIMIT = 4 << 30  # bytes of address space an evaluator may use
MAX_ANSWER = 256 << 20  # bytes of one answer: the web process holds it whole while it sends it
# the methods of the Store interface a pool may call (nothing else is reachable through the socket)
METHODS = frozenset({"select", "ask", "triples", "serialize", "update", "replace_all", "graph_sizes", "is_empty"})


def encode(obj: object) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def send(sock: socket.socket, obj: object) -> None:
    data = encode(obj)
    sock.sendall(FRAME.pack(len(data)) + data)


def _bounded(reply: tuple[str, object], max_answer: int) -> bytes:
    """The encoded reply, or an error in its place when it is larger than ``max_answer`` bytes."""
    data = encode(reply)
    if len(data) <= max_answer:
        return data
    return encode(
        (
            "error",
            AnswerTooLarge(
                f"the answer is {len(data):,} bytes, over the limit of {max_answer:,}: narrow the query or add a LIMIT"
            ),
        )
    )


def _receive_exactly(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if not k:
            raise EOFError
        got += k
    return bytes(buf)


def receive(sock: socket.socket) -> object:
    (n,) = FRAME.unpack(_receive_exactly(sock, FRAME.size))
    return pickle.loads(_receive_exactly(sock, n))


def _answer(store: object, request: object) -> tuple[str, object]:
    try:
        method, args = cast(tuple[str, tuple], request)
        if method not in METHODS:
            raise StoreError(f"an evaluator does not run {method!r}")
        return "ok", getattr(store, method)(*args)
    except StoreError as exc:
        return "error", exc
    except Exception as exc:  # noqa: BLE001 - anything else crosses the socket as a store error
        return "error", StoreError(f"{type(exc).__name__}: {exc}")


def main(argv: list[str]) -> None:
    configure_logging()
    data_dir, fd = Path(argv[0]), int(argv[1])
    max_answer = int(argv[argv.index("--max-answer") + 1]) if "--max-answer" in argv else MAX_ANSWER
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    if "--offline" in argv:
        forbid_outbound_network()
    from .embedded import EmbeddedStore

    end_with_parent()  # a pool that dies, even by SIGKILL, leaves no evaluator running a long query
    sock = socket.socket(fileno=fd)
    store = EmbeddedStore(data_dir)
    try:  # read the store once before saying ready, so that the first query does not pay for opening it
        store.is_empty()
        send(sock, ("ok", None))
    except StoreError as exc:
        send(sock, ("error", exc))
    while True:
        try:
            request = receive(sock)
        except (EOFError, OSError):
            return  # the pool closed the socket: nothing more to do
        data = _bounded(_answer(store, request), max_answer)
        sock.sendall(FRAME.pack(len(data)) + data)


if __name__ == "__main__":
    main(sys.argv[1:])
