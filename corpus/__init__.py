"""Parse task-division documents (any issuer, layout and format) into citable task clauses."""

from corpus.errors import ClauseQAError, CorpusError, UnknownClause, UnknownDocument, UnreadableFile
from corpus.loader import Corpus, load_corpus
from corpus.models import Clause, Document, ParseReport, ParseWarning, SourceFile, Target
from corpus.text import normalise, repair_layout

__all__ = [
    "Clause",
    "ClauseQAError",
    "Corpus",
    "CorpusError",
    "Document",
    "ParseReport",
    "ParseWarning",
    "SourceFile",
    "Target",
    "UnknownClause",
    "UnknownDocument",
    "UnreadableFile",
    "load_corpus",
    "normalise",
    "repair_layout",
]
