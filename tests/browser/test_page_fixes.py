"""Issue 14's page fixes, each as staff met it in Chromium: the "null" under a clause, the filters a
unit link kept, what was hard-coded for one corpus, the document's own word for shared units, and
accessibility (focus ring contrast, chip size on phones, a unit dropdown that cut its text)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

NO_NULL_TEXT = """b => [...b.querySelectorAll('*'), b].flatMap(e => [...e.childNodes])
    .filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim() === 'null').length"""


def _no_null(dialog) -> None:
    assert dialog.locator("#clause-body").evaluate(NO_NULL_TEXT) == 0
    assert "null" not in dialog.locator("#clause-body").inner_text()


def test_the_viewer_without_highlights_prints_no_null(session, ui, seed) -> None:
    page, _watch = session
    ui.load(page)
    plan = seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")
    group = page.locator("#browse-list details.section-group", has_text="三、完善基础设施网络")
    group.locator("summary").click()
    group.locator(f'.clause-link[data-clause-id="{plan["clause_id"]}"]').click()
    dialog = page.locator("#clause-dialog")
    expect(dialog.locator("#clause-title")).to_have_text(ui.label(plan))
    expect(dialog.locator(".legend")).to_have_count(0)  # no highlights, so no legend: and no "null" in its place
    _no_null(dialog)
    for button, neighbour in (("下一条 ›", 1), ("‹ 上一条", 0)):
        dialog.get_by_role("button", name=button).click()
        expect(dialog.locator("#clause-title")).to_have_text(ui.label(seed.clauses[seed.clauses.index(plan) + neighbour]))
        _no_null(dialog)


def test_a_units_full_list_clears_the_other_filters(session, ui, seed, documents) -> None:
    page, _watch = session
    ui.load(page)
    points = next(d for d in documents["documents"] if "工作要点" in d["title"])
    page.get_by_label("文件", exact=True).select_option(points["document_id"])
    page.get_by_label("条文包含", exact=True).fill("教育")
    status = page.locator("#browse-status")
    expect(status).not_to_have_text(f"共 {len(seed.clauses)} 条")
    shown = next(c for c in seed.clauses if c["clause_id"].startswith(points["document_id"] + "-")
                 and "教育" in c["text"] and "济南市教育局" in c["units"])
    page.locator(f'#browse-list .clause-link[data-clause-id="{shown["clause_id"]}"]').click()
    dialog = page.locator("#clause-dialog")
    dialog.locator(".unit", has_text="济南市教育局").click()
    unit = seed.unit("济南市教育局")
    expect(status).to_have_text(f"济南市教育局：共 {unit['total']} 条，其中牵头 {unit['lead']} 条")
    expect(page.locator("#browse-list .clause-link")).to_have_count(unit["total"])
    expect(page.locator("#filter-document")).to_have_value("")
    expect(page.locator("#filter-q")).to_have_value("")


def test_title_document_filter_and_unit_groups_come_from_the_documents(session, ui, seed, documents) -> None:
    page, _watch = session
    ui.load(page)
    title = f"{documents['corpus']['title']} 条款问答"
    expect(page).to_have_title(title)
    expect(page.locator("h1")).to_have_text(title)
    options = page.locator("#filter-document option")
    expect(options).to_have_text(["全部文件", *(d["title"] for d in documents["documents"])])
    groups = page.locator("#filter-unit optgroup").evaluate_all("gs => gs.map(g => g.label)")
    places = documents["corpus"]["places"]
    assert groups[: len(places)] == places and set(groups) <= {*places, "其他"}
    for place in places:
        members = page.locator(f'#filter-unit optgroup[label="{place}"] option').evaluate_all("os => os.map(o => o.value)")
        assert members and all(name.startswith(place) for name in members)


def test_a_different_corpus_renames_the_page(session, ui, documents) -> None:
    """Nothing about the seed is written in the page: other documents, another title and other groups."""
    page, _watch = session
    other = json.loads(json.dumps(documents))
    other["corpus"] = {"title": "甲乙两区协作", "places": ["甲区"]}
    other["documents"][0]["title"] = "甲乙两区协作要点"

    def answer(route: Route) -> None:
        route.fulfill(json=other)

    page.route("**/api/documents", answer)
    ui.load(page)
    expect(page).to_have_title("甲乙两区协作 条款问答")
    expect(page.locator("#filter-document option").nth(1)).to_have_text("甲乙两区协作要点")
    # No unit starts with 甲区: one group says nothing, so the options stand alone.
    expect(page.locator("#filter-unit optgroup")).to_have_count(0)


def test_shared_tasks_are_named_in_each_documents_own_word(session, ui, seed, documents) -> None:
    page, _watch = session
    ui.load(page)
    page.get_by_label("责任单位", exact=True).select_option("济南市教育局")
    unit = seed.unit("济南市教育局")
    by_document = {d["document_id"]: d["unit_label"] for d in documents["documents"]}
    shared: dict[str, int] = {}
    for clause in seed.clauses:
        if "济南市教育局" in clause["units"] and "济南市教育局" not in clause["lead_units"]:
            label = clause.get("unit_label") or by_document[clause["clause_id"].rsplit("-", 1)[0]]
            shared[label] = shared.get(label, 0) + 1
    assert len(shared) == 2  # the seed: 分工负责 in the division plan, 责任单位 in the work points
    expect(page.locator("#browse-list .role-title")).to_have_text(
        [f"牵头的任务（{unit['lead']}）", *(f"参与（{label}）的任务（{n}）" for label, n in shared.items())]
    )


def _luminance(rgb: str) -> float:
    parts = [int(x) / 255 for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


RING = """e => {
    let back = e.parentElement;
    while (back && ['rgba(0, 0, 0, 0)', 'transparent'].includes(getComputedStyle(back).backgroundColor)) {
        back = back.parentElement;
    }
    const s = getComputedStyle(e);
    return {ring: s.outlineColor, style: s.outlineStyle, width: parseFloat(s.outlineWidth),
            behind: back ? getComputedStyle(back).backgroundColor : 'rgb(255, 255, 255)'};
}"""


def test_the_focus_ring_stands_out_at_three_to_one(session, ui) -> None:
    page, _watch = session
    ui.load(page)
    ui.ask(page, "飞机场有什么建设安排？")
    targets = ["#question", "#send", "#new-chat", "#filter-unit", "#browse-list summary >> nth=0",
               ".answer-text .chip >> nth=0", ".vote-up >> nth=0"]
    for target in targets:
        locator = page.locator(target)
        locator.focus()
        page.keyboard.press("Shift")  # keyboard use: :focus-visible applies
        look = locator.evaluate(RING)
        assert look["style"] == "solid" and look["width"] >= 2, (target, look)
        assert _contrast(look["ring"], look["behind"]) >= 3, (target, look)


def test_citation_chips_are_at_least_32_px_tall_on_a_phone(phone_session, ui) -> None:
    page, _watch = phone_session
    ui.load(page)
    exchange, _ = ui.ask(page, "飞机场有什么建设安排？")
    # The chips on screen: one inside a closed part of the exchange has no box to tap.
    heights = exchange.locator(".chip").evaluate_all(
        "cs => cs.filter(c => c.getClientRects().length).map(c => c.getBoundingClientRect().height)")
    assert heights and min(heights) >= 32, heights


FITS = """s => {
    const style = getComputedStyle(s);
    const canvas = document.createElement('canvas').getContext('2d');
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;  // the arrow
    return [...s.options].filter(o => canvas.measureText(o.text).width > room).map(o => o.text);
}"""


@pytest.mark.parametrize("where", ["session", "phone_session"])
def test_the_unit_dropdown_shows_every_name_whole(request, ui, where: str) -> None:
    page: Page = request.getfixturevalue(where)[0]
    ui.load(page)
    if where == "phone_session":
        page.get_by_role("button", name="浏览条款").click()
    assert page.locator("#filter-unit").evaluate(FITS) == []


def test_markers_of_any_document_id_and_dotted_ordinals_become_chips(session, ui, seed) -> None:
    """〔2023分工方案第18条〕, 〔2024工作要点第2.3条〕 and 〔2023分工方案·说明3〕 are markers; the 〔2023〕 of a
    文号 is not."""
    page, _watch = session
    base = seed.clause("济南遥墙国际机场二期改扩建、临沂启阳机场")
    cited = [
        {**base, "clause_id": "2023分工方案-18", "marker": "〔2023分工方案第18条〕", "highlights": [[0, 4]],
         "score": 1.0, "ranks": {"keyword": 1, "dense": 1}},
        {**base, "clause_id": "2024工作要点-2.3", "marker": "〔2024工作要点第2.3条〕", "ordinal": "2.3",
         "highlights": [], "score": 0.9, "ranks": {"keyword": 2, "dense": 2}},
        {**base, "clause_id": "2023分工方案-p3", "marker": "〔2023分工方案·说明3〕", "kind": "passage",
         "highlights": [], "score": 0.8, "ranks": {"keyword": 3, "dense": 3}},
    ]
    answer = ("依据济发〔2023〕12号：\n〔2023分工方案第18条〕第一句。\n〔2024工作要点第2.3条〕第二句。〔某文件第9条〕"
              "\n〔2023分工方案·说明3〕第三句。")

    def fake(route: Route) -> None:
        route.fulfill(json={
            "question": "测试", "answer": answer, "answerable": True, "question_type": "topic",
            "citations": cited, "see_also": [], "support": 1.0, "generated": False, "timings_ms": {},
        })

    page.route("**/api/ask", fake)
    ui.load(page)
    exchange, _ = ui.ask(page, "测试")
    chips = exchange.locator(".answer-text .chip")
    expect(chips).to_have_text(["〔2023分工方案 第18条〕", "〔2024工作要点 第2.3条〕", "〔2023分工方案 说明3〕"])
    expect(exchange.locator(".answer-text .marker")).to_have_text(["〔某文件第9条〕"])  # cited nowhere: not a chip
    expect(exchange.locator(".answer-text")).to_contain_text("依据济发〔2023〕12号：")
    chips.nth(1).hover()
    expect(page.locator("#clause-preview strong")).to_have_text("2024工作要点 第2.3条")
