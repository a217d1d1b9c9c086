"""The question type, from labelled example questions through the query embedding, plus rule cues.

A multinomial logistic model over [e5 query vector, lexicon cues] is fitted by
``evaluation/calibrate.py`` on our own example questions (``qa/question_examples.jsonl``, invented
wording on invented topics) and the dev split of the gold set, never the test split.  The embedding
carries how a question is phrased ("X归谁管", "谁负责X", "X 责任部门" all lie near each other), the cues
carry the lexicon's words.  Two gates keep it honest: a unit list needs a named unit and little else,
a section list needs a heading the question names or a list cue.  With no model for the running
embedder (another sentence-transformers model, say) the cues decide alone, by a fixed priority.
"""

from __future__ import annotations

import logging

import numpy as np

from qa.analysis import Analysis, QuestionType, counts_items
from qa.calibration import ClassifierCalibration

log = logging.getLogger(__name__)

# Characters besides the unit a unit-list question may have when it asks for tasks in so many words.
UNIT_LIST_CHARS = 5
# Cue-only decision order, for an embedder the model was not fitted for.
_PRIORITY = (
    ("unit_only", QuestionType.UNIT_LIST),
    ("heading", QuestionType.SECTION_LIST),
    ("responsibility", QuestionType.RESPONSIBILITY),
    ("target", QuestionType.TARGET),
)


def allowed(analysis: Analysis, kind: QuestionType) -> bool:
    """The gates: what a question must show to be of a type at all."""
    cues = analysis.cues
    if kind is QuestionType.UNIT_LIST:  # "主任是谁" names a unit but asks for a person
        # Little besides the unit, or a few words and "哪些任务" ("商务局都参与了哪些合作任务") or "几项" ("负责几项工作":
        # the list, counted).
        counted = counts_items(analysis.asked, analysis.measure)
        little = analysis.content_chars <= (UNIT_LIST_CHARS if cues.get("unit_task") or counted else 2)
        return bool(analysis.units) and little and (analysis.asked in (None, "unit") or counted)
    if kind is QuestionType.SECTION_LIST:
        return bool(cues.get("heading") or cues.get("list") or cues.get("section"))
    return True


class QuestionClassifier:
    def __init__(self, calibration: ClassifierCalibration | None, embedder_name: str) -> None:
        self.model = calibration if calibration and calibration.embedder == embedder_name else None
        if calibration and self.model is None:
            log.warning(
                "the question-type model was fitted for %s, not %s: typing questions by rule cues only",
                calibration.embedder, embedder_name,
            )

    def __call__(self, analysis: Analysis) -> tuple[QuestionType, dict[str, float]]:
        if self.model is None or analysis.vector is None:
            return self._by_cues(analysis), {}
        logits = self.model.logits(analysis.vector, analysis.cues)
        scores = {name: round(float(v), 3) for name, v in zip(self.model.classes, logits, strict=True)}
        if counts_items(analysis.asked, analysis.measure) and allowed(analysis, QuestionType.UNIT_LIST):
            return QuestionType.UNIT_LIST, scores  # "区发改局牵头几项任务": its tasks, counted, whatever the model says
        for index in np.argsort(-logits):
            kind = QuestionType(self.model.classes[int(index)])
            if allowed(analysis, kind):
                return kind, scores
        return QuestionType.TOPIC, scores

    @staticmethod
    def _by_cues(analysis: Analysis) -> QuestionType:
        for cue, kind in _PRIORITY:
            if analysis.cues.get(cue) and allowed(analysis, kind):
                if kind is QuestionType.SECTION_LIST and not analysis.cues.get("list"):
                    continue
                return kind
        return QuestionType.TOPIC
