"""Staff votes as gold-set candidates: what `clause-qa feedback export` writes.

A vote says whether an answer helped, not which clauses should have answered, so only some votes make a
gold line without a person:

* every vote on the question (same wording, same conversation) is up, and all of them saw the same
  clauses: the gold is those clauses (a refusal voted up is an ``unanswerable`` question);
* anything else — a down vote, votes that disagree, no keyword found, a line the validator rejects, a
  question the existing gold set already has — goes to the review list with the reason and the notes.

What the vote cannot say is guessed and must be checked before the line joins a gold set: the ``type``
(from the answer's question type, ``follow-up`` with history), the ``style`` (always ``paraphrase``), the
``keywords`` (the longest run of a gold clause the accepted answer quotes, cut at punctuation) and the
``split`` (that of an existing question with the same gold clauses, so no fact straddles the splits;
otherwise the one asked for).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from corpus.loader import Corpus
from corpus.text import normalise
from corpus.unit_matcher import UnitMatcher
from evaluation.gold import MAX_KEYWORDS, GoldQuestion, validate_gold
from qa.feedback import StoredFeedback

KEYWORD_CHARS = (2, 20)  # shortest and longest keyword, in normalised characters
_TYPES = {"responsibility": "responsibility", "target": "target", "unit_list": "unit-list"}
_MARKER = re.compile(r"〔[^〔〕]*〕")
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Review:
    """A question whose votes need a person before they can be gold."""

    question: str
    history: tuple[str, ...]
    reason: str
    feedback_ids: tuple[int, ...]
    up: int
    down: int
    notes: tuple[str, ...]
    cited: tuple[tuple[str, ...], ...] = field(default=())  # each distinct set of clauses the voters saw

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cited"] = [list(c) for c in self.cited]
        return data


def gold_line(question: GoldQuestion) -> dict[str, Any]:
    """A gold question as one JSON object of the gold format, fields in the documented order."""
    return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(question).items()}


def keyword(answer: str, clause_text: str) -> str | None:
    """The longest run of the clause the answer quotes, cut at punctuation and to KEYWORD_CHARS; or None."""
    said, text = normalise(_MARKER.sub(" ", answer)), normalise(clause_text)
    match = SequenceMatcher(None, said, text, autojunk=False).find_longest_match(0, len(said), 0, len(text))
    pieces = _NOT_WORD.split(text[match.b : match.b + match.size])
    best = max(pieces, key=len, default="")
    shortest, longest = KEYWORD_CHARS
    return best[:longest] if len(best) >= shortest else None


def _type(question_type: str, history: tuple[str, ...], answerable: bool, cited: int) -> str:
    if not answerable:
        return "unanswerable"
    if history:
        return "follow-up"
    return _TYPES.get(question_type, "multi-clause" if cited > 1 else "which-task")


def _candidate(votes: list[StoredFeedback], corpus: Corpus, matcher: UnitMatcher, splits: dict, split: str
               ) -> GoldQuestion | str:
    """The gold line of a question's up votes, or why there is none."""
    first = votes[0].feedback
    gold = first.citations
    keywords: list[str] = []
    for clause_id in gold[:MAX_KEYWORDS] if first.answerable else ():
        if clause_id not in corpus:
            return f"clause {clause_id} is not in the documents any more"
        found = keyword(first.answer, corpus.clause(clause_id).text)
        if found and found not in keywords:
            keywords.append(found)
    if first.answerable and not keywords:
        return "the answer quotes no run of its clauses to use as a keyword"
    kind = _type(first.question_type, first.history, first.answerable, len(gold))
    units = matcher.resolve(first.question) if kind == "unit-list" else ()
    return GoldQuestion(
        id=f"fb{votes[0].id}", question=first.question, gold=gold, keywords=tuple(keywords), type=kind,
        style="paraphrase", split=splits.get(frozenset(gold), split) if gold else split,
        history=first.history, units=tuple(units),
    )


def candidates(
    votes: Sequence[StoredFeedback], corpus: Corpus, existing: Sequence[GoldQuestion], split: str = "dev"
) -> tuple[list[GoldQuestion], list[Review]]:
    """(gold lines that pass ``validate_gold`` beside ``existing``, questions for a person), in vote order."""
    groups: dict[tuple[str, ...], list[StoredFeedback]] = defaultdict(list)
    for vote in votes:
        f = vote.feedback
        groups[(*(normalise(t) for t in f.history), normalise(f.question))].append(vote)
    # The split of each gold clause set already in the gold file: a new question on the same fact joins it.
    splits = {frozenset(q.gold): q.split for q in existing if q.gold}
    matcher = UnitMatcher(corpus.units, corpus.places)
    accepted: list[GoldQuestion] = []
    review: list[Review] = []

    def refer(group: list[StoredFeedback], reason: str) -> None:
        first = group[0].feedback
        review.append(Review(
            question=first.question, history=first.history, reason=reason,
            feedback_ids=tuple(v.id for v in group),
            up=sum(v.feedback.rating == "up" for v in group), down=sum(v.feedback.rating == "down" for v in group),
            notes=tuple(v.feedback.note for v in group if v.feedback.note),
            cited=tuple(dict.fromkeys(v.feedback.citations for v in group)),
        ))

    for group in groups.values():
        seen = {(v.feedback.answerable, v.feedback.citations) for v in group}
        if any(v.feedback.rating == "down" for v in group):
            refer(group, "voted down: the right clauses (or a refusal) must be labelled by hand")
        elif len(seen) > 1:
            refer(group, "the up votes saw different answers")
        else:
            made = _candidate(group, corpus, matcher, splits, split)
            if isinstance(made, str):
                refer(group, made)
            else:
                accepted.append(made)
    # The validator's verdict, beside the existing set (duplicates of its questions, id clashes).
    problems: dict[str, list[str]] = defaultdict(list)
    for line in validate_gold([*existing, *accepted], corpus):
        qid, _, problem = line.partition(": ")
        problems[qid].append(problem)
    sound = []
    for question in accepted:
        if problems.get(question.id):
            group = groups[(*(normalise(t) for t in question.history), normalise(question.question))]
            refer(group, "; ".join(problems[question.id]))
        else:
            sound.append(question)
    return sound, review
