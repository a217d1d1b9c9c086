"""The place a notice's issuer or a plan's title names (corpus/header.py)."""

from __future__ import annotations

import pytest

from corpus.header import place_of


@pytest.mark.parametrize(("name", "place"), [
    ("济南市人民政府办公厅", "济南市"),
    ("鞍山市某某区人民政府", "某某区"),  # the last of a chain of places
    ("山东省济南市历下区人民政府", "历下区"),
    ("东关街道办事处", "东关街道"),
    ("禾阳县创建省级文明城市第三轮督查问题整改清单", "禾阳县"),  # a chain only descends: 创建省 is no place
    ("有关区县人民政府", None),
])
def test_the_place_a_body_or_a_title_names(name: str, place: str | None) -> None:
    assert place_of(name) == place
