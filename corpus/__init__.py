"""Parse policy documents into citable task clauses."""

from corpus.errors import BrokenNumbering, ClauseQAError, CorpusError, UnknownClause
from corpus.loader import Corpus, load_corpus
from corpus.models import Clause, Document, SourceFile, Target
from corpus.text import normalise, repair_layout

__all__ = [
    "BrokenNumbering",
    "Clause",
    "ClauseQAError",
    "Corpus",
    "CorpusError",
    "Document",
    "SourceFile",
    "Target",
    "UnknownClause",
    "load_corpus",
    "normalise",
    "repair_layout",
]
