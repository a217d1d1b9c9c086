from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.http_protocol import SERVER_OPTIONS
from qa.service import QAService


@pytest.fixture(scope="module")
def client(service: QAService, service_settings) -> Iterator[TestClient]:
    """The app with its lifespan running, on the session's already-loaded service."""
    with TestClient(create_app(service_settings, service)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(service: QAService, service_settings) -> Iterator[str]:
    """The app on a real uvicorn, run as `clause-qa serve` runs it, on a free port: its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    server = uvicorn.Server(
        uvicorn.Config(create_app(service_settings, service), log_level="warning", **SERVER_OPTIONS)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://{host}:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
