"""The chat page (issue #5), driven in headless Chromium against the real service."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

PLACEHOLDER = "请输入您的问题，例如：中欧班列由哪些部门负责？"
EXAMPLES = [
    "中欧班列由哪些部门负责？",
    "每学年选派多少名教师赴临沂支教？",
    "飞机场有什么建设安排？",
    "历下区和哪个县结对？",
    "济南市教育局负责哪些任务？",
]
XSS = "<img src=x onerror=alert(1)>"
UNANSWERABLE = "明天天气怎么样？"
FENGONG_TITLE = "贯彻落实《济南—临沂对口合作实施方案》重点任务分工方案"


# ------------------------------------------------------------------ helpers
def load(page: Page) -> None:
    page.goto("/")
    expect(page.locator("body.is-ready")).to_be_attached()
    expect(page.locator("#filter-unit optgroup").first).to_be_attached()
    expect(page.locator("#browse-list .clause-link").first).to_be_attached()


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


def open_chip(page: Page, exchange, clause_id: str):
    exchange.locator(f'.answer-text .chip[data-clause-id="{clause_id}"]').first.click()
    dialog = page.locator("#clause-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".clause-text")).to_be_visible()
    return dialog


def no_horizontal_scroll(page: Page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.body.scrollWidth") <= width


# ------------------------------------------------------------------ the page itself
def test_page_is_served_whole_by_the_service_and_keeps_to_a_strict_csp(session) -> None:
    page, watch = session
    load(page)
    expect(page).to_have_title(re.compile("条款问答"))
    expect(page.locator("#question")).to_have_attribute("placeholder", PLACEHOLDER)
    expect(page.get_by_label("您的问题")).to_be_visible()
    expect(page.locator("#examples .example")).to_have_text(EXAMPLES)
    expect(page.locator("#health")).to_contain_text("96 条条款")
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in watch.requests}
    assert {"/", "/static/app.js", "/static/style.css", "/api/units", "/healthz"} <= paths
    assert watch.console_errors == []
    # What a Content-Security-Policy of script-src/style-src 'self' forbids, in the live DOM.
    ask(page, EXAMPLES[0])
    inline = page.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => !s.src).length,
            styles: document.querySelectorAll('style, [style]').length,
            handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
                .filter(a => a.name.startsWith('on')).length,
        })"""
    )
    assert inline == {"scripts": 0, "styles": 0, "handlers": 0}


def test_page_works_under_a_strict_content_security_policy(session) -> None:
    page, _watch = session
    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"

    def with_csp(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(re.compile(r"^https?://[^/]+/$"), with_csp)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"
    )
    load(page)
    exchange, _ = ask(page, EXAMPLES[2])
    open_chip(page, exchange, "分工方案-17")
    expect(page.locator("#clause-dialog .linked-text").first).to_be_visible()
    assert page.evaluate("window.__violations") == []


# ------------------------------------------------------------------ answers and citations
def test_answer_shows_chips_and_a_chip_opens_the_clause_in_context(session, api, artifacts) -> None:
    page, watch = session
    load(page)
    exchange, data = ask(page, "飞机场有什么建设安排？")
    assert data["answerable"] is True
    answer = exchange.locator(".answer")
    expect(answer).to_be_visible()
    expect(exchange.locator(".refusal")).to_have_count(0)
    expect(answer.locator(".badge")).to_have_text("回答")
    chips = answer.locator(".answer-text .chip")
    expect(chips).to_have_count(len(data["citations"]))
    expect(answer.locator('.answer-text .chip[data-clause-id="分工方案-17"]')).to_have_text("〔分工方案 第17条〕")

    citation = next(c for c in data["citations"] if c["clause_id"] == "分工方案-17")
    dialog = open_chip(page, exchange, "分工方案-17")
    expect(dialog.locator("#clause-document")).to_have_text(f"《{FENGONG_TITLE}》")
    expect(dialog.locator("#clause-title")).to_have_text("分工方案 第17条")
    expect(dialog.locator(".breadcrumb li")).to_have_text(["三、完善基础设施网络", "（七）畅通综合交通运输通道"])
    expect(dialog.locator(".clause-text")).to_have_text(citation["text"])
    expect(dialog.locator(".clause-text mark")).to_have_text(
        [citation["text"][start:end] for start, end in citation["highlights"]]
    )
    # Responsible units, lead ones first and marked.
    expect(dialog.locator(".unit-lead")).to_have_text(["牵头济南市交通运输局", "牵头临沂市交通运输局"])
    expect(dialog.locator(".unit:not(.unit-lead)", has_text="临沂国际机场有限公司")).to_have_count(1)
    # The related clause in the other attachment.
    related = api.get("/api/clauses/工作要点-13").json()
    linked = dialog.locator(".linked")
    expect(linked).to_have_count(1)
    expect(linked.locator(".chip")).to_have_text("〔工作要点 第13条〕")
    expect(linked.locator(".linked-text")).to_have_text(related["text"])
    page.screenshot(path=artifacts / "clause-desktop.png")

    # "Copy citation": a formal reference with title, section, item number and text.
    dialog.get_by_role("button", name="复制引用").click()
    expect(dialog.locator(".copy-status")).to_have_text("已复制引用")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "《贯彻落实〈济南—临沂对口合作实施方案〉重点任务分工方案》 三、完善基础设施网络 （七）畅通综合交通运输通道 "
        f"第17条：{citation['text']}"
    )

    # The related clause opens in place; Escape closes the dialog.
    linked.get_by_role("button", name="查看此条").click()
    expect(dialog.locator("#clause-title")).to_have_text("工作要点 第13条")
    expect(dialog.locator(".clause-text mark")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert watch.console_errors == []


def test_refusal_looks_different_and_offers_the_nearest_clauses(session) -> None:
    page, _watch = session
    load(page)
    answered, _ = ask(page, "历下区和哪个县结对？")
    exchange, data = ask(page, UNANSWERABLE)
    assert data["answerable"] is False and data["see_also"]
    refusal = exchange.locator(".refusal")
    expect(refusal).to_be_visible()
    expect(exchange.locator(".answer")).to_have_count(0)
    expect(refusal.locator(".badge")).to_have_text("未找到依据")
    expect(refusal.locator(".answer-text")).to_have_text("文件中没有找到相关规定。")
    expect(refusal.get_by_role("heading", name="相关条款")).to_be_visible()
    related = refusal.locator(".related .chip")
    expect(related).to_have_count(len(data["see_also"]))
    expect(related.first).to_have_text(f"〔{data['see_also'][0]['short_name']} 第{data['see_also'][0]['number']}条〕")

    def looks(locator) -> dict:
        return locator.evaluate(
            "e => { const s = getComputedStyle(e);"
            " return {background: s.backgroundColor, border: s.borderLeftStyle + ' ' + s.borderLeftColor}; }"
        )

    answer_look, refusal_look = looks(answered.locator(".answer")), looks(refusal)
    assert answer_look["background"] != refusal_look["background"]
    assert answer_look["border"] != refusal_look["border"]

    related.first.click()
    dialog = page.locator("#clause-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#clause-title")).to_have_text(
        f"{data['see_also'][0]['short_name']} 第{data['see_also'][0]['number']}条"
    )


def test_markup_in_the_question_shows_as_typed_and_never_runs(session) -> None:
    page, watch = session
    page.add_init_script("window.alert = () => { window.__alerted = true; };")
    load(page)
    exchange, data = ask(page, XSS)
    expect(exchange.locator(".msg-user .bubble")).to_have_text(XSS)
    assert data["question"] == XSS
    expect(page.locator("#log img")).to_have_count(0)
    page.wait_for_timeout(300)  # give a stray onerror the time to fire
    assert page.evaluate("window.__alerted === undefined")
    assert watch.dialogs == []


def test_document_text_is_rendered_as_text_not_html(session) -> None:
    """Even if clause data carried markup, the page would show it literally."""
    page, watch = session
    evil = "<img src=x onerror=alert(2)><b>粗</b>"

    def poisoned_answer(route: Route) -> None:
        data = route.fetch().json()
        data["answer"] += f"\n{evil}"
        for citation in data["citations"]:
            citation["section"] = [evil, *citation["section"]]
        route.fulfill(json=data)

    def poisoned_clause(route: Route) -> None:
        data = route.fetch().json()
        data["document"] = evil
        data["text"] = evil + data["text"]
        data["units"] = [evil, *data["units"]]
        data["section"] = [evil]
        route.fulfill(json=data)

    page.route("**/api/ask", poisoned_answer)
    page.route("**/api/clauses/*", poisoned_clause)
    load(page)
    exchange, _ = ask(page, EXAMPLES[2])
    expect(exchange.locator(".answer-text")).to_contain_text(evil)
    dialog = open_chip(page, exchange, "分工方案-17")
    expect(dialog.locator("#clause-document")).to_have_text(f"《{evil}》")
    expect(dialog.locator(".clause-text")).to_contain_text(evil)
    expect(dialog.locator(".breadcrumb")).to_have_text(evil)
    expect(dialog.locator(".unit", has_text=evil)).to_have_count(1)
    expect(page.locator("#log img, #log b, #clause-dialog img, #clause-dialog b")).to_have_count(0)
    assert watch.dialogs == []


# ------------------------------------------------------------------ the composer and the conversation
def test_enter_sends_and_shift_enter_starts_a_new_line(session) -> None:
    page, _watch = session
    load(page)
    box = page.locator("#question")
    box.click()
    page.keyboard.type("中欧班列")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("由哪些部门负责？")
    expect(box).to_have_value("中欧班列\n由哪些部门负责？")
    expect(page.locator("#log .exchange")).to_have_count(0)
    page.keyboard.press("Enter")
    exchange = page.locator("#log .exchange").first
    expect(exchange.locator(".answer")).to_be_visible()
    expect(exchange.locator(".bubble")).to_have_text("中欧班列\n由哪些部门负责？")
    expect(box).to_have_value("")
    # Enter on an empty box sends nothing.
    page.keyboard.press("Enter")
    expect(page.locator("#log .exchange")).to_have_count(1)
    expect(page.locator("#composer-hint")).to_contain_text("请先输入问题")


def test_busy_state_is_visible_while_the_service_answers(session) -> None:
    page, _watch = session
    held: list[Route] = []
    page.route("**/api/ask", lambda route: held.append(route))
    load(page)
    page.locator("#examples .example").first.click()
    pending = page.locator("#log .pending")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("正在查找相关条款")
    expect(page.locator("#send")).to_be_disabled()
    expect(page.locator("#send")).to_have_text("检索中…")
    expect(page.locator("#log")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#welcome")).to_be_hidden()
    page.keyboard.press("Enter")  # a second question is not sent while busy
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#log .answer")).to_be_visible()
    expect(pending).to_have_count(0)
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#send")).to_have_text("发送")
    expect(page.locator("#log")).to_have_attribute("aria-busy", "false")


def test_follow_up_sends_the_conversation_as_history(session) -> None:
    page, _watch = session
    load(page)
    _, first = ask(page, "飞机场有什么建设安排？")
    box = page.locator("#question")
    box.fill("那牵头单位呢？")
    with page.expect_request("**/api/ask") as request_info:
        box.press("Enter")
    sent = json.loads(request_info.value.post_data)
    assert sent["question"] == "那牵头单位呢？"
    assert sent["history"] == [
        {"role": "user", "content": "飞机场有什么建设安排？"},
        {"role": "assistant", "content": first["answer"]},
    ]
    follow_up = page.locator("#log .exchange").nth(1)
    expect(follow_up.locator(".answer")).to_contain_text("牵头单位：济南市交通运输局、临沂市交通运输局")


def test_examples_conversation_kept_and_new_conversation(session) -> None:
    page, _watch = session
    load(page)
    welcome = page.locator("#welcome")
    expect(welcome).to_be_visible()
    page.get_by_role("button", name="每学年选派多少名教师赴临沂支教？").click()
    answer = page.locator("#log .answer")
    expect(answer).to_contain_text("每学年选派20名左右教师")
    expect(welcome).to_be_hidden()
    # The conversation stays on the page across a reload.
    load(page)
    expect(page.locator("#log .exchange")).to_have_count(1)
    expect(page.locator("#log .answer")).to_contain_text("每学年选派20名左右教师")
    expect(welcome).to_be_hidden()
    # The restored chips still open their clause, highlight included.
    page.locator("#log .answer-text .chip").first.click()
    expect(page.locator("#clause-dialog .clause-text mark")).to_contain_text("每学年选派20名左右教师")
    page.locator("#clause-close").click()

    page.get_by_role("button", name="新对话").click()
    expect(page.locator("#log .exchange")).to_have_count(0)
    expect(welcome).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    load(page)
    expect(page.locator("#log .exchange")).to_have_count(0)


def test_error_bodies_are_shown_readably(session) -> None:
    page, _watch = session
    load(page)
    exchange, data = ask(page, "长" * 501)
    assert data["error"]["code"] == "question_too_long"
    failed = exchange.locator(".failed")
    expect(failed).to_contain_text("问题太长了")
    expect(failed.locator(".error-detail")).to_contain_text("422 question_too_long")

    def rate_limited(route: Route) -> None:
        route.fulfill(
            status=429, headers={"Retry-After": "7"},
            json={"error": {"code": "rate_limited", "message": "too many requests"}},
        )

    page.route("**/api/ask", rate_limited)
    exchange, _ = ask(page, "中欧班列由哪些部门负责？")
    expect(exchange.locator(".failed")).to_contain_text("请求过于频繁，请稍后再试。（约 7 秒后可重试）")
    expect(exchange.locator(".error-detail")).to_contain_text("429 rate_limited：too many requests")
    # Failed exchanges are not sent as history.
    page.unroute("**/api/ask")
    box = page.locator("#question")
    box.fill("中欧班列由哪些部门负责？")
    with page.expect_request("**/api/ask") as request_info:
        box.press("Enter")
    assert json.loads(request_info.value.post_data)["history"] == []


def test_api_key_is_asked_for_on_401_stored_and_sent(session) -> None:
    page, _watch = session
    seen: list[str | None] = []

    def guarded(route: Route) -> None:
        auth = route.request.headers.get("authorization")
        seen.append(auth)
        if auth != "Bearer s3cret-key":
            route.fulfill(status=401, json={"error": {"code": "unauthorized", "message": "an API key is required"}})
        else:
            route.continue_()

    page.route(re.compile(r"/api/"), guarded)
    page.goto("/")
    key_dialog = page.locator("#key-dialog")
    expect(key_dialog).to_be_visible()
    page.get_by_label("API 密钥").fill("s3cret-key")
    page.get_by_role("button", name="保存并重试").click()
    expect(key_dialog).to_be_hidden()
    expect(page.locator("#filter-unit optgroup").first).to_be_attached()
    expect(page.locator("#browse-list .clause-link").first).to_be_attached()
    assert page.evaluate("localStorage.getItem('clause-qa-api-key')") == "s3cret-key"
    _, data = ask(page, "中欧班列由哪些部门负责？")
    assert data["answerable"] is True
    assert seen[-1] == "Bearer s3cret-key"
    expect(key_dialog).to_be_hidden()


# ------------------------------------------------------------------ browsing
def test_unit_filter_lists_the_units_clauses_lead_first(session, api) -> None:
    page, watch = session
    load(page)
    units = api.get("/api/units").json()
    expect(page.locator("#filter-unit option:not([value=''])")).to_have_count(len(units))
    unit = next(u for u in units if u["name"] == "济南市教育局")

    page.get_by_label("责任单位", exact=True).select_option("济南市教育局")
    status = page.locator("#browse-status")
    expect(status).to_have_text(f"济南市教育局：共 {unit['total']} 条，其中牵头 {unit['lead']} 条")
    expected = api.get("/api/clauses", params={"unit": "济南市教育局"}).json()["clauses"]
    links = page.locator("#browse-list .clause-link")
    expect(links).to_have_count(unit["total"])
    ids = links.evaluate_all("els => els.map(e => e.dataset.clauseId)")
    assert ids == [c["clause_id"] for c in expected]
    lead_ids = page.locator("#browse-list li.is-lead .clause-link").evaluate_all(
        "els => els.map(e => e.dataset.clauseId)"
    )
    assert lead_ids == ["分工方案-37", "分工方案-40"] == ids[: unit["lead"]]
    expect(page.locator("#browse-list li.is-lead .lead-tag")).to_have_count(2)

    page.get_by_label("文件", exact=True).select_option("工作要点")
    expect(status).to_contain_text("共 3 条")
    ids = links.evaluate_all("els => els.map(e => e.dataset.clauseId)")
    assert ids and all(i.startswith("工作要点-") for i in ids)

    page.get_by_label("责任单位", exact=True).select_option("")
    page.get_by_label("文件", exact=True).select_option("")
    page.get_by_label("条文包含", exact=True).fill("机场")
    wanted = [c["clause_id"] for c in api.get("/api/clauses", params={"q": "机场"}).json()["clauses"]]
    expect(status).to_have_text(f"共 {len(wanted)} 条")
    assert links.evaluate_all("els => els.map(e => e.dataset.clauseId)") == wanted
    assert watch.console_errors == []


def test_browse_by_document_and_section_and_jump_to_a_units_tasks(session, api) -> None:
    page, _watch = session
    load(page)
    everything = api.get("/api/clauses").json()["clauses"]
    expect(page.locator("#browse-status")).to_have_text(f"共 {len(everything)} 条")
    expect(page.locator("#browse-list .doc-title")).to_have_count(2)
    sections = {(c["document"], c["section"][0]) for c in everything}
    expect(page.locator("#browse-list details.section-group")).to_have_count(len(sections))

    group = page.locator("#browse-list details.section-group", has_text="三、完善基础设施网络")
    group.locator("summary").click()
    group.locator('.clause-link[data-clause-id="分工方案-17"]').click()
    dialog = page.locator("#clause-dialog")
    expect(dialog.locator("#clause-title")).to_have_text("分工方案 第17条")
    expect(dialog.locator(".clause-text mark")).to_have_count(0)
    dialog.get_by_role("button", name="下一条 ›").click()
    expect(dialog.locator("#clause-title")).to_have_text("分工方案 第18条")

    # A unit in the clause view shows everything that unit is responsible for.
    dialog.locator(".unit", has_text="济南市口岸物流办").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#filter-unit")).to_have_value("济南市口岸物流办")
    expect(page.locator("#browse-status")).to_contain_text("济南市口岸物流办：共")


# ------------------------------------------------------------------ screenshots and narrow screens
def test_finished_conversation_screenshot_desktop(session, artifacts, docs_screenshot) -> None:
    page, _watch = session
    page.set_viewport_size({"width": 1366, "height": 1900})  # tall enough for the whole conversation
    load(page)
    ask(page, "中欧班列由哪些部门负责？")
    ask(page, UNANSWERABLE)
    ask(page, "每学年选派多少名教师赴临沂支教？")
    page.get_by_label("责任单位", exact=True).select_option("济南市教育局")
    expect(page.locator("#browse-status")).to_contain_text("济南市教育局：共")
    page.locator("#question").blur()
    page.wait_for_timeout(400)  # let the smooth scroll to the last exchange finish
    page.locator("#scroller").evaluate("e => { e.scrollTop = 0; }")  # the picture starts at the first question
    no_horizontal_scroll(page)
    path = artifacts / "conversation-desktop.png"
    page.screenshot(path=path)
    docs_screenshot(path)


def test_phone_width_layout(phone_session, artifacts) -> None:
    page, _watch = phone_session
    load(page)
    expect(page.locator("#browse")).to_be_hidden()  # one view at a time on a phone
    page.screenshot(path=artifacts / "empty-phone.png")
    exchange, _ = ask(page, "飞机场有什么建设安排？")
    ask(page, UNANSWERABLE)
    page.locator("#question").blur()
    page.wait_for_timeout(400)
    no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "conversation-phone.png")

    dialog = open_chip(page, exchange, "分工方案-17")
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(dialog.get_by_role("button", name="复制引用")).to_be_visible()
    page.screenshot(path=artifacts / "clause-phone.png")
    dialog.get_by_role("button", name="关闭").click()

    page.get_by_role("button", name="浏览条款").click()
    expect(page.locator("#browse")).to_be_visible()
    expect(page.locator("#chat")).to_be_hidden()
    page.get_by_label("责任单位", exact=True).select_option("济南市教育局")
    expect(page.locator("#browse-list .clause-link")).to_have_count(8)
    no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "browse-phone.png")
    page.get_by_role("button", name="对话", exact=True).click()
    expect(page.locator("#chat")).to_be_visible()
