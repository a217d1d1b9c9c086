"""What the HTTP server itself answers, before the app: on a real uvicorn, through a raw socket.

A client such as curl sends a URL typed with Chinese characters as raw UTF-8 bytes, which the HTTP
grammar (and uvicorn's parser) refuses; the answer must still be the service's JSON error shape.
"""

from __future__ import annotations

import json
import socket
from urllib.parse import quote, urlsplit

import pytest


def raw_request(base_url: str, target: bytes, method: bytes = b"GET") -> tuple[int, dict[str, str], bytes]:
    """Send one request line + Host header as raw bytes; the status, headers and body of the answer."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(method + b" " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "target",
    ["/api/search?q=机场", "/api/clauses/机场", "/api/search?q=%E6%9C%BA场"],
    ids=["query", "path", "half-encoded"],
)
def test_raw_utf8_in_the_url_gets_the_json_error(live_server: str, target: str) -> None:
    status, headers, body = raw_request(live_server, target.encode("utf-8"))
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    error = json.loads(body)["error"]
    assert error["code"] == "invalid_http_request"
    assert "percent-encode" in error["message"]


def test_the_same_query_percent_encoded_is_answered(live_server: str) -> None:
    status, headers, body = raw_request(live_server, b"/api/search?q=" + quote("机场").encode("ascii"))
    assert status == 200 and headers["content-type"] == "application/json"
    assert json.loads(body)["query"] == "机场"


def test_a_malformed_request_line_gets_the_json_error(live_server: str) -> None:
    status, _headers, body = raw_request(live_server, b"/api/search?q=a b")  # a space inside the target
    assert status == 400 and json.loads(body)["error"]["code"] == "invalid_http_request"
