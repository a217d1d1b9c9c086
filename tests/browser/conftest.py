"""Browser tests: the real service in a subprocess, driven by Debian's headless Chromium.

The service is started once per session exactly as an operator would start it
(`python -m qa serve --port N`), with its index and its feedback file in a
temporary folder and one admin key.  Each test gets a fresh browser context
(clean storage) and a `watch` that records what must never happen: page
errors, JavaScript dialogs and requests that leave the service (the page must
work without the internet).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = os.environ.get("CLAUSE_QA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 120
ADMIN_KEY = "browser-admin-key-0123"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Settings that would change what the page sees (keys, limits, a language model): the
# service under test runs with the defaults whatever the developer's shell exports.
_SCRUBBED_ENV = (
    "CLAUSE_QA_API_KEYS",
    "CLAUSE_QA_RATE_LIMIT_PER_MINUTE",
    "CLAUSE_QA_LLM_BASE_URL",
    "CLAUSE_QA_HOST",
    "CLAUSE_QA_PORT",
    "CLAUSE_QA_CORS_ORIGINS",
    "CLAUSE_QA_ADMIN_KEYS",
    "CLAUSE_QA_FEEDBACK_DB",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _start(
    folder: Path, index_dir: Path, log_path: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start the service on a free port and wait for /healthz; a few tries in case a port is taken."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    env["CLAUSE_QA_INDEX_DIR"] = str(index_dir)
    env["CLAUSE_QA_FEEDBACK_DB"] = str(folder / "feedback.sqlite3")
    env["CLAUSE_QA_UPLOAD_DIR"] = str(folder / "uploads")  # never the developer's var/uploads
    env.update(extra_env or {})
    env["CLAUSE_QA_ADMIN_KEYS"] = ADMIN_KEY
    env["PYTHONUNBUFFERED"] = "1"
    for _attempt in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "qa", "serve", "--port", str(port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return process, url
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        _stop(process)
        if "address already in use" not in _tail(log_path).lower():
            break
    pytest.fail(f"the service did not become healthy within {START_TIMEOUT_S} s; log:\n{_tail(log_path)}")


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory, service_settings, service) -> Iterator[str]:
    """URL of the real service, started once for the browser tests and stopped at the end.

    It serves the index the session's ``service`` fixture built (one build for every layer's tests): the
    subprocess finds it fresh and only loads it.
    """
    folder = tmp_path_factory.mktemp("browser-service")
    process, url = _start(folder, service_settings.index_dir, folder / "serve.log")
    try:
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def start_service() -> Iterator:
    """``start_service(folder, extra_env)``: another service, started as ``base_url`` is (its index, upload
    folder and log in ``folder``; ``extra_env`` e.g. a corpus folder of its own); its URL.  Stopped at the end."""
    started: list[subprocess.Popen] = []

    def start(folder: Path, extra_env: dict[str, str]) -> str:
        process, url = _start(folder, folder / "index", folder / "serve.log", extra_env)
        started.append(process)
        return url

    yield start
    for process in started:
        _stop(process)


@pytest.fixture(scope="session")
def api(base_url: str) -> Iterator[httpx.Client]:
    """A plain HTTP client on the same service, to compare the page with the API."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def documents(api: httpx.Client) -> dict:
    """What the page gets from GET /api/documents."""
    return api.get("/api/documents").json()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CLAUSE_QA_CHROMIUM)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class Watch:
    """What a page did that a test may forbid."""

    base_url: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        self.requests.append(request.url)
        if not (request.url.startswith(self.base_url + "/") or request.url.startswith("data:")):
            self.foreign_requests.append(request.url)

    def on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


def _open(browser, base_url: str, viewport: dict[str, int], scale: float = 1, **options):
    context = browser.new_context(
        base_url=base_url, viewport=viewport, device_scale_factor=scale, locale="zh-CN", **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(base_url)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("console", lambda message: watch.console_errors.append(message.text) if message.type == "error" else None)
    page.on("dialog", watch.on_dialog)
    page.on("request", watch.on_request)
    return context, page, watch


def _check(watch: Watch) -> None:
    assert watch.page_errors == [], f"JavaScript errors: {watch.page_errors}"
    assert watch.foreign_requests == [], f"requests that left the service: {watch.foreign_requests}"
    assert watch.dialogs == [], f"JavaScript dialogs fired: {watch.dialogs}"


@pytest.fixture
def session(browser, base_url: str):
    """(page, watch) at desktop width with clipboard access; checks the watch at the end."""
    context, page, watch = _open(
        browser, base_url, DESKTOP, permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
    )
    try:
        yield page, watch
        _check(watch)
    finally:
        context.close()


@pytest.fixture
def page_at(browser):
    """``page_at(url)``: (page, watch) at desktop width on another service; each watch checked at the end."""
    opened = []

    def open_at(url: str, **options):
        context, page, watch = _open(browser, url, DESKTOP, **options)
        opened.append((context, watch))
        return page, watch

    yield open_at
    try:
        for _, watch in opened:
            _check(watch)
    finally:
        for context, _ in opened:
            context.close()


@pytest.fixture
def phone_session(browser, base_url: str):
    """(page, watch) at phone width (390 px), touch and 2x pixels."""
    context, page, watch = _open(browser, base_url, PHONE, scale=2, has_touch=True, is_mobile=True)
    try:
        yield page, watch
        _check(watch)
    finally:
        context.close()


@pytest.fixture(scope="session")
def docs_screenshot():
    """Copy a screenshot to docs/screenshot.png, only when CLAUSE_QA_UPDATE_DOCS_SCREENSHOT=1.

    docs/ is committed: a plain test run must not rewrite it.
    """

    def update(source: Path) -> None:
        if os.environ.get("CLAUSE_QA_UPDATE_DOCS_SCREENSHOT") == "1":
            target = ROOT / "docs" / "screenshot.png"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)

    return update


# ------------------------------------------------------------------ shared page actions and look-ups
_MARKER = re.compile(r"^〔(.+?)(?:第(\d+(?:\.\d+)*(?:_\d+)?)条|·说明(\d+))〕$")


def _marker_label(marker: str) -> str:
    """What the page shows for a marker: 〔2023分工方案第18条〕 → 2023分工方案 第18条; ·说明3 → 说明3."""
    parts = _MARKER.match(marker)
    assert parts, marker
    return f"{parts[1]} 第{parts[2]}条" if parts[2] else f"{parts[1]} 说明{parts[3]}"


class UI:
    """Page actions and expectations the browser tests share."""

    @staticmethod
    def load(page: Page) -> None:
        page.goto("/")
        expect(page.locator("body.is-ready")).to_be_attached()
        expect(page.locator("body[data-examples='ready']")).to_be_attached()
        expect(page.locator("#browse-list .clause-link").first).to_be_attached()

    @staticmethod
    def ask(page: Page, question: str):
        """Type a question, press Enter, wait until its exchange is finished; (exchange, /api/ask JSON)."""
        before = page.locator("#log .exchange").count()
        box = page.locator("#question")
        box.fill(question)
        with page.expect_response("**/api/ask") as response_info:
            box.press("Enter")
        exchange = page.locator("#log .exchange").nth(before)
        expect(exchange.locator(".answer, .refusal, .failed")).to_be_visible()
        expect(page.locator("#send")).to_be_enabled()
        return exchange, response_info.value.json()

    @staticmethod
    def open_chip(page: Page, exchange, clause_id: str):
        exchange.locator(f'.answer-text .chip[data-clause-id="{clause_id}"]').first.click()
        dialog = page.locator("#clause-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".clause-text")).to_be_visible()
        return dialog

    @staticmethod
    def no_horizontal_scroll(page: Page) -> None:
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.body.scrollWidth") <= width

    @staticmethod
    def label(clause: dict) -> str:
        """The clause's title in the viewer and the lists."""
        return _marker_label(clause["marker"])

    @staticmethod
    def position(clause: dict) -> str:
        """第18条 (or 说明3): where the clause stands in its document."""
        return _marker_label(clause["marker"]).split(" ", 1)[1]

    @staticmethod
    def chip(clause: dict) -> str:
        """A citation chip's text."""
        return f"〔{_marker_label(clause['marker'])}〕"


@pytest.fixture(scope="session")
def ui() -> type[UI]:
    return UI


@dataclass
class Seed:
    """The service's clauses and units, looked up by what they say (their ids change with the corpus)."""

    clauses: list[dict]
    units: list[dict]

    def clause(self, words: str) -> dict:
        """The one clause whose text contains ``words``."""
        found = [c for c in self.clauses if words in c["text"]]
        assert len(found) == 1, f"{len(found)} clauses contain {words!r}"
        return found[0]

    def unit(self, name: str) -> dict:
        return next(u for u in self.units if u["name"] == name)


@pytest.fixture(scope="session")
def seed(api: httpx.Client) -> Seed:
    return Seed(api.get("/api/clauses").json()["clauses"], api.get("/api/units").json())


@pytest.fixture(scope="session")
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_KEY}"}
