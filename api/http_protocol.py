"""The HTTP/1.1 protocol `clause-qa serve` runs: uvicorn's httptools one, its 400 in the JSON error shape.

Requests the HTTP parser refuses never reach the app: uvicorn answers them itself, with a text/plain
400.  The common one is a URL with raw UTF-8, as in ``curl '…/api/search?q=机场'`` (curl sends the
bytes as typed; browsers percent-encode them).  Both of uvicorn's parsers refuse it, as the HTTP grammar
says (httptools/llhttp: "Invalid char in url query", with no leniency flag for URLs; h11: a request
target is visible ASCII), and re-encoding bytes ahead of the parser would mean re-parsing HTTP here.
So the server answers the service's JSON error, saying how to send such a URL.
"""

from __future__ import annotations

import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # httptools: uvicorn[standard]

INVALID_HTTP = {
    "error": {
        "code": "invalid_http_request",
        "message": (
            "the request is not valid HTTP/1.1; a URL must be ASCII: percent-encode other characters "
            "(curl -G --data-urlencode 'q=机场' …/api/search does it)"
        ),
    }
}
_BODY = json.dumps(INVALID_HTTP, ensure_ascii=False).encode("utf-8")


class JsonErrorProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol; a request its parser refuses gets the JSON error body."""

    def send_400_response(self, msg: str) -> None:
        lines = [b"HTTP/1.1 400 Bad Request"]
        lines += [name + b": " + value for name, value in self.server_state.default_headers]
        lines += [
            b"content-type: application/json",
            b"content-length: " + str(len(_BODY)).encode("ascii"),
            b"connection: close",
        ]
        self.transport.write(b"\r\n".join(lines) + b"\r\n\r\n" + _BODY)
        self.transport.close()


# What `clause-qa serve` hands uvicorn besides the app and the address (tests run the same): this
# protocol; no WebSocket support (no route uses it: nothing to import); no uvicorn access log (api.access_log
# writes one without query strings, which carry the question on /api/search; uvicorn's would repeat each
# line, query string included).
SERVER_OPTIONS: dict[str, Any] = {"http": JsonErrorProtocol, "ws": "none", "access_log": False}
