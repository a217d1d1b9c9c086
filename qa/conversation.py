"""Resolve short follow-ups ("那牵头单位呢？") against the previous turn."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from corpus import lexicon
from corpus.loader import Corpus
from corpus.text import normalise
from qa.markers import marked_ids
from qa.models import REFUSAL, Turn, Words


@dataclass(frozen=True)
class Context:
    """What a follow-up refers to: the previous question and the clauses cited for it."""

    question: str
    clause_ids: tuple[str, ...]


def previous_context(history: Sequence[Turn], corpus: Corpus) -> Context | None:
    """The last user question, as it was answered (``asked``), and the clauses the answer after it cited."""
    question, cited = None, ()
    for index in range(len(history) - 1, -1, -1):
        turn = history[index]
        if turn.role == "user":
            question = asked([t.content for t in history[: index + 1] if t.role == "user"], corpus.places)
            following = history[index + 1] if index + 1 < len(history) else None
            # A refusal's markers name clauses it did *not* rest on: nothing was cited.
            if following is not None and following.role == "assistant" and not following.content.startswith(REFUSAL):
                cited = tuple(marked_ids(following.content, corpus))
            break
    return Context(question, cited) if question else None


def asked(questions: Sequence[str], places: Sequence[str]) -> str:
    """The last of a conversation's user ``questions`` as the service took it: one naming only a place (那青禾区呢？)
    is the question before it asked of that place, that one resolved the same way, so a third place asked after a
    second (那棠溪县呢？) swaps the second's place, not the words 那青禾区呢."""
    resolved = questions[0]
    for question in questions[1:]:
        form = normalise(question).rstrip("？?。.!！ ")
        form = next((form[len(s):] for s in lexicon.FOLLOW_UP_STARTS if form.startswith(s)), form)
        place = next((form[: -len(e)] for e in lexicon.FOLLOW_UP_ENDS if form.endswith(e)), form).removesuffix("的")
        resolved = other_place(place, resolved, places) or question
    return resolved


def new_topic(form: str, subject: str, context: Context, corpus: Corpus, things: Container[str], words: Words) -> bool:
    """Whether a short question read as a follow-up names a thing of its own: a word of its ``subject`` among the
    documents' ``things`` (their nouns and names, places left out), that neither the previous question nor the clauses its
    answer cited contain (民宿有什么安排？ after a unit's list; not 完成 of 什么时候完成, a verb).  One that opens or
    ends like a follow-up (那…, …呢) continues the last turn whatever it names."""
    question = form.rstrip("？?。.!！ ")
    if question.startswith(lexicon.FOLLOW_UP_STARTS) or question.endswith(lexicon.FOLLOW_UP_ENDS):
        return False
    before = normalise(context.question) + "\n" + "\n".join(
        normalise(corpus.clause(cid).text) for cid in context.clause_ids)
    for piece in subject.split():
        for start, end in words(piece):
            word = piece[start:end]
            if word in things and word not in before:
                return True
    return False


def other_place(topic: str, previous: str, places: Sequence[str]) -> str | None:
    """The previous question asked of another place, when a follow-up names only a place ("临沂的呢？"
    after "济南市教育局负责哪些任务？" → "临沂市教育局负责哪些任务？"); None otherwise."""
    names = {lexicon.place_core(normalise(p)): normalise(p) for p in places}
    asked = normalise(topic).replace(" ", "")
    new = next((short for short, full in names.items() if asked in (short, full)), None)
    before = normalise(previous)
    old = [short for short in names if short != new and short in before]
    if new is None or len(old) != 1 or new in before:
        return None
    full = names[old[0]]
    at = before.find(full)
    # Named in full (鹭汀区住建局): the other place in full (澜屿县住建局); not when the suffix character starts
    # the unit's own name (济南市场监管局: 市场监管局).
    if at >= 0 and before[at + len(full) : at + len(full) + 1] not in lexicon.OWN_NAME_AFTER_CITY:
        return before.replace(full, names[new])
    return before.replace(old[0], new)
