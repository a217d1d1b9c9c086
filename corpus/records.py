"""The records of a parsed plan under its id: the Document, its task clauses and its passage clauses.

The parser finds items and passages as spans of the text the parser reads; here they become citable
clauses of the file as written: repaired wording with the source offset of every character, the note
split from the wording, targets (quantities, frequencies, deadlines), the location in the original.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from corpus.ids import ordinals
from corpus.items import Item, Passage
from corpus.models import Clause, Document, Field, ParseReport, Target
from corpus.parser import ParsedDocument
from corpus.targets import find_targets
from corpus.text import Repaired, repair_layout
from corpus.textmodel import TextModel

_SENTENCE_ENDS = ("。", "；", "！", "？", ".", ";")


def build_records(
    parsed: ParsedDocument, model: TextModel, document_id: str
) -> tuple[Document, list[Clause], list[Clause]]:
    """The document record and its task and passage clauses, under ``document_id``."""
    tasks: list[Clause] = []
    for item, ordinal in zip(parsed.items, ordinals([i.path for i in parsed.items]), strict=True):
        tasks.append(_task(parsed, model, document_id, item, ordinal))
    passages = [_passage(parsed, model, document_id, p, n) for n, p in enumerate(parsed.passages, start=1)]
    labels = Counter(c.unit_label for c in tasks if c.unit_label)
    report = ParseReport(
        items=len(tasks),
        items_without_responsibility=sum(1 for c in tasks if not (c.units or c.leaders)),
        passages=len(passages),
        title_source=parsed.title_source,  # type: ignore[arg-type]
        layout=parsed.layout,
        warnings=parsed.warnings,
    )
    document = Document(
        document_id=document_id,
        title=parsed.title,
        short_name=parsed.short_name,
        source=model.name,
        format=model.format,
        issuers=parsed.header.issuers,
        places=parsed.places,
        number=parsed.header.number,
        date=parsed.header.date,
        year=parsed.year,
        title_start=parsed.title_start,
        title_end=parsed.title_end,
        clause_ids=tuple(c.clause_id for c in tasks),
        passage_ids=tuple(c.clause_id for c in passages),
        unit_label=labels.most_common(1)[0][0] if labels else "责任单位",
        report=report,
    )
    return document, tasks, passages


def _joined(
    model: TextModel, spans: Sequence[tuple[int, int]], skips: Sequence[tuple[int, int]] = ()
) -> Repaired:
    texts, offsets = [], []
    for start, end in spans:
        repaired = repair_layout(model.text[start:end], base=start, skip=skips)
        texts.append(repaired.text)
        offsets.extend(repaired.offsets)
    return Repaired("".join(texts), tuple(offsets))


def _task(parsed: ParsedDocument, model: TextModel, document_id: str, item: Item, ordinal: str) -> Clause:
    repaired = _joined(model, [(p.start, p.end) for p in item.pieces], item.skips)
    text, offsets = repaired.text, repaired.offsets
    detail = _joined(model, [(p.start, p.end) for p in item.detail], item.skips)
    if text and detail.text:
        # "城区中小学扩容工程。新建…": the row's name, then what it commits to, as two sentences.  The full
        # stop stands for the cell border after the name (a tab, a line break, a "|").
        stop = "" if text.endswith(_SENTENCE_ENDS) or detail.offsets[0] <= offsets[-1] + 1 else "。"
        text, offsets = text + stop + detail.text, offsets + (offsets[-1] + 1,) * len(stop) + detail.offsets
    body_end = len(text)
    if item.note_start is not None:
        body_end = next((i for i, o in enumerate(offsets) if o >= item.note_start), len(text))
        while body_end > 0 and text[body_end - 1] == " ":
            body_end -= 1
    responsibility = item.responsibility
    if item.note_start is not None:
        raw = text[body_end:].strip()
    else:
        raw = "；".join(
            part
            for part in (
                f"牵头单位：{'、'.join(responsibility.lead_units)}" if responsibility.lead_units else "",
                f"{responsibility.unit_label or '责任单位'}："
                f"{'、'.join(u for u in responsibility.units if u not in responsibility.lead_units)}"
                if set(responsibility.units) - set(responsibility.lead_units)
                else "",
                f"责任领导：{'、'.join(responsibility.leaders)}" if responsibility.leaders else "",
                f"完成时限：{'、'.join(responsibility.deadlines)}" if responsibility.deadlines else "",
            )
            if part
        )
    # Targets are what the task's wording commits to: not figures in its note (a progress report there).
    wording = text[:body_end] if item.note_start is not None else text
    targets = list(find_targets(wording, offsets=offsets[: len(wording)]))
    for value in dict.fromkeys(responsibility.deadlines):
        if not any(value in t.text or t.text in value for t in targets if t.kind == "deadline"):
            at = text.find(value, body_end if item.note_start is not None else 0)
            if at >= 0:
                targets.append(
                    Target(
                        value, at, at + len(value), "deadline", offsets[at], offsets[at + len(value) - 1] + 1
                    )
                )
    for pieces in item.cell_deadlines:
        value = "".join(repair_layout(model.text[p.start : p.end]).text for p in pieces)
        targets.append(Target(value, None, None, "deadline", pieces[0].start, pieces[-1].end))
    return Clause(
        clause_id=f"{document_id}-{ordinal}",
        document_id=document_id,
        document=parsed.title,
        short_name=parsed.short_name,
        kind="task",
        number=item.number,
        ordinal=ordinal,
        section=item.section,
        text=text,
        start=offsets[0] if offsets else item.pieces[0].start,
        end=(offsets[-1] + 1) if offsets else item.pieces[-1].end,
        source=model.name,
        offsets=offsets,
        body_end=body_end if item.note_start is not None else -1,
        location=model.locate(item.pieces[0].start),
        responsibility_raw=raw,
        lead_units=responsibility.lead_units,
        units=responsibility.units,
        open_units=responsibility.open_units,
        leaders=responsibility.leaders,
        unit_label=responsibility.unit_label,
        targets=tuple(sorted(targets, key=lambda t: (t.source_start, t.kind))),
        fields=tuple(Field(*field) for field in item.fields),
    )


def _passage(
    parsed: ParsedDocument, model: TextModel, document_id: str, passage: Passage, number: int
) -> Clause:
    repaired = repair_layout(model.text[passage.start : passage.end], base=passage.start)
    return Clause(
        clause_id=f"{document_id}-p{number}",
        document_id=document_id,
        document=parsed.title,
        short_name=parsed.short_name,
        kind="passage",
        number=0,
        ordinal=f"p{number}",
        section=passage.section,
        text=repaired.text,
        start=passage.start,
        end=passage.end,
        source=model.name,
        offsets=repaired.offsets,
        location=model.locate(passage.start),
        targets=find_targets(repaired.text, offsets=repaired.offsets),
    )
