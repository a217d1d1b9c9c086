"""The admin panel's 文件 tab in Chromium: upload a .docx and ask about it, bad files and their errors, remove.

A service of its own (started as an operator would, like the session's), over a corpus folder of one small
plan, so that a rebuild takes seconds and the other browser tests keep their documents.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

_spec = importlib.util.spec_from_file_location("upload_files", Path(__file__).parents[1] / "data" / "uploads.py")
files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(files)

pytestmark = pytest.mark.browser
MAX_UPLOAD = 200 * 1024  # so that a file over the limit is quick to make
REBUILT_MS = 120_000  # a rebuild on the shared 2-core machine: seconds, with room for a loaded machine


@pytest.fixture(scope="module")
def url(start_service, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("browser-uploads")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "yuxi-2025.txt").write_text(files.CORPUS_PLAN, encoding="utf-8")
    return start_service(folder, {
        "CLAUSE_QA_CORPUS_DIR": str(corpus),
        "CLAUSE_QA_QA_CACHE_DIR": str(folder / "qa"),
        "CLAUSE_QA_MAX_UPLOAD_BYTES": str(MAX_UPLOAD),
    })


@pytest.fixture
def http(url: str, admin_headers: dict[str, str]) -> httpx.Client:
    """The same service over HTTP, with no upload left from an earlier test."""
    with httpx.Client(base_url=url, timeout=60) as client:
        for document in client.get("/api/documents").json()["documents"]:
            if document["origin"] == "upload":
                client.delete(f"/api/documents/{document['document_id']}", headers=admin_headers)
        wait_idle(client)
        yield client


def wait_idle(client: httpx.Client) -> dict:
    deadline = time.monotonic() + REBUILT_MS / 1000
    while True:
        status = client.get("/api/index/status").json()
        if not status["building"]:
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.3)


def open_files_tab(page: Page, ui) -> None:
    ui.load(page)
    page.locator("#open-admin").click()
    expect(page.locator("#admin-dialog")).to_be_visible()
    expect(page.locator("#admin-tab-documents")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#documents-list .document-item").first).to_be_visible()


def test_upload_a_docx_from_the_page_then_ask_about_it(
    page_at, url: str, http: httpx.Client, ui, admin_headers, tmp_path: Path, artifacts: Path
) -> None:
    page, _ = page_at(url)
    open_files_tab(page, ui)
    title_before = page.title()
    corpus_item = page.locator("#documents-list .document-item").first
    expect(corpus_item.locator(".badge")).to_have_text("内置")
    expect(corpus_item.locator(".remove-document")).to_have_count(0)  # the corpus folder's: not removable

    docx = files.layout_builder().build_docx(tmp_path)
    page.locator("#upload-input").set_input_files(str(docx))
    page.locator("#upload-send").click()
    # No admin key yet in this tab: the panel asks for it, then carries on with the upload.
    expect(page.locator("#admin-key-form")).to_be_visible()
    page.locator("#admin-key-input").fill(admin_headers["Authorization"].removeprefix("Bearer "))
    with page.expect_response("**/api/documents") as posted:
        page.locator("#admin-key-form button[type=submit]").click()
    assert posted.value.status == 202
    accepted = posted.value.json()
    (document_id,) = accepted["document_ids"]

    result = page.locator("#upload-result")
    expect(result).to_contain_text("已接收 uploads/shiwan-2024-table.docx")
    expect(result).to_contain_text("识别事项 6 项，其中未写明责任单位 0 项")
    expect(page.locator("#upload-progress")).to_have_js_property("value", 100)  # XMLHttpRequest's progress
    status = page.locator("#index-status")
    expect(status).to_have_attribute("data-state", "done", timeout=REBUILT_MS)
    expect(status).to_contain_text("索引已更新：共 2 个文件")
    page.screenshot(path=str(artifacts / "uploads-done.png"))

    item = page.locator(f'#documents-list .document-item[data-document-id="{document_id}"]')
    expect(item.locator(".badge")).to_have_text("上传")
    expect(item.locator(".document-counts")).to_contain_text("任务条款 6 条")
    # The page follows the new corpus: its title and document filter.
    corpus = http.get("/api/documents").json()["corpus"]
    expect(page).to_have_title(f"{corpus['title']} 条款问答" if corpus["title"] else "条款问答")
    assert page.title() != title_before
    options = page.locator("#filter-document option")
    expect(options).to_have_count(3)
    expect(page.locator(f'#filter-document option[value="{document_id}"]')).to_have_text(accepted["documents"][0]["title"])

    page.locator("#admin-close").click()
    exchange, answer = ui.ask(page, files.DOCX_QUESTION)
    cited = [c for c in answer["citations"] if c["document_id"] == document_id]
    assert answer["answerable"] and cited and files.DOCX_WORDS in cited[0]["text"], answer
    expect(exchange.locator(f'.answer-text .chip[data-clause-id="{cited[0]["clause_id"]}"]').first).to_be_visible()


@pytest.mark.parametrize(
    ("name", "make", "friendly", "technical"),
    [
        ("bomb.docx", lambda folder: files.zip_bomb(), "文件无法读取", "compression bomb"),
        ("broken.docx", lambda folder: files.TXT_PLAN.encode(), "文件无法读取", "not a valid .docx"),
        ("tool.exe", lambda folder: b"MZ\x90\x00", "不支持这种文件类型", ".exe is not a supported type"),
        ("meeting.txt", lambda folder: files.NO_TASKS.encode(), "没有找到编号的任务条目", "no numbered task"),
        ("copy.txt", lambda folder: files.CORPUS_PLAN.encode(), "内容相同的文件已经存在", "yuxi-2025.txt"),
        ("huge.pdf", lambda folder: b"%PDF-1.4\n" + b"0" * (4 * MAX_UPLOAD), "超过了服务允许的大小",
         "CLAUSE_QA_MAX_UPLOAD_BYTES"),
    ],
    ids=["zip-bomb", "text-as-docx", "exe", "no-tasks", "duplicate", "too-large"],
)
def test_a_bad_file_shows_what_is_wrong_and_adds_nothing(
    page_at, url: str, http: httpx.Client, ui, admin_headers, tmp_path: Path, name, make, friendly, technical
) -> None:
    page, _ = page_at(url)
    key = admin_headers["Authorization"].removeprefix("Bearer ")
    page.add_init_script(f"sessionStorage.setItem('clause-qa-admin-key', {key!r})")
    open_files_tab(page, ui)
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    page.locator("#upload-input").set_input_files(str(path))
    with page.expect_response("**/api/documents") as posted:
        page.locator("#upload-send").click()
    assert 400 <= posted.value.status < 500
    error = page.locator("#upload-result .error-box")
    expect(error).to_be_visible()
    expect(error.locator(".error-title")).to_have_text(f"未能添加 {name}")
    expect(error.locator(".error-text")).to_contain_text(friendly)
    expect(error.locator(".error-detail")).to_contain_text(technical)
    expect(page.locator("#upload-progress")).to_be_hidden()
    expect(page.locator("#index-status")).to_be_hidden()  # nothing to rebuild
    assert [d["origin"] for d in http.get("/api/documents").json()["documents"]] == ["corpus"]


def test_remove_an_uploaded_document_from_the_page(
    page_at, url: str, http: httpx.Client, ui, admin_headers
) -> None:
    posted = http.post("/api/documents", files={"file": ("songling.txt", files.TXT_PLAN.encode())},
                       headers=admin_headers)
    assert posted.status_code == 202, posted.text
    (document_id,) = posted.json()["document_ids"]
    wait_idle(http)
    page, _ = page_at(url)
    key = admin_headers["Authorization"].removeprefix("Bearer ")
    page.add_init_script(f"sessionStorage.setItem('clause-qa-admin-key', {key!r})")
    open_files_tab(page, ui)
    expect(page.locator(f'#filter-document option[value="{document_id}"]')).to_have_count(1)

    item = page.locator(f'#documents-list .document-item[data-document-id="{document_id}"]')
    item.locator(".remove-document").click()
    with page.expect_response(lambda r: r.request.method == "DELETE") as removed:
        item.locator(".confirm-remove").click()
    assert removed.value.status == 202
    expect(page.locator("#index-status")).to_have_attribute("data-state", "done", timeout=REBUILT_MS)
    expect(page.locator("#index-status")).to_contain_text("共 1 个文件")
    expect(item).to_have_count(0)
    expect(page.locator(f'#filter-document option[value="{document_id}"]')).to_have_count(0)

    page.locator("#admin-close").click()
    _, answer = ui.ask(page, files.TXT_QUESTION)
    assert not any(c["document_id"] == document_id for c in answer["citations"] + answer["see_also"])
