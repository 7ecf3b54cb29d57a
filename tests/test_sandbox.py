"""Query workers on the embedded store make no outbound network calls from Python."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import requests

PROBE = textwrap.dedent("""
    import socket, urllib.request
    from pnetkg.processes import forbid_outbound_network
    forbid_outbound_network()
    for attempt in (lambda: socket.create_connection(("127.0.0.1", {port}), timeout=2),
                    lambda: urllib.request.urlopen("http://127.0.0.1:{port}/", timeout=2)):
        try:
            attempt()
            print("connected")
        except PermissionError as exc:
            print("refused:", exc)
""")


def test_the_hook_refuses_sockets_and_url_fetches(server):
    port = server.rsplit(":", 1)[1]
    out = subprocess.run([sys.executable, "-c", PROBE.format(port=port)], capture_output=True, text=True, timeout=30)
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("refused: query workers make no network calls") for line in lines)
    assert requests.get(server + "/sparql", params={"query": "ASK {}"}).status_code == 200  # serving is unaffected
