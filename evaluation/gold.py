"""The gold question set: its JSON Lines format, a loader and a validator.

The format is documented in ``evaluation/README.md``; users bring their own
file for their own documents.  The work is split in two on purpose:

* ``load_gold`` checks the *shape* of each line (valid JSON, the required
  fields present, each of the right JSON type) and stops at the first broken
  line, naming the file and line, because nothing after it can be trusted.
* ``validate_gold`` checks the *values* against a corpus (known clause ids,
  keywords really in the gold clauses, allowed labels, no duplicates...) and
  returns every problem at once, so a whole file can be fixed in one pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import ClauseQAError
from corpus.loader import Corpus
from corpus.numbering import classify
from corpus.text import normalise

DEFAULT_GOLD = Path(__file__).with_name("gold.jsonl")

QUESTION_TYPES = (
    "responsibility",
    "target",
    "pairing",
    "which-task",
    "multi-clause",
    "unit-list",
    "section-list",
    "follow-up",
    "unanswerable",
)
# "synonym" is a paraphrase in everyday words instead of the documents' terms (老师 for 教师):
# kept apart so the answer layer's handling of vocabulary it has not seen is measured on its own.
STYLES = ("paraphrase", "synonym", "keyword", "near-verbatim")
SPLITS = ("dev", "test")
MAX_KEYWORDS = 4

_TEXT_FIELDS = ("id", "question", "type", "style", "split")
_LIST_FIELDS = ("gold", "keywords")
_OPTIONAL_LIST_FIELDS = ("history", "units")


class GoldFormatError(ClauseQAError, ValueError):
    """A gold file cannot be read; the message names the file and, when known, the line."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class GoldQuestion:
    """One labelled question: what staff ask and the clauses that answer it."""

    id: str
    question: str
    gold: tuple[str, ...]  # every clause id that answers it; () for unanswerable
    keywords: tuple[str, ...]  # spans an answer must contain, verbatim in a gold clause
    type: str  # one of QUESTION_TYPES
    style: str  # one of STYLES
    split: str  # one of SPLITS
    history: tuple[str, ...] = ()  # earlier user turns, for follow-up questions
    units: tuple[str, ...] = ()  # units the answer must name / the unit-list question asks about

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def _parse_record(data: Any) -> GoldQuestion:
    """A GoldQuestion from one decoded line; ValueError says which field is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")  # noqa: TRY004 - a data error
    known = set(_TEXT_FIELDS + _LIST_FIELDS + _OPTIONAL_LIST_FIELDS)
    unknown = sorted(set(data) - known)
    if unknown:  # a misspelt optional field ("unit") would otherwise be silently ignored
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    fields: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        if name not in data:
            raise ValueError(f"missing field {name!r}")
        if not isinstance(data[name], str):
            raise ValueError(f"field {name!r} must be a string")  # noqa: TRY004 - a data error
        fields[name] = data[name]
    for name in _LIST_FIELDS + _OPTIONAL_LIST_FIELDS:
        if name not in data:
            if name in _LIST_FIELDS:
                raise ValueError(f"missing field {name!r}")
            continue
        value = data[name]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"field {name!r} must be a list of strings")
        fields[name] = tuple(value)
    return GoldQuestion(**fields)


def load_gold(path: Path | str) -> list[GoldQuestion]:
    """Read a gold JSON Lines file (UTF-8, one object per line, blank lines ignored)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GoldFormatError(str(path), None, "no such file") from None
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise GoldFormatError(str(path), None, problem) from exc
    questions: list[GoldQuestion] = []
    # Split on "\n" only: str.splitlines() would also break at U+2028, which
    # json.dumps(ensure_ascii=False) leaves unescaped inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON: {exc.msg} (column {exc.colno})"
            raise GoldFormatError(str(path), number, problem) from exc
        try:
            questions.append(_parse_record(data))
        except ValueError as exc:
            raise GoldFormatError(str(path), number, str(exc)) from exc
    return questions


def _label_problems(q: GoldQuestion) -> Iterator[str]:
    labels = (("type", q.type, QUESTION_TYPES), ("style", q.style, STYLES), ("split", q.split, SPLITS))
    for field, value, allowed in labels:
        if value not in allowed:
            yield f"{field} {value!r} is not one of {', '.join(allowed)}"
    if not q.question.strip():
        yield "empty question"
    if q.type == "follow-up" and not q.history:
        yield "follow-up question without history"
    if q.type != "follow-up" and q.history:
        yield f"history given but type is {q.type!r}, not 'follow-up'"


def _gold_problems(q: GoldQuestion, corpus: Corpus) -> Iterator[str]:
    for clause_id in q.gold:
        if clause_id not in corpus:
            yield f"unknown clause id {clause_id!r}"
    if len(set(q.gold)) != len(q.gold):
        yield "a clause id is listed twice in gold"
    if q.answerable:
        if not q.gold:
            yield f"answerable ({q.type}) question with no gold clauses"
        if not 1 <= len(q.keywords) <= MAX_KEYWORDS:
            yield f"needs 1 to {MAX_KEYWORDS} keywords, has {len(q.keywords)}"
    else:
        if q.gold:
            yield "unanswerable question with gold clauses"
        if q.keywords:
            yield "unanswerable question with keywords"
    texts = [normalise(corpus.clause(cid).text) for cid in q.gold if cid in corpus]
    for keyword in q.keywords:
        form = normalise(keyword)
        if not form:
            yield "empty keyword"
        elif texts and not any(form in text for text in texts):
            yield f"keyword {keyword!r} is not verbatim in any of its gold clauses"


def _directory_names(unit: str, corpus: Corpus) -> list[str]:
    """The unit directory's names for a unit as clauses print it: a name several places' plans use
    (县住建局) is listed once per place (县住建局（澜屿县）), each clause keeping the printed name."""
    return [key for key, entry in corpus.units.items() if unit in (key, entry.written)]


def _unit_problems(q: GoldQuestion, corpus: Corpus) -> Iterator[str]:
    responsible = {u for cid in q.gold if cid in corpus for u in corpus.clause(cid).units}
    for unit in q.units:
        if not _directory_names(unit, corpus):
            yield f"unit {unit!r} is not a responsible unit in the corpus"
        elif unit not in responsible:
            yield f"unit {unit!r} is responsible for none of its gold clauses"
    if q.type == "unit-list":
        if not q.units:
            yield "unit-list question without the units it asks about"
            return
        # The gold of "what does X do" is everything X leads or shares: no more, no less.
        expected = {clause.clause_id for unit in q.units for name in _directory_names(unit, corpus)
                    for clause in corpus.for_unit(name)}
        missing, extra = sorted(expected - set(q.gold)), sorted(set(q.gold) - expected)
        if missing or extra:
            yield (
                "unit-list gold must be every clause its units lead or share"
                f" (missing: {', '.join(missing) or '-'}; extra: {', '.join(extra) or '-'})"
            )


def _heading_title(heading: str) -> str:
    """A heading's words without its number or closing stop: "（十）培育发展绿色产品。" → "培育发展绿色产品"."""
    numbered = classify(heading)
    title = heading[numbered.body_offset :] if numbered else heading
    return normalise(title).rstrip("。.")


def _sections(corpus: Corpus) -> dict[str, dict[str, set[str]]]:
    """Heading title → document → the ids of the task clauses under that heading."""
    sections: dict[str, dict[str, set[str]]] = {}
    for clause in corpus.clauses:
        if not clause.is_task:
            continue
        for heading in clause.section:
            title = _heading_title(heading)
            if title:
                sections.setdefault(title, {}).setdefault(clause.document, set()).add(clause.clause_id)
    return sections


def _section_problems(q: GoldQuestion, sections: dict[str, dict[str, set[str]]]) -> Iterator[str]:
    """A section-list question that names a heading holds every clause of that section.

    The same heading may recur in another year's plan; the gold must then cover the
    section of at least one document (the question may name the year; we do not guess).
    """
    if q.type != "section-list":
        return
    asked, gold = normalise(q.question), set(q.gold)
    for title, by_document in sections.items():
        if title not in asked:
            continue
        missing = min((sorted(ids - gold) for ids in by_document.values()), key=len)
        if missing:
            yield (f"section-list gold must hold every clause of section {title!r}"
                   f" (missing: {', '.join(missing)})")


def validate_gold(questions: Sequence[GoldQuestion], corpus: Corpus) -> list[str]:
    """Every problem of a gold set, as "id: problem" lines; [] when it is sound."""
    problems: list[str] = []
    sections = _sections(corpus)
    ids: set[str] = set()
    asked: dict[tuple[str, ...], str] = {}
    for q in questions:
        if q.id in ids:
            problems.append(f"{q.id}: duplicate id")
        ids.add(q.id)
        # A follow-up is the same question only in the same conversation.
        key = (*(normalise(turn) for turn in q.history), normalise(q.question))
        if key in asked:
            problems.append(f"{q.id}: duplicate of question {asked[key]}")
        asked.setdefault(key, q.id)
        checks = (*_label_problems(q), *_gold_problems(q, corpus), *_unit_problems(q, corpus),
                  *_section_problems(q, sections))
        for problem in checks:
            problems.append(f"{q.id}: {problem}")
    return problems
