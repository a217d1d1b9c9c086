from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.service import QAService


@pytest.fixture(scope="module")
def client(service: QAService, service_settings) -> Iterator[TestClient]:
    """The app with its lifespan running, on the session's already-loaded service."""
    with TestClient(create_app(service_settings, service)) as test_client:
        yield test_client
