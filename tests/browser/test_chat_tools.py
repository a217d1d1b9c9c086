"""What staff expect of a chat tool (issue 14): copy an answer with its citations, vote with a note and
see the vote in the admin panel, export a conversation, keep past conversations, a new conversation with
undo, and a preview of a cited clause on hover or tap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AIRPORT = "飞机场有什么建设安排？"
TEACHERS = "每学年选派多少名教师赴临沂支教？"
NEAR_MISS = "中欧班列的补贴标准是多少？"  # refused, but near some clauses


def _where(clause: dict, position: str) -> str:
    title = clause["document"].replace("《", "〈").replace("》", "〉")
    section = " ".join(s.rstrip("。．.") for s in clause["section"])
    return f"《{title}》 {section} {position}"


def test_copy_puts_the_answer_and_every_cited_clause_on_the_clipboard(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    exchange, data = ui.ask(page, AIRPORT)
    exchange.get_by_role("button", name="复制").click()
    expect(exchange.locator(".msg-actions .copy-status")).to_have_text("已复制回答及出处")
    sources = [f"{c['marker']} {_where(c, ui.position(c))}：{c['text']}" for c in data["citations"]]
    assert page.evaluate("navigator.clipboard.readText()") == "\n".join([data["answer"], "", "出处：", *sources])


def test_a_vote_with_a_note_reaches_the_admin_panel(session, ui, api, admin_headers, artifacts) -> None:
    page, _watch = session
    ui.load(page)
    exchange, data = ui.ask(page, AIRPORT)
    note = f"缺少高铁站的安排 {id(page)}"  # unique in this session's feedback file
    exchange.get_by_role("button", name="没有帮助").click()
    exchange.get_by_label("补充说明（可选）").fill(note)
    with page.expect_response("**/api/feedback") as sent:
        exchange.get_by_role("button", name="提交反馈").click()
    assert sent.value.status == 201
    expect(exchange.locator(".feedback-status")).to_have_text("已记录：没有帮助。谢谢，我们会改进。")
    expect(exchange.locator(".vote-down")).to_have_attribute("aria-pressed", "true")
    expect(exchange.locator(".vote")).to_have_count(2)
    for vote in exchange.locator(".vote").all():
        expect(vote).to_be_disabled()

    # Stored server-side, as the page saw it.
    stored = api.get("/api/feedback", params={"rating": "down"}, headers=admin_headers).json()["feedback"][0]
    assert (stored["question"], stored["note"], stored["rating"]) == (AIRPORT, note, "down")
    assert stored["citations"] == [c["clause_id"] for c in data["citations"]] and stored["answer"] == data["answer"]
    assert api.get("/api/feedback").status_code == 401  # no admin key

    # A reload shows the vote, and does not offer a second one.
    ui.load(page)
    restored = page.locator("#log .exchange").first
    expect(restored.locator(".vote-down")).to_have_attribute("aria-pressed", "true")
    expect(restored.locator(".vote-down")).to_be_disabled()

    # The admin panel asks for the admin key, then lists the vote with its note.
    page.get_by_role("button", name="管理", exact=True).click()
    admin = page.locator("#admin-dialog")
    admin.get_by_role("button", name="反馈", exact=True).click()
    key = admin.get_by_label("管理员密钥")
    expect(key).to_be_visible()
    key.fill("not-the-key")
    key.press("Enter")
    expect(admin.locator("#admin-key-reason")).to_have_text("管理员密钥无效。")
    key.fill(admin_headers["Authorization"].removeprefix("Bearer "))
    key.press("Enter")
    item = admin.locator(".feedback-item", has_text=note)
    expect(item).to_have_count(1)
    expect(item.locator(".badge")).to_have_text("没有帮助")
    expect(item.locator(".feedback-question")).to_have_text(AIRPORT)
    page.screenshot(path=artifacts / "admin-feedback.png")
    admin.get_by_label("显示").select_option("up")
    expect(admin.locator(".feedback-item", has_text=note)).to_have_count(0)
    assert page.evaluate("sessionStorage.getItem('clause-qa-admin-key')")  # the tab's, not the browser's
    assert page.evaluate("localStorage.getItem('clause-qa-admin-key')") is None


def test_the_documents_tab_lists_each_document_with_its_counts(session, ui, documents) -> None:
    page, _watch = session
    ui.load(page)
    page.get_by_role("button", name="管理", exact=True).click()
    items = page.locator("#documents-list .document-item")
    expect(items).to_have_count(documents["count"])
    for item, document in zip(items.all(), documents["documents"], strict=True):
        expect(item.locator(".document-title")).to_have_text(document["title"])
        expect(item.locator(".document-counts")).to_contain_text(f"任务条款 {document['clause_count']} 条")


def test_export_writes_the_conversation_as_markdown_with_its_citations(session, ui, documents) -> None:
    page, _watch = session
    ui.load(page)
    expect(page.get_by_role("button", name="导出")).to_be_disabled()  # nothing to export yet
    _, answered = ui.ask(page, AIRPORT)
    _, refused = ui.ask(page, NEAR_MISS)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出").click()
    download = download_info.value
    assert re.fullmatch(r"对话记录-\d{12}\.md", download.suggested_filename)
    text = download.path().read_text(encoding="utf-8")
    assert text.startswith(f"# {documents['corpus']['title']} 条款问答 · 对话记录\n")
    assert f"## 1. {AIRPORT}" in text and f"## 2. {NEAR_MISS}" in text
    for citation in answered["citations"]:
        assert f"- **{citation['marker']}** {_where(citation, ui.position(citation))}" in text
        assert f"  > {citation['text']}" in text
    assert "**未找到依据**" in text and "**可能相关的条款**（不足以作答）" in text and refused["see_also"]
    for citation in refused["see_also"]:
        assert f"- **{citation['marker']}** {_where(citation, ui.position(citation))}" in text
    for line in (line for line in answered["answer"].split("\n") if line.strip()):
        assert line in text


def test_past_conversations_are_listed_and_a_new_one_can_be_undone(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    ui.ask(page, AIRPORT)
    log = page.locator("#log .exchange")

    # 新对话 clears the page; 撤销 brings the conversation straight back.
    page.get_by_role("button", name="新对话").click()
    expect(log).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    toast = page.locator("#toast")
    expect(toast).to_contain_text("已开始新对话")
    toast.get_by_role("button", name="撤销").click()
    expect(log).to_have_count(1)
    expect(log.first.locator(".bubble")).to_have_text(AIRPORT)
    expect(toast).to_be_hidden()

    # A second conversation; both are in the list, the newest first and marked current.
    page.get_by_role("button", name="新对话").click()
    ui.ask(page, TEACHERS)
    page.get_by_role("button", name="历史对话").click()
    items = page.locator("#history-list .history-item")
    expect(items.locator(".history-title")).to_have_text([TEACHERS, AIRPORT])
    expect(items.first.locator(".history-open")).to_have_attribute("aria-current", "true")

    # Open the older one; delete the newer one, then undo the deletion.
    items.nth(1).locator(".history-open").click()
    expect(page.locator("#history-dialog")).to_be_hidden()
    expect(log.first.locator(".bubble")).to_have_text(AIRPORT)
    page.get_by_role("button", name="历史对话").click()
    page.get_by_role("button", name=f"删除对话：{TEACHERS}").click()
    expect(items.locator(".history-title")).to_have_text([AIRPORT])
    undo = page.locator("#history-list .history-undo")
    expect(undo).to_contain_text(f"已删除对话“{TEACHERS}”")
    undo.get_by_role("button", name="撤销").click()
    expect(undo).to_have_count(0)
    expect(items.locator(".history-title")).to_have_text([TEACHERS, AIRPORT])
    page.locator("#history-close").click()

    # Kept in the browser: a reload shows the same conversation, and the list survives.
    ui.load(page)
    expect(log.first.locator(".bubble")).to_have_text(AIRPORT)
    page.get_by_role("button", name="历史对话").click()
    expect(items).to_have_count(2)


def test_hovering_a_chip_previews_the_clause_and_escape_dismisses_it(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    exchange, data = ui.ask(page, AIRPORT)
    citation = data["citations"][0]
    chip = exchange.locator(f'.answer-text .chip[data-clause-id="{citation["clause_id"]}"]')
    preview = page.locator("#clause-preview")
    chip.hover()
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text(ui.label(citation))
    expect(preview.locator(".clause-text")).to_have_text(citation["text"])
    expect(preview.locator(".clause-text mark")).to_have_text([citation["text"][s:e] for s, e in citation["highlights"]])
    expect(chip).to_have_attribute("aria-describedby", "clause-preview")
    preview.hover()  # the preview stays while the pointer is on it
    page.wait_for_timeout(400)
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    chip.hover()
    expect(preview).to_be_visible()
    page.locator("#question").hover()
    expect(preview).to_be_hidden()
    # A click still opens the full viewer.
    chip.click()
    expect(page.locator("#clause-dialog")).to_be_visible()


def test_a_tap_previews_and_the_preview_opens_the_viewer(phone_session, ui) -> None:
    page, _watch = phone_session
    ui.load(page)
    exchange, data = ui.ask(page, AIRPORT)
    citation = data["citations"][0]
    exchange.locator(f'.answer-text .chip[data-clause-id="{citation["clause_id"]}"]').tap()
    preview = page.locator("#clause-preview")
    expect(preview).to_be_visible()
    expect(page.locator("#clause-dialog")).to_be_hidden()
    expect(preview.locator(".clause-text")).to_have_text(citation["text"])
    box = preview.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    preview.get_by_role("button", name="查看全文").tap()
    dialog = page.locator("#clause-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(citation))
    expect(preview).to_be_hidden()
