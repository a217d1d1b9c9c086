"""The chat page (issue #5), driven in headless Chromium against the real service.

Clauses are found by what they say (``seed.clause("机场二期改扩建")``), not by id: ids change with the
corpus (2023分工方案-17 → 2023分工方案-17), the wording of the seed does not.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Route, expect

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
UNANSWERABLE = "明天天气怎么样？"
NEAR_MISS = "中欧班列的补贴标准是多少？"  # refused, but near some clauses
AIRPORT = "飞机场有什么建设安排？"
TEACHERS = "每学年选派多少名教师赴临沂支教？"
RAILWAY = "中欧班列由哪些部门负责？"


# ------------------------------------------------------------------ the page itself
def test_page_is_served_whole_by_the_service_and_keeps_to_a_strict_csp(session, ui, api, seed) -> None:
    page, watch = session
    ui.load(page)
    expect(page).to_have_title(re.compile("条款问答"))
    expect(page.get_by_label("您的问题")).to_be_visible()
    # The examples are made from the documents: the unit with the most tasks comes first.
    busiest = max(seed.units, key=lambda u: u["total"])["name"]
    examples = page.locator("#examples .example")
    expect(examples.first).to_have_text(f"{busiest}负责哪些任务？")
    assert 2 <= examples.count() <= 4
    expect(page.locator("#question")).to_have_attribute("placeholder", f"请输入您的问题，例如：{busiest}负责哪些任务？")
    expect(page.locator("#health")).to_contain_text(f"{api.get('/healthz').json()['clauses']} 条条款")
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in watch.requests}
    assert {"/", "/static/app.js", "/static/style.css", "/api/units", "/api/documents", "/healthz"} <= paths
    assert watch.console_errors == []
    # What a Content-Security-Policy of script-src/style-src 'self' forbids, in the live DOM.
    ui.ask(page, RAILWAY)
    page.locator("#log .answer-text .chip").first.hover()
    expect(page.locator("#clause-preview")).to_be_visible()
    inline = page.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => !s.src).length,
            styles: document.querySelectorAll('style, [style]').length,
            handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
                .filter(a => a.name.startsWith('on')).length,
        })"""
    )
    assert inline == {"scripts": 0, "styles": 0, "handlers": 0}


def test_every_example_gets_an_answer(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    first, *others = page.locator("#examples .example").all_inner_texts()
    page.get_by_role("button", name=first, exact=True).click()  # an example is asked when clicked
    expect(page.locator("#log .exchange .answer")).to_be_visible()
    expect(page.locator("#welcome")).to_be_hidden()
    for example in others:
        _, data = ui.ask(page, example)
        assert data["answerable"], example


def test_page_works_under_a_strict_content_security_policy(session, ui, seed) -> None:
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
    ui.load(page)
    exchange, _ = ui.ask(page, AIRPORT)
    ui.open_chip(page, exchange, seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")["clause_id"])
    expect(page.locator("#clause-dialog .linked-text").first).to_be_visible()
    assert page.evaluate("window.__violations") == []


# ------------------------------------------------------------------ answers and citations
def test_answer_shows_chips_and_a_chip_opens_the_clause_in_context(session, ui, api, seed, artifacts) -> None:
    page, watch = session
    ui.load(page)
    exchange, data = ui.ask(page, AIRPORT)
    assert data["answerable"] is True
    answer = exchange.locator(".answer")
    expect(answer).to_be_visible()
    expect(exchange.locator(".refusal")).to_have_count(0)
    expect(answer.locator(".badge")).to_have_text("回答")
    chips = answer.locator(".answer-text .chip")
    expect(chips).to_have_count(len(data["citations"]))
    plan = seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")
    expect(answer.locator(f'.answer-text .chip[data-clause-id="{plan["clause_id"]}"]')).to_have_text(ui.chip(plan))

    citation = next(c for c in data["citations"] if c["clause_id"] == plan["clause_id"])
    dialog = ui.open_chip(page, exchange, plan["clause_id"])
    expect(dialog.locator("#clause-document")).to_have_text(f"《{plan['document']}》")
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(plan))
    expect(dialog.locator(".breadcrumb li")).to_have_text(["三、完善基础设施网络", "（七）畅通综合交通运输通道"])
    expect(dialog.locator(".clause-text")).to_have_text(citation["text"])
    expect(dialog.locator(".clause-text mark")).to_have_text(
        [citation["text"][start:end] for start, end in citation["highlights"]]
    )
    expect(dialog.locator(".legend")).to_be_visible()
    # Responsible units, lead ones first and marked.
    expect(dialog.locator(".unit-lead")).to_have_text([f"牵头{u}" for u in plan["lead_units"]])
    expect(dialog.locator(".unit:not(.unit-lead)", has_text="临沂国际机场有限公司")).to_have_count(1)
    # The related clause in the other attachment.
    related = api.get(f"/api/clauses/{plan['related'][0]}").json()
    linked = dialog.locator(".linked")
    expect(linked).to_have_count(len(plan["related"]))
    expect(linked.locator(".chip").first).to_have_text(ui.chip(related))
    expect(linked.locator(".linked-text").first).to_have_text(related["text"])
    page.screenshot(path=artifacts / "clause-desktop.png")

    # "Copy citation": a formal reference with title, section, item number and text.
    dialog.get_by_role("button", name="复制引用").click()
    expect(dialog.locator(".copy-status")).to_have_text("已复制引用")
    title = plan["document"].replace("《", "〈").replace("》", "〉")
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"《{title}》 三、完善基础设施网络 （七）畅通综合交通运输通道 {ui.position(plan)}：{citation['text']}"
    )

    # The related clause opens in place; Escape closes the dialog.
    linked.first.get_by_role("button", name="查看此条").click()
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(related))
    expect(dialog.locator(".clause-text mark")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert watch.console_errors == []


def test_refusal_looks_different_and_offers_the_nearest_clauses(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    answered, _ = ui.ask(page, "历下区和哪个县结对？")
    exchange, data = ui.ask(page, NEAR_MISS)
    assert data["answerable"] is False and data["see_also"]
    refusal = exchange.locator(".refusal")
    expect(refusal).to_be_visible()
    expect(exchange.locator(".answer")).to_have_count(0)
    expect(refusal.locator(".badge")).to_have_text("未找到依据")
    # The sentence, without the trailing list of markers: the same clauses are listed below it.
    expect(refusal.locator(".answer-text")).to_have_text(data["answer"].split("以下条款可能相关：")[0].strip())
    assert refusal.locator(".answer-text .chip").count() == 0
    expect(refusal.get_by_role("heading", name="相关条款")).to_be_visible()
    related = refusal.locator(".related .chip")
    expect(related).to_have_count(len(data["see_also"]))
    expect(related.first).to_have_text(ui.chip(data["see_also"][0]))

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
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(data["see_also"][0]))


def test_markup_in_the_question_shows_as_typed_and_never_runs(session, ui) -> None:
    page, watch = session
    page.add_init_script("window.alert = () => { window.__alerted = true; };")
    ui.load(page)
    exchange, data = ui.ask(page, XSS)
    expect(exchange.locator(".msg-user .bubble")).to_have_text(XSS)
    assert data["question"] == XSS
    expect(page.locator("#log img")).to_have_count(0)
    page.wait_for_timeout(300)  # give a stray onerror the time to fire
    assert page.evaluate("window.__alerted === undefined")
    assert watch.dialogs == []


def test_document_text_is_rendered_as_text_not_html(session, ui, seed) -> None:
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
    ui.load(page)
    exchange, _ = ui.ask(page, AIRPORT)
    expect(exchange.locator(".answer-text")).to_contain_text(evil)
    dialog = ui.open_chip(page, exchange, seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")["clause_id"])
    expect(dialog.locator("#clause-document")).to_have_text(f"《{evil}》")
    expect(dialog.locator(".clause-text")).to_contain_text(evil)
    expect(dialog.locator(".breadcrumb")).to_have_text(evil)
    expect(dialog.locator(".unit", has_text=evil)).to_have_count(1)
    expect(page.locator("#log img, #log b, #clause-dialog img, #clause-dialog b")).to_have_count(0)
    assert watch.dialogs == []


# ------------------------------------------------------------------ the composer and the conversation
def test_enter_sends_and_shift_enter_starts_a_new_line(session, ui) -> None:
    page, _watch = session
    ui.load(page)
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


def test_busy_state_is_visible_while_the_service_answers(session, ui) -> None:
    page, _watch = session
    held: list[Route] = []
    page.route("**/api/ask", lambda route: held.append(route))
    ui.load(page)
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


def test_follow_up_sends_the_conversation_as_history(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    _, first = ui.ask(page, AIRPORT)
    box = page.locator("#question")
    box.fill("那牵头单位呢？")
    with page.expect_request("**/api/ask") as request_info:
        box.press("Enter")
    sent = json.loads(request_info.value.post_data)
    assert sent["question"] == "那牵头单位呢？"
    assert sent["history"] == [
        {"role": "user", "content": AIRPORT},
        {"role": "assistant", "content": first["answer"]},
    ]
    follow_up = page.locator("#log .exchange").nth(1)
    expect(follow_up.locator(".answer")).to_contain_text("牵头单位：济南市交通运输局、临沂市交通运输局")


def test_conversation_is_kept_across_a_reload(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    welcome = page.locator("#welcome")
    expect(welcome).to_be_visible()
    ui.ask(page, TEACHERS)
    answer = page.locator("#log .answer")
    expect(answer).to_contain_text("每学年选派20名左右教师")
    expect(welcome).to_be_hidden()
    ui.load(page)
    expect(page.locator("#log .exchange")).to_have_count(1)
    expect(page.locator("#log .answer")).to_contain_text("每学年选派20名左右教师")
    expect(welcome).to_be_hidden()
    # The restored chips still open their clause, highlight included.
    page.locator("#log .answer-text .chip").first.click()
    expect(page.locator("#clause-dialog .clause-text mark")).to_contain_text("每学年选派20名左右教师")


def test_error_bodies_are_shown_readably(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    exchange, data = ui.ask(page, "长" * 501)
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
    exchange, _ = ui.ask(page, RAILWAY)
    expect(exchange.locator(".failed")).to_contain_text("请求过于频繁，请稍后再试。（约 7 秒后可重试）")
    expect(exchange.locator(".error-detail")).to_contain_text("429 rate_limited：too many requests")
    # Failed exchanges are not sent as history.
    page.unroute("**/api/ask")
    box = page.locator("#question")
    box.fill(RAILWAY)
    with page.expect_request("**/api/ask") as request_info:
        box.press("Enter")
    assert json.loads(request_info.value.post_data)["history"] == []


def test_api_key_is_asked_for_on_401_stored_and_sent(session, ui) -> None:
    page, _watch = session
    seen: list[str | None] = []

    def guarded(route: Route) -> None:
        auth = route.request.headers.get("authorization")
        seen.append(auth)
        if auth != "Bearer s3cret-key":
            route.fulfill(status=401, json={"error": {"code": "unauthorized", "message": "an API key is required"}})
        else:
            route.fallback()  # on to the context's routes, then the service

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
    _, data = ui.ask(page, RAILWAY)
    assert data["answerable"] is True
    assert seen[-1] == "Bearer s3cret-key"
    expect(key_dialog).to_be_hidden()


# ------------------------------------------------------------------ browsing
def test_unit_filter_lists_the_units_clauses_lead_first(session, ui, api, seed, documents) -> None:
    page, watch = session
    ui.load(page)
    expect(page.locator("#filter-unit option:not([value=''])")).to_have_count(len(seed.units))
    unit = seed.unit("济南市教育局")

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
    assert lead_ids == [c["clause_id"] for c in expected if "济南市教育局" in c["lead_units"]] == ids[: unit["lead"]]
    expect(page.locator("#browse-list li.is-lead .lead-tag")).to_have_count(unit["lead"])

    points = next(d for d in documents["documents"] if "工作要点" in d["title"])
    page.get_by_label("文件", exact=True).select_option(points["document_id"])
    in_points = api.get("/api/clauses", params={"unit": "济南市教育局", "document": points["document_id"]}).json()
    expect(status).to_contain_text(f"共 {in_points['count']} 条")
    ids = links.evaluate_all("els => els.map(e => e.dataset.clauseId)")
    assert ids == [c["clause_id"] for c in in_points["clauses"]]

    page.get_by_label("责任单位", exact=True).select_option("")
    page.get_by_label("文件", exact=True).select_option("")
    page.get_by_label("条文包含", exact=True).fill("机场")
    wanted = [c["clause_id"] for c in api.get("/api/clauses", params={"q": "机场"}).json()["clauses"]]
    expect(status).to_have_text(f"共 {len(wanted)} 条")
    assert links.evaluate_all("els => els.map(e => e.dataset.clauseId)") == wanted
    assert watch.console_errors == []


def test_browse_by_document_and_section_and_jump_to_a_units_tasks(session, ui, seed, documents) -> None:
    page, _watch = session
    ui.load(page)
    expect(page.locator("#browse-status")).to_have_text(f"共 {len(seed.clauses)} 条")
    expect(page.locator("#browse-list .doc-title")).to_have_count(documents["count"])
    sections = {(c["document"], c["section"][0]) for c in seed.clauses}
    expect(page.locator("#browse-list details.section-group")).to_have_count(len(sections))

    plan = seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")
    group = page.locator("#browse-list details.section-group", has_text="三、完善基础设施网络")
    group.locator("summary").click()
    group.locator(f'.clause-link[data-clause-id="{plan["clause_id"]}"]').click()
    dialog = page.locator("#clause-dialog")
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(plan))
    expect(dialog.locator(".clause-text mark")).to_have_count(0)
    following = seed.clauses[seed.clauses.index(plan) + 1]
    dialog.get_by_role("button", name="下一条 ›").click()
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(following))

    # A unit in the clause view shows everything that unit is responsible for.
    unit = following["units"][-1]
    dialog.locator(".unit", has_text=unit).click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#filter-unit")).to_have_value(unit)
    expect(page.locator("#browse-status")).to_have_text(
        f"{unit}：共 {seed.unit(unit)['total']} 条，其中牵头 {seed.unit(unit)['lead']} 条"
    )


# ------------------------------------------------------------------ screenshots and narrow screens
def test_finished_conversation_screenshot_desktop(session, ui, artifacts, docs_screenshot) -> None:
    page, _watch = session
    page.set_viewport_size({"width": 1366, "height": 1900})  # tall enough for the whole conversation
    ui.load(page)
    ui.ask(page, RAILWAY)
    ui.ask(page, NEAR_MISS)
    exchange, _ = ui.ask(page, TEACHERS)
    exchange.locator(".vote-up").click()
    exchange.get_by_role("button", name="提交反馈").click()
    expect(exchange.locator(".feedback-status")).to_contain_text("已记录")
    page.get_by_label("责任单位", exact=True).select_option("济南市教育局")
    expect(page.locator("#browse-status")).to_contain_text("济南市教育局：共")
    page.locator("#question").blur()
    page.wait_for_timeout(400)  # let the smooth scroll to the last exchange finish
    page.locator("#scroller").evaluate("e => { e.scrollTop = 0; }")  # the picture starts at the first question
    page.locator("#log .answer-text .chip").first.hover()
    expect(page.locator("#clause-preview")).to_be_visible()
    ui.no_horizontal_scroll(page)
    path = artifacts / "conversation-desktop.png"
    page.screenshot(path=path)
    docs_screenshot(path)


def test_phone_width_layout(phone_session, ui, seed, artifacts) -> None:
    page, _watch = phone_session
    ui.load(page)
    expect(page.locator("#browse")).to_be_hidden()  # one view at a time on a phone
    page.screenshot(path=artifacts / "empty-phone.png")
    exchange, _ = ui.ask(page, AIRPORT)
    ui.ask(page, UNANSWERABLE)
    page.locator("#question").blur()
    page.wait_for_timeout(400)
    ui.no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "conversation-phone.png")

    dialog = ui.open_chip(page, exchange, seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")["clause_id"])
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(dialog.get_by_role("button", name="复制引用")).to_be_visible()
    page.screenshot(path=artifacts / "clause-phone.png")
    dialog.get_by_role("button", name="关闭").click()

    page.get_by_role("button", name="浏览条款").click()
    expect(page.locator("#browse")).to_be_visible()
    expect(page.locator("#chat")).to_be_hidden()
    page.get_by_label("责任单位", exact=True).select_option("济南市教育局")
    expect(page.locator("#browse-list .clause-link")).to_have_count(seed.unit("济南市教育局")["total"])
    ui.no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "browse-phone.png")
    page.get_by_role("button", name="对话", exact=True).click()
    expect(page.locator("#chat")).to_be_visible()
