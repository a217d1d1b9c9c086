"""Load every document of the corpus folders into one searchable Corpus.

Every file the readers know is loaded; a file that cannot be read at all is named in
``Corpus.unreadable`` and the rest still load.  Documents get their ids here, because ids must be
unique across the whole corpus: next year's plan beside this year's, two districts' plans side by side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from corpus import lexicon
from corpus.errors import CorpusError, UnknownClause, UnknownDocument, UnreadableFile
from corpus.ids import aliases, document_ids
from corpus.models import MARKER, Clause, Document, SourceFile
from corpus.parser import ParsedFile, parse_model
from corpus.readers import SUFFIXES, read_file
from corpus.records import build_records
from corpus.related import link_related
from corpus.units import UnitEntry, merge_spellings, unit_directory


@dataclass(frozen=True)
class Corpus:
    files: tuple[SourceFile, ...]
    clauses: tuple[Clause, ...]  # the tasks, in corpus order
    passages: tuple[Clause, ...] = ()  # text outside the items: citable, searchable, not tasks
    unreadable: tuple[UnreadableFile, ...] = ()  # files that could not be read, each with its problem
    variants: dict[tuple[str | None, str], set[str]] = field(default_factory=dict, repr=False, compare=False)
    typos: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(
        default_factory=dict
    )  # a plain document id qualification replaced → its id
    _by_id: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _documents: dict[str, Document] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.clause_id: c for c in (*self.clauses, *self.passages)})
        object.__setattr__(self, "_documents", {d.document_id: d for f in self.files for d in f.documents})

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(self._documents.values())

    @property
    def citable(self) -> tuple[Clause, ...]:
        """Tasks and passages: everything a search may find and an answer may cite."""
        return self.clauses + self.passages

    @cached_property
    def units(self) -> dict[str, UnitEntry]:
        return unit_directory(self.clauses, self.group_of, self.variants, set(self.typos))

    def group_of(self, clause: Clause, unit: str) -> str | None:
        """The place a unit of a clause belongs to (see corpus.units)."""
        return unit_group(self._documents[clause.document_id].places, unit)

    @property
    def fingerprint(self) -> str:
        """sha256 over the names and contents of every corpus file."""
        digest = hashlib.sha256()
        for source in self.files:
            digest.update(f"{source.name}\0{source.sha256}\n".encode())
        return digest.hexdigest()

    @cached_property
    def title(self) -> str:
        """What the documents are about, for the page's heading: their titles' longest common part."""
        titles = [d.title for d in self.documents]
        if len(titles) == 1:
            return titles[0]
        common = _common_run(titles)
        return common if len(common) >= 4 else ""

    @property
    def places(self) -> tuple[str, ...]:
        """Every issuer place, in document order: the page groups units by them."""
        return tuple(dict.fromkeys(p for d in self.documents for p in d.places))

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id, or with the id it had before its document's id was qualified."""
        found = self._by_id.get(clause_id) or self._by_id.get(self._unaliased(clause_id))
        if found is None:
            raise UnknownClause(clause_id)
        return found

    def _unaliased(self, clause_id: str) -> str:
        document, _, ordinal = clause_id.rpartition("-")
        return f"{self.aliases[document]}-{ordinal}" if document in self.aliases else clause_id

    def __contains__(self, clause_id: object) -> bool:
        return isinstance(clause_id, str) and (
            clause_id in self._by_id or self._unaliased(clause_id) in self._by_id
        )

    def document(self, name: str) -> Document:
        """The document with this id, full title or short name (a short name must be unambiguous)."""
        if name in self._documents:
            return self._documents[name]
        if name in self.aliases:
            return self._documents[self.aliases[name]]
        matching = [d for d in self.documents if name in (d.title, d.short_name)]
        if len(matching) == 1:
            return matching[0]
        raise UnknownDocument(name, [d.document_id for d in self.documents])

    def select(self, units: Iterable[str] | None = None, document: str | None = None) -> list[Clause]:
        """Tasks of a document (id, title or short name; unknown raises) and of units, in document order.

        With ``units`` (directory names, see ``units``), only the tasks one of them leads or shares, the
        led ones first.
        """
        chosen = list(self.clauses)
        if document is not None:
            wanted = self.document(document).document_id
            chosen = [c for c in chosen if c.document_id == wanted]
        if units is None:
            return chosen
        units = tuple(units)
        led, tasks = self.tasks_of(units, lead_only=True), self.tasks_of(units)
        lead = [c for c in chosen if c.clause_id in led]
        return lead + [c for c in chosen if c.clause_id in tasks and c.clause_id not in led]

    def tasks_of(self, units: Iterable[str], lead_only: bool = False) -> frozenset[str]:
        """Ids of the tasks these units (directory names, see ``units``) lead, or lead or share.

        Compare a question's units with clauses here, not with ``Clause.units``: those are as printed, and a
        name several places use (区民政局) is one directory entry per place (区民政局（鹭汀区）).
        """
        entries = [self.units[u] for u in units if u in self.units]
        return frozenset(cid for e in entries for cid in (e.lead if lead_only else e.clause_ids))

    def for_unit(self, unit: str) -> list[Clause]:
        """Every task the unit leads or shares, lead ones first; [] for an unknown unit."""
        return self.select((unit,))

    def neighbours(self, clause_id: str) -> tuple[str | None, str | None]:
        """Ids of the previous and next clause of the same kind in the same document."""
        clause = self.clause(clause_id)
        document = self._documents[clause.document_id]
        siblings = document.clause_ids if clause.is_task else document.passage_ids
        index = siblings.index(clause_id)
        before = siblings[index - 1] if index > 0 else None
        after = siblings[index + 1] if index + 1 < len(siblings) else None
        return before, after

    def resolve_marker(self, text: str) -> list[str]:
        """Clause ids named by the 〔…第N条〕 markers in ``text``, in order, without repeats.

        A marker naming a document by a shorter name than its id (〔分工方案第18条〕, as older answers
        wrote it) resolves when exactly one document fits; markers that name nothing are skipped.
        """
        found: list[str] = []
        for name, ordinal, passage in MARKER.findall(text):
            suffix = ordinal if ordinal else f"p{passage}"
            candidates = [self._unaliased(f"{name}-{suffix}")]
            if candidates[0] not in self._by_id:
                fitting = [
                    d.document_id
                    for d in self.documents
                    if d.document_id.endswith(name) or d.short_name == name
                ]
                candidates = [f"{d}-{suffix}" for d in fitting] if len(fitting) == 1 else []
            found.extend(c for c in candidates if c in self._by_id)
        return list(dict.fromkeys(found))


def unit_group(places: Sequence[str], unit: str) -> str | None:
    """The issuer place a unit's name starts with or names, else the document's one place."""
    for place in places:
        if unit.startswith((place, lexicon.place_core(place))):
            return place
    for place in places:
        if lexicon.place_core(place) in unit:
            return place
    if len(places) == 1 and not any(unit.startswith(p) for p in ("中国", "国家", "省")):
        return places[0]
    return None


def _common_run(titles: Sequence[str]) -> str:
    """The longest run of Han characters (and dashes) found in every title."""
    first = titles[0]
    best = ""
    for start in range(len(first)):
        for end in range(len(first), start + len(best), -1):
            piece = first[start:end]
            if all(piece in t for t in titles[1:]):
                best = piece
                break
    return best.strip(" 《》〈〉")


def corpus_files(directories: Sequence[Path]) -> list[tuple[str, Path]]:
    """(name, path) of every readable-looking file of the folders; names are unique in the corpus."""
    found: list[tuple[str, Path]] = []
    for index, directory in enumerate(directories):
        for path in sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
            name = path.name if index == 0 else f"{directory.name}/{path.name}"
            found.append((name, path))
    return found


def load_corpus(*directories: Path) -> Corpus:
    """Parse every document of the folders (the first is the corpus, others e.g. the upload folder)."""
    if not directories:
        raise CorpusError("corpus", None, "no corpus folder given")
    if not directories[0].is_dir():
        raise CorpusError(str(directories[0]), None, "the corpus folder does not exist")
    present = [d for d in directories if d.is_dir()]
    parsed: list[ParsedFile] = []
    unreadable: list[UnreadableFile] = []
    for name, path in corpus_files(present):
        try:
            model = read_file(path)
        except UnreadableFile as exc:
            unreadable.append(UnreadableFile(name, exc.problem))
            continue
        except OSError as exc:
            unreadable.append(UnreadableFile(name, f"cannot be opened ({exc.strerror})"))
            continue
        if name != model.name:
            model = type(model)(name, model.format, model.text, model.encoding, model.regions)
        parsed.append(parse_model(model))
    if not parsed and not unreadable:
        raise CorpusError(
            str(directories[0]), None, f"no documents ({', '.join(SUFFIXES)}) in the corpus folder"
        )
    return build_corpus(parsed, unreadable)


def build_corpus(parsed: Sequence[ParsedFile], unreadable: Sequence[UnreadableFile] = ()) -> Corpus:
    """Give the parsed documents their ids and link, merge and index their clauses."""
    drafts = [(f, d) for f in parsed for d in f.documents]
    candidates = [(d.year, d.short_name, d.places) for _, d in drafts]
    ids = document_ids(candidates)
    files: dict[str, list[Document]] = {f.model.name: [] for f in parsed}
    tasks: list[Clause] = []
    passages: list[Clause] = []
    for (source, draft), document_id in zip(drafts, ids, strict=True):
        document, its_tasks, its_passages = build_records(draft, source.model, document_id)
        files[source.model.name].append(document)
        tasks.extend(its_tasks)
        passages.extend(its_passages)
    sources = tuple(
        SourceFile(f.model.name, f.sha256, f.model.format, f.model.text, tuple(files[f.model.name]))
        for f in parsed
    )
    places = {d.document_id: d.places for f in sources for d in f.documents}
    merged, variants, typos = merge_spellings(tasks, lambda c, u: unit_group(places[c.document_id], u))
    return Corpus(
        sources,
        tuple(link_related(merged)),
        tuple(passages),
        tuple(unreadable),
        variants,
        frozenset(typos),
        aliases(candidates, ids),
    )
