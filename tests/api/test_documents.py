"""GET /api/documents and /api/documents/{id}: every document, its notice's facts and its parse report."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient


def test_documents_lists_every_document_with_its_facts(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    assert body["count"] == 2
    assert body["corpus"] == {"title": "济南—临沂对口合作", "places": ["济南市", "临沂市"]}
    plan, points = body["documents"]
    assert plan["document_id"] == "2023分工方案" and points["document_id"] == "2023工作要点"
    assert plan["title"] == "贯彻落实《济南—临沂对口合作实施方案》重点任务分工方案"
    assert plan["issuers"] == ["济南市人民政府办公厅", "临沂市人民政府办公室"]
    assert (plan["number"], plan["date"], plan["year"]) == ("济政办字〔2023〕28号", "2023-06-29", 2023)
    assert (plan["clause_count"], points["clause_count"]) == (53, 43)
    assert plan["source"] == {"file": "jinan-linyi-2023.txt", "format": "txt"}
    assert (plan["unit_label"], points["unit_label"]) == ("分工负责", "责任单位")
    report = plan["report"]
    assert report["items"] == 53 and report["items_without_responsibility"] == 0 and report["warnings"] == []
    assert report["title_source"] == "document" and report["layout"] == "outline"
    assert body["unreadable"] == []


def test_one_document_by_id_title_or_short_name(client: TestClient) -> None:
    by_id = client.get(f"/api/documents/{quote('2023工作要点')}")
    assert by_id.status_code == 200 and by_id.json()["clause_count"] == 43
    by_short = client.get(f"/api/documents/{quote('工作要点')}").json()
    assert by_short["document_id"] == "2023工作要点"


def test_an_unknown_document_is_a_404_naming_the_known_ones(client: TestClient) -> None:
    response = client.get(f"/api/documents/{quote('2030分工方案')}")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_document" and "2023分工方案" in error["message"]


def test_clauses_carry_their_document_kind_and_location(client: TestClient) -> None:
    clause = client.get(f"/api/clauses/{quote('2023分工方案-18')}").json()
    assert clause["document_id"] == "2023分工方案" and clause["kind"] == "task" and clause["ordinal"] == "18"
    assert clause["marker"] == "〔2023分工方案第18条〕" and clause["unit_label"] == "分工负责"
    assert clause["location"]["line"] > 0 and clause["location"]["text"].startswith("第")
    passage = client.get(f"/api/clauses/{quote('2023工作要点-p1')}").json()
    assert passage["kind"] == "passage" and passage["marker"] == "〔2023工作要点·说明1〕"


def test_units_carry_their_group_and_spelling_variants(client: TestClient) -> None:
    units = {u["name"]: u for u in client.get("/api/units").json()}
    mall = units["临沂商城管委会"]
    assert mall["group"] == "临沂市" and "临沂商场管委会" in mall["probable_typos"]
    assert units["济南市教育局"]["group"] == "济南市" and units["济南市教育局"]["total"] == 8
