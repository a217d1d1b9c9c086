"""Every constant of the answer layer, in one file fitted on the dev split (``evaluation/calibrate.py``).

``qa/calibration.json`` holds the judge's logistic model (its feature list, weights and bias), its
thresholds, the question-type classifier's linear model over query embeddings, and the constants of
evidence selection and section matching, stamped with a format version and what they were fitted on.
The test split is never used to fit any of it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from corpus.errors import ClauseQAError

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
VERSION = 4


class CalibrationError(ClauseQAError, ValueError):
    """The calibration file does not have the shape this version of the code reads."""


@dataclass(frozen=True)
class LinearModel:
    """A logistic model: p = 1 / (1 + exp(-(weights · x + bias))), x named by ``features``."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        if len(self.features) != len(self.weights):
            raise CalibrationError(f"{len(self.features)} features but {len(self.weights)} weights")

    def logit(self, values: Mapping[str, float]) -> float:
        return self.bias + sum(w * values.get(f, 0.0) for f, w in zip(self.features, self.weights, strict=True))

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.logit(values)
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


@dataclass(frozen=True)
class JudgeCalibration:
    """Two models: which candidates answer (relevance, per clause) and whether any does (per question)."""

    relevance: LinearModel  # P(the clause answers the question), from its signals
    answerability: LinearModel  # P(the documents answer the question), from the best clause and the question
    answer_threshold: float = 0.5  # answerability below this: refuse
    cite_floor: float = 0.5  # never cite a clause with a relevance below this
    cite_ratio: float = 0.8  # also cite clauses at least this share of the best relevance
    related_ratio: float = 0.4  # the best clause's continuation in another document: this share suffices
    # A clause of another plan more relevant than the named plan's best by this much: the named plan does not
    # say it (今年户厕改造多少户, of this year's plan without it beside last year's with it).  Set, not fitted.
    elsewhere_margin: float = 0.4
    max_citations: int = 4
    candidates: int = 12  # retrieved clauses the judge scores
    # How the fit was checked: grouped cross-validation on dev (log loss, the threshold's out-of-fold false
    # refusals and refusal recall, a reliability table).  Read by people, not by the service.
    cross_validation: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SignalCalibration:
    dense_floor: float = 0.75  # e5 cosines live in [0.75, 0.95]: rescaled to [0, 1] from here
    dense_ceiling: float = 0.95
    agreement_depth: int = 3  # both channels rank the clause within this depth: they agree on it
    max_synonym_group: int = 40  # thesaurus groups larger than this are too loose to be synonyms


@dataclass(frozen=True)
class RetrievalCalibration:
    expansion_weight: float = 0.5  # fusion weight of the synonyms' BM25 list (question words: 2, dense: 1)


@dataclass(frozen=True)
class EvidenceCalibration:
    """Which sentence of a cited clause is quoted: similarity, coverage, the asked fact, not a slogan."""

    sentence_weight: float = 1.0  # weight of the sentence's scaled cosine with the question
    coverage_weight: float = 1.0  # weight of the topic's (synonym-aware) coverage by the sentence
    asked_bonus: float = 0.5  # the sentence states what was asked (a number, a date, a unit)
    headline_chars: int = 14  # a first sentence this short, without a number, is a heading-like slogan
    max_quote_chars: int = 90  # longer sentences are narrowed to the comma-separated parts that answer
    whole_body_chars: int = 70  # a task this short is quoted whole rather than one of its sentences
    # A section or kind list opens with one line naming each item by its key phrase, within this budget.
    overview_chars: int = 96
    overview_min_chars: int = 6
    overview_max_chars: int = 24
    overview_items: int = 12  # longer lists get no overview line


@dataclass(frozen=True)
class SectionCalibration:
    heading_coverage: float = 0.8  # share of the topic a section heading must contain to be named
    heading_min_chars: int = 2  # topic characters a heading match needs
    kind_min_chars: int = 3  # a "kind of thing" phrase is at least this long
    kind_min_clauses: int = 2  # and stated by at least this many clauses
    # "要打造的品牌有哪些": a shorter kind, the question's last word (its head noun), lists the tasks that state it
    # when it is rare enough to name a kind (品牌), not a common word of the plan (合作, 建设)
    head_max_share: float = 0.15
    # "<heading>谁牵头" asks who leads each of the section's tasks when the question names the heading word for
    # word and at least this share of it (优势产业集群 of 做强优势产业集群; not 革命文物 of a heading on two things)
    lead_heading_share: float = 0.6


@dataclass(frozen=True)
class ClassifierCalibration:
    """Multinomial logistic model over [query embedding, rule cues]; only valid for its embedder."""

    embedder: str
    classes: tuple[str, ...]
    cues: tuple[str, ...]  # names of the rule-cue features appended to the embedding
    weights: tuple[tuple[float, ...], ...]  # one row per class: embedding weights, then cue weights
    bias: tuple[float, ...]
    examples: int = 0  # how many labelled questions it was fitted on

    def __post_init__(self) -> None:
        if len(self.weights) != len(self.classes) or len(self.bias) != len(self.classes):
            raise CalibrationError(f"{len(self.classes)} classes but {len(self.weights)} weight rows")
        # The matrix form, for one matrix-vector product per question (not a field: never saved).
        object.__setattr__(self, "_matrix", np.asarray(self.weights, dtype=np.float32))
        object.__setattr__(self, "_bias", np.asarray(self.bias, dtype=np.float32))

    def logits(self, vector: np.ndarray, cues: Mapping[str, float]) -> np.ndarray:
        x = np.concatenate([vector.astype(np.float32), np.array([cues.get(c, 0.0) for c in self.cues], np.float32)])
        return self._matrix @ x + self._bias  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RefusalCalibration:
    min_cjk_chars: int = 2  # fewer Chinese characters than this: not a question the documents can answer
    see_also: int = 5  # related clauses a refusal names at most


@dataclass(frozen=True)
class Calibration:
    judge: JudgeCalibration
    signals: SignalCalibration = field(default_factory=SignalCalibration)
    retrieval: RetrievalCalibration = field(default_factory=RetrievalCalibration)
    evidence: EvidenceCalibration = field(default_factory=EvidenceCalibration)
    section: SectionCalibration = field(default_factory=SectionCalibration)
    refusal: RefusalCalibration = field(default_factory=RefusalCalibration)
    classifier: ClassifierCalibration | None = None
    version: int = VERSION
    fitted_on: str = ""  # what the fit saw, e.g. "dev split of gold.jsonl (137 questions), 2026-12-01"

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CalibrationError(f"{path}: no calibration file; run python -m evaluation.calibrate --write") from None
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "calibration") -> Calibration:
        if data.get("version") != VERSION:
            raise CalibrationError(f"{source}: version {data.get('version')!r}, this code reads version {VERSION}")
        try:
            judge = dict(data["judge"])
            judge["relevance"] = _build(LinearModel, judge["relevance"])
            judge["answerability"] = _build(LinearModel, judge["answerability"])
            classifier = data.get("classifier")
            return cls(
                judge=_build(JudgeCalibration, judge),
                signals=_build(SignalCalibration, data.get("signals", {})),
                retrieval=_build(RetrievalCalibration, data.get("retrieval", {})),
                evidence=_build(EvidenceCalibration, data.get("evidence", {})),
                section=_build(SectionCalibration, data.get("section", {})),
                refusal=_build(RefusalCalibration, data.get("refusal", {})),
                classifier=_build(ClassifierCalibration, classifier) if classifier else None,
                version=VERSION,
                fitted_on=str(data.get("fitted_on", "")),
            )
        except (KeyError, TypeError) as exc:
            raise CalibrationError(f"{source}: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {"version": data.pop("version"), "fitted_on": data.pop("fitted_on"), **data}

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _build(kind: type, data: Mapping[str, Any]) -> Any:
    """``kind(**data)`` with lists turned into tuples (nested once, for weight matrices)."""
    known = {f.name for f in fields(kind)}
    unknown = set(data) - known
    if unknown:
        raise TypeError(f"unknown field(s) {', '.join(sorted(unknown))} for {kind.__name__}")
    return kind(**{k: _tuples(v) for k, v in data.items()})


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def round_all(values: Sequence[float], digits: int = 5) -> tuple[float, ...]:
    """Weights as stored: enough digits to reproduce decisions, few enough to read a diff."""
    return tuple(round(float(v), digits) for v in values)
