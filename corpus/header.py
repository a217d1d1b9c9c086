"""What a notice says about the plans it wraps: who issued them, their 文号, their date, their titles.

Task-division plans are published inside a notice: the issuers (often two or more bodies), a 文号, a
notice title ("关于印发…的通知"), the addressees, a paragraph or numbered paragraphs, the signature and
date, then the plans, each with its own title.  Nothing here knows one corpus: issuers and places are
read from the lines, with the vocabulary of ``corpus.lexicon``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus import lexicon
from corpus.lines import Kind, Line

_ISSUER = re.compile(
    rf"^(?:中共|中国共产党)?[\u4e00-\u9fff]{{1,24}}?(?:{'|'.join(lexicon.ISSUER_SUFFIXES)})$"
)
_DEPARTMENT = re.compile(rf"^[\u4e00-\u9fff]{{2,24}}?(?:{'|'.join(lexicon.DEPARTMENT_SUFFIXES)})$")
_PLACE_CHAIN = re.compile(
    rf"^(?:中共|中国共产党)?((?:[\u4e00-\u9fff]{{1,8}}?(?:{'|'.join(lexicon.PLACE_SUFFIXES)}))+)"
)
_ONE_PLACE = re.compile(rf"[\u4e00-\u9fff]{{1,8}}?(?:{'|'.join(lexicon.PLACE_SUFFIXES)})")
_SUFFIX_LEVELS = sorted(lexicon.PLACE_LEVELS.items(), key=lambda item: -len(item[0]))  # 自治县 before 县
_QUOTED = re.compile(r"《([^《》]{4,80})》")
_INNER_QUOTED = re.compile(r"〈([^〈〉]{4,80})〉")
_WHOLE_QUOTE = re.compile(r"^《(.+)》$")
_MIN_TITLE = 6


@dataclass(frozen=True)
class Header:
    """The notice's facts, where printed."""

    issuers: tuple[str, ...] = ()
    number: str | None = None
    date: str | None = None
    notice_title: str | None = None
    first_unit_leads: bool = False  # "列第一位的责任单位为牵头单位": a rule for every plan it wraps
    meta_places: tuple[str, ...] = ()  # from a web page's 发布机构: for issuers printed without their place

    @property
    def places(self) -> tuple[str, ...]:
        found = tuple(dict.fromkeys(p for p in (place_of(i) for i in self.issuers) if p))
        return found or self.meta_places

    def quoted_title(self) -> str | None:
        """The plan's title as the notice quotes it: 关于印发《X》的通知 → X (〈X〉 inside a quoted title)."""
        if not self.notice_title:
            return None
        title = unquoted(self.notice_title)
        quoted = _QUOTED.findall(title) or _INNER_QUOTED.findall(title)
        if quoted:
            return quoted[0]
        match = re.search(r"印发(.{4,80}?)的?通知$", title)
        return match.group(1) if match else None


def place_of(name: str) -> str | None:
    """The place a body governs: 济南市人民政府办公厅 → 济南市, 鞍山市某某区人民政府 → 某某区."""
    match = _PLACE_CHAIN.match(name)
    if not match:
        return None
    chain = _ONE_PLACE.findall(match.group(1))
    for at in range(1, len(chain)):  # 禾阳县 + 创建省…: the chain ends where a level goes up
        if _level(chain[at]) < _level(chain[at - 1]):
            chain = chain[:at]
            break
    place = chain[-1] if chain else None
    if place is None or place.startswith(lexicon.NOT_PLACES):
        return None
    return place


def _level(place: str) -> int:
    return next(level for suffix, level in _SUFFIX_LEVELS if place.endswith(suffix))


def issuers_of(text: str) -> tuple[str, ...]:
    """The issuing bodies a line names when the line is nothing but their names."""
    pieces = [p for p in re.split(r"[\s\u3000、]+", text.strip()) if p]
    if pieces and all(_ISSUER.match(p) for p in pieces):
        return tuple(pieces)
    return ()


def byline(text: str) -> tuple[tuple[str, ...], str | None] | None:
    """Issuers and date of a line that holds nothing else ("梅岗县人民政府办公室　2023年3月20日")."""
    pieces = [p for p in re.split(r"[\s\u3000]+", text.strip()) if p]
    issuers: list[str] = []
    date = None
    for piece in _merge_dates(pieces):
        match = lexicon.DATE.fullmatch(piece)
        if match:
            year, month, day = (int(g) for g in match.groups())
            date = f"{year:04d}-{month:02d}-{day:02d}"
        elif _ISSUER.match(piece):
            issuers.append(piece)
        else:
            return None
    return (tuple(issuers), date) if issuers or date else None


def _merge_dates(pieces: list[str]) -> list[str]:
    """ "2023 年 6 月 29 日" split at its spaces is one date."""
    joined = " ".join(pieces)
    for match in lexicon.DATE.finditer(joined):
        joined = joined.replace(match.group(), re.sub(r"\s", "", match.group()))
    return joined.split(" ")


def is_metadata(line: Line) -> bool:
    """A line that says who issued the plan or when, or is a notice's end matter: not prose."""
    text = line.text
    return bool(
        byline(line.content)
        or lexicon.END_MATTER.search(text)
        or lexicon.META_LINE.match(text)
        or lexicon.META_DATE.match(text)  # "时间:2023-07-11 17:01 浏览次数: 信息来源: 丽水市政府"
        or (lexicon.DOCUMENT_NUMBER.search(text) and len(text) < 30)
    )


def unquoted(text: str) -> str:
    """A title without the book-title brackets an archive page prints around it, or a 文号 before it."""
    text = lexicon.DOCUMENT_NUMBER.sub("", text, count=1) if text.find("《") > 0 else text
    match = _WHOLE_QUOTE.match(text.strip())
    return match.group(1) if match else text


def is_notice_title(text: str) -> bool:
    text = unquoted(text)
    return (
        len(text) <= 160
        and text.endswith(lexicon.NOTICE_TITLE_ENDINGS)
        and ("关于" in text or "印发" in text)
    )


def issuer_of_title(title: str) -> str | None:
    """The body before 关于 in a title that names its issuer: "某某省人民政府关于…的实施意见"."""
    before = unquoted(title).split("关于")[0]
    return before if before != unquoted(title) and _ISSUER.match(before) else None


def is_plan_title(text: str) -> bool:
    """A plan's title: "…重点任务分工方案", "…2023年工作要点", "…任务分解表（2024年）"."""
    core = lexicon.TITLE_TAIL_END.sub("", text).rstrip()
    return (
        len(core) >= _MIN_TITLE
        and core.endswith(lexicon.PLAN_TITLE_ENDINGS)
        and not is_notice_title(text)
        and "印发" not in text
        and not issuers_of(text)
    )


def read_header(lines: Sequence[Line]) -> Header:
    """The header facts of the lines before a file's first plan (the notice)."""
    issuers: list[str] = []
    number = date = notice_title = None
    first_leads = False
    meta_places: list[str] = []
    meta_issuers: list[str] = []  # a web page's 发布机构: the issuer when the notice prints none
    meta_date = None
    for position, line in enumerate(lines):
        text = line.text
        meta = lexicon.META_ISSUER.search(text)
        if meta and place_of(meta.group("issuer")):
            meta_places.append(place_of(meta.group("issuer")))  # type: ignore[arg-type]
        if meta and (_ISSUER.match(meta.group("issuer")) or _DEPARTMENT.match(meta.group("issuer"))):
            meta_issuers.append(meta.group("issuer"))
        stamp = lexicon.META_DATE.search(text)
        printed = stamp and (lexicon.DATE.match(text, stamp.end()) or lexicon.ISO_DATE.match(text, stamp.end()))
        if printed:  # 发文日期：2024年02月20日 / 发文日期 | 2022-07-14 / 时间:2023-07-11 17:01
            year, month, day = (int(g) for g in printed.groups())
            meta_date = meta_date or f"{year:04d}-{month:02d}-{day:02d}"
        if number is None and lexicon.META_NUMBER.search(text) and lexicon.DOCUMENT_NUMBER.search(text):
            number = re.sub(r"\s", "", lexicon.DOCUMENT_NUMBER.search(text).group())  # type: ignore[union-attr]
            continue
        following = lines[position + 1] if position + 1 < len(lines) else None
        if _DEPARTMENT.match(line.content.strip()) and following is not None and following.date:
            issuers.append(line.content.strip())  # a department's signature above the date
            continue
        first_leads = first_leads or bool(lexicon.FIRST_UNIT_LEADS.search(text))
        if line.kind not in (Kind.TEXT, Kind.CELLS, Kind.NUMBERED):
            continue
        found = byline(line.content)
        if found:
            issuers.extend(found[0])
            date = date or found[1]
            continue
        if number is None:
            match = lexicon.DOCUMENT_NUMBER.search(text)
            if match and len(text) <= len(match.group()) + 12:
                number = re.sub(r"\s", "", match.group())
                continue
        if date is None and line.date:
            date = line.date
            continue
        if notice_title is None and is_notice_title(text):
            notice_title = unquoted(text)
            issuer = issuer_of_title(text)
            if issuer:
                issuers.append(issuer)
            if number is None and lexicon.DOCUMENT_NUMBER.search(text):
                number = re.sub(r"\s", "", lexicon.DOCUMENT_NUMBER.search(text).group())  # type: ignore[union-attr]
    return Header(tuple(dict.fromkeys(issuers or meta_issuers)), number, date or meta_date, notice_title, first_leads,
                  tuple(meta_places))


def title_place(title: str) -> str | None:
    """The place a title starts with ("青禾区2024年…"), for plans printed without their notice."""
    return place_of(title)
