"""Resolve short follow-ups ("那牵头单位呢？") against the previous turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corpus.loader import Corpus
from qa.markers import marked_ids
from qa.models import REFUSAL, Turn


@dataclass(frozen=True)
class Context:
    """What a follow-up refers to: the previous question and the clauses cited for it."""

    question: str
    clause_ids: tuple[str, ...]


def previous_context(history: Sequence[Turn], corpus: Corpus) -> Context | None:
    """The last user question and the clauses the answer after it cited."""
    question, cited = None, ()
    for index in range(len(history) - 1, -1, -1):
        turn = history[index]
        if turn.role == "user":
            question = turn.content
            following = history[index + 1] if index + 1 < len(history) else None
            # A refusal's markers name clauses it did *not* rest on: nothing was cited.
            if following is not None and following.role == "assistant" and not following.content.startswith(REFUSAL):
                cited = tuple(marked_ids(following.content, corpus))
            break
    return Context(question, cited) if question else None
