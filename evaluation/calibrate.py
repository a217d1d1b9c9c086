"""Fit the answer layer's calibration on the dev split only, and store it in qa/calibration.json.

    python -m evaluation.calibrate [--gold FILE] [--also GOLD=CORPUS_DIR ...] [--write]

Three fits, in order, each on dev questions (and, for the first, our own example questions):

1. the question-type classifier: multinomial logistic regression over [query embedding, rule cues],
   on ``qa/question_examples.jsonl`` plus the dev questions whose gold type implies a question type;
   its regularisation is the strongest whose 5-fold accuracy is within a point of the best;
2. the judge, cross-validated in 5 folds grouped by fact (as the dev/test split is): a relevance model
   over each candidate's signals (``qa/signals.py``), labelled by whether it is a gold clause; an
   answerability model stacked on out-of-fold relevances; each one's regularisation by out-of-fold log
   loss; the answer threshold the highest whose out-of-fold false refusals stay within 1.5 % (half of issue
   11's first goal: new plans do worse than out of fold) even 0.02 above it, both held out by fact and with each corpus held out whole (a plan the
   judge has never seen), with a reliability table of the out-of-fold probabilities stored beside it;
3. the cite ratio and floor and the quote lengths: small grids scored by the evaluation's own metrics
   on dev (false refusals, refusal recall, right citations, keywords first).

The test split is never read.  scikit-learn does the fitting (the ``calibrate`` extra); the service
itself only takes dot products with the stored weights.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from evaluation.gold import DEFAULT_GOLD, GoldQuestion, load_gold
from evaluation.metrics import EXPECTED_TYPE, summarise
from evaluation.runner import replay, run
from index import NO_FILTERS, Filters, Hit
from qa.calibration import (
    CALIBRATION_FILE,
    Calibration,
    ClassifierCalibration,
    JudgeCalibration,
    LinearModel,
    round_all,
)
from qa.factory import build_service
from qa.service import QAService, Trace
from qa.settings import Settings
from qa.signals import FEATURES, QUESTION_FEATURES, question_features

EXAMPLES = Path(__file__).resolve().parent.parent / "qa" / "question_examples.jsonl"
CUES = ("responsibility", "unit_task", "target", "list", "section", "units", "unit_only", "person", "heading")
CLASSIFIER_C = (0.25, 1.0, 4.0, 16.0)
CLASSIFIER_TOLERANCE = 0.01
JUDGE_C = (0.1, 0.3, 1.0, 3.0)
FOLDS = 5
FALSE_REFUSAL_GOAL = 0.03  # issue 11's goal for false refusals, on held-out questions and new documents
# The threshold is the highest that keeps out-of-fold false refusals within half of it: on plans the judge
# was never fitted on they run higher than out of fold (the blind set's first run: 0.259, against 0.02 out
# of fold), and neither holding out by fact nor by dev corpus shows how much.
FALSE_REFUSAL_BUDGET = FALSE_REFUSAL_GOAL / 2
# ... even if it were this much higher: out-of-fold probabilities crowd near the threshold (17 of 225
# dev questions within 0.4-0.6), and a refit after a small change (one more measure word) moves them
# by about this much, which without the margin took false refusals from 4 to 7 of 170.
THRESHOLD_MARGIN = 0.02
THRESHOLDS = tuple(round(0.05 + 0.01 * i, 2) for i in range(91))
CITE_RATIOS = (0.6, 0.75, 0.9)
CITE_FLOORS = (0.3, 0.5)
QUOTE_CHARS = (60, 90, 120)
WHOLE_BODY_CHARS = (0, 70, 100)
# Goals of issue 11: a calibration that misses one is penalised by how far it misses.
GOALS_MAX = {"false_refusal_rate": 0.03}
GOALS_MIN = {"refusal_recall": 0.92, "cited_right": 0.97, "keywords_first_120": 0.95}


class _CachedRetriever:
    """The same retriever, its answers remembered: retrieval does not depend on calibration."""

    def __init__(self, retriever: object) -> None:
        self._retriever = retriever
        self.search = lru_cache(maxsize=None)(self._search)

    def __getattr__(self, name: str) -> object:  # corpus, embedder, tokenize, words…: the retriever's own
        return getattr(self._retriever, name)

    def _search(self, query: str, k: int = 10, mode: str = "hybrid", filters: Filters = NO_FILTERS,
                expansion: tuple[str, ...] = (), expansion_weight: float = 0.5,
                keyword_query: str | None = None) -> list[Hit]:
        return self._retriever.search(  # type: ignore[attr-defined]
            query, k=k, mode=mode, filters=filters, expansion=expansion, expansion_weight=expansion_weight,
            keyword_query=keyword_query,
        )


def objective(summary: dict) -> float:
    """Higher is better: the answer metrics, minus a penalty for every goal missed (by how much)."""
    value = (
        (1 - (summary["false_refusal_rate"] or 0.0)) + (summary["refusal_recall"] or 0.0)
        + (summary["cited_right"] or 0.0) + (summary["citation_precision"] or 0.0)
        + (summary["keywords_first_120"] or 0.0)
    )
    for metric, bound in GOALS_MAX.items():
        value -= 4 * max(0.0, (summary[metric] or 0.0) - bound)
    for metric, bound in GOALS_MIN.items():
        value -= 4 * max(0.0, bound - (summary[metric] or 0.0))
    return value


def neutral() -> Calibration:
    """Where fitting starts: every constant at its default, judge models that weigh nothing, no type model.

    Nothing of the shipped file is read, so a refit never depends on the fit before it.
    """
    flat = LinearModel(FEATURES, (0.0,) * len(FEATURES), 0.0)
    judge = JudgeCalibration(relevance=flat, answerability=LinearModel(QUESTION_FEATURES, (0.0,) * len(QUESTION_FEATURES), 0.0))
    return Calibration(judge=judge)


# --- 1. question types --------------------------------------------------------------------------
def _calibrating(settings: Settings) -> QAService:
    """A service on the settings' corpus that fitting starts from (``neutral``), its searches remembered."""
    base = build_service(settings, calibration=neutral())
    return QAService(_CachedRetriever(base.retriever), base.calibration)  # type: ignore[arg-type]


def type_examples(dev: Sequence[GoldQuestion], own: bool = True) -> list[tuple[str, str]]:
    """(question, type): our own examples (with ``own``), then the dev questions whose gold type implies one."""
    own_examples = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(e["question"], e["type"]) for e in own_examples if own] + [
        (q.question, EXPECTED_TYPE[q.type]) for q in dev if q.type in EXPECTED_TYPE
    ]


def fit_classifier(
    sets: Sequence[tuple[QAService, Sequence[tuple[str, str]]]],
) -> tuple[ClassifierCalibration, float]:
    """One classifier over the examples of every corpus, each question's rule cues read by its own corpus's
    service (its units and headings)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    service = sets[0][0]
    examples = [example for _, some in sets for example in some]
    rows = []
    for owner, some in sets:
        questions = [q for q, _ in some]
        for question, vector in zip(questions, owner.retriever.embedder.embed_queries(questions), strict=True):
            cues = owner.analyse(question, vector).cues
            rows.append(np.concatenate([vector, [cues.get(c, 0.0) for c in CUES]]))
    x, y = np.vstack(rows), np.array([t for _, t in examples])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scored = [(cross_val_score(LogisticRegression(C=c, max_iter=5000), x, y, cv=folds).mean(), c) for c in CLASSIFIER_C]
    # The most regularised C within a point of the best accuracy: the examples are few, the wordings many.
    best = max(a for a, _ in scored)
    accuracy, best_c = min(((a, c) for a, c in scored if a >= best - CLASSIFIER_TOLERANCE), key=lambda p: p[1])
    model = LogisticRegression(C=best_c, max_iter=5000).fit(x, y)
    calibration = ClassifierCalibration(
        embedder=service.retriever.embedder.name,
        classes=tuple(str(c) for c in model.classes_),
        cues=CUES,
        weights=tuple(round_all(row, 4) for row in model.coef_),
        bias=round_all(model.intercept_, 4),
        examples=len(examples),
    )
    print(f"classifier: {len(examples)} examples, C={best_c}, 5-fold accuracy {accuracy:.3f} "
          f"({', '.join(f'C={c}: {a:.3f}' for a, c in scored)})")
    return calibration, accuracy


# --- 2. the judge ---------------------------------------------------------------------------------
def traces(service: QAService, dev: Sequence[GoldQuestion]) -> list[tuple[GoldQuestion, Trace]]:
    """Each dev question's way to the judge (follow-ups after their history), listings left out."""
    found = []
    for gold in dev:
        trace = service.trace(gold.question, replay(service, gold.history, "hybrid"))
        if trace.retrieved.listing is None:
            found.append((gold, trace))
    return found


def fact_groups(questions: Sequence[GoldQuestion]) -> list[str]:
    """The split's grouping: questions with one gold clause set are one fact; each unanswerable its own."""
    return ["|".join(sorted(q.gold)) if q.gold else f"unanswerable:{q.id}" for q in questions]


def _folds(groups: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=FOLDS).split(np.zeros(len(groups)), groups=list(groups)))


def _fit(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _candidates(trace: Trace) -> np.ndarray:
    return np.array([[e.features[f] for f in FEATURES] for e in trace.evidence], float).reshape(-1, len(FEATURES))


def _relevance_data(found: Sequence[tuple[GoldQuestion, Trace]], rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The candidates of the answerable questions among ``rows``, labelled: is it a gold clause."""
    x, y = [], []
    for i in rows:
        gold, trace = found[i]
        if gold.answerable and trace.evidence:
            x.append(_candidates(trace))
            y += [e.hit.clause.clause_id in gold.gold for e in trace.evidence]
    return np.vstack(x), np.array(y, int)


def _question_rows(found: Sequence[tuple[GoldQuestion, Trace]], relevance: Sequence[np.ndarray]) -> np.ndarray:
    """The answerability model's inputs, each question's candidates ranked by the given relevances."""
    rows = []
    for (_, trace), probabilities in zip(found, relevance, strict=True):
        ranked = sorted(zip(trace.evidence, probabilities, strict=True), key=lambda pair: -pair[1])
        topic = trace.retrieved.topic or trace.analysis.question
        values = question_features(trace.analysis, topic, ranked, trace.retrieved.context is not None)
        rows.append([values[f] for f in QUESTION_FEATURES])
    return np.array(rows, float)


def _out_of_fold_relevance(found, folds, c: float) -> list[np.ndarray]:
    """Every question's candidate relevances from a model that never saw its fact."""
    out: list[np.ndarray] = [np.zeros(0)] * len(found)
    for train, held in folds:
        model = _fit(*_relevance_data(found, train), c)
        for i in held:
            x = _candidates(found[i][1])
            out[i] = model.predict_proba(x)[:, 1] if len(x) else np.zeros(0)
    return out


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 5) -> list[dict[str, float | int]]:
    """Predicted against observed answerability in equal-width probability bins (a reliability diagram)."""
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        if inside.any():
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "questions": int(inside.sum()),
                          "predicted": round(float(p[inside].mean()), 3), "observed": round(float(y[inside].mean()), 3)})
    return table


def choose_threshold(
    y: np.ndarray, p: np.ndarray, goal: float = FALSE_REFUSAL_BUDGET, margin: float = THRESHOLD_MARGIN
) -> tuple[float, float, float]:
    """The highest threshold whose false-refusal rate stays within ``goal`` at ``margin`` above it too:
    (threshold, false refusals, refusal recall), on out-of-fold probabilities (refusing below it)."""
    answerable, unanswerable = p[y == 1], p[y == 0]

    def false_refusals(t: float) -> float:
        return float((answerable < t).mean()) if len(answerable) else 0.0

    best = THRESHOLDS[0]
    for t in THRESHOLDS:
        if false_refusals(round(t + margin, 2)) <= goal:
            best = t
    recall = float((unanswerable < best).mean()) if len(unanswerable) else 1.0
    return best, false_refusals(best), recall


def _unseen_corpus_answerability(found: Sequence[tuple[GoldQuestion, Trace]], corpora: Sequence[int],
                                 relevance_c: float, answer_c: float) -> np.ndarray:
    """Every question's answerability from models fitted on the other corpora only: what a plan of an
    issuer the judge has never seen gets.  Within the others, the stacked relevances are out of fold by fact
    (as in ``fit_judge``); the held-out corpus's relevances come from a model fitted on all the others."""
    corpora = np.asarray(corpora)
    y = np.array([g.answerable for g, _ in found], int)
    out = np.zeros(len(found))
    for corpus in np.unique(corpora):
        train, held = np.flatnonzero(corpora != corpus), np.flatnonzero(corpora == corpus)
        inner = [(train[a], train[b]) for a, b in _folds(fact_groups([found[i][0] for i in train]))]
        relevance = _out_of_fold_relevance(found, inner, relevance_c)
        model = _fit(*_relevance_data(found, train), relevance_c)
        for i in held:
            x = _candidates(found[i][1])
            relevance[i] = model.predict_proba(x)[:, 1] if len(x) else np.zeros(0)
        x = _question_rows(found, relevance)
        out[held] = _fit(x[train], y[train], answer_c).predict_proba(x[held])[:, 1]
    return out


def fit_judge(found: Sequence[tuple[GoldQuestion, Trace]],
              corpora: Sequence[int] | None = None) -> tuple[LinearModel, LinearModel, float, dict]:
    """Relevance and answerability models, their regularisation and the threshold chosen out of fold.

    Cross-validation is grouped by fact (as the dev/test split is), so no rewording of a held-out
    question is trained on.  The answerability model is stacked: it is fitted on relevances that a
    relevance model fitted on the other folds gave, as a question it has never seen will get them.
    With ``corpora`` (each question's corpus), the threshold also keeps false refusals within the goal on
    corpora the models were not fitted on (``_unseen_corpus_answerability``): held out by fact, a new plan's
    questions look more familiar than they are, and its false refusals were several times the goal.
    """
    folds = _folds(fact_groups([g for g, _ in found]))
    y = np.array([g.answerable for g, _ in found], int)
    scored = []
    for c in JUDGE_C:
        oof = _out_of_fold_relevance(found, folds, c)
        labels = np.concatenate([[e.hit.clause.clause_id in g.gold for e in t.evidence] for (g, t) in found if g.answerable])
        values = np.concatenate([p for (g, _), p in zip(found, oof, strict=True) if g.answerable])
        scored.append((_log_loss(labels, values), c, oof))
    relevance_loss, relevance_c, oof_relevance = min(scored, key=lambda s: s[0])
    x = _question_rows(found, oof_relevance)
    scored = []
    for c in JUDGE_C:
        oof = np.zeros(len(found))
        for train, held in folds:
            oof[held] = _fit(x[train], y[train], c).predict_proba(x[held])[:, 1]
        scored.append((_log_loss(y, oof), c, oof))
    answer_loss, answer_c, oof_answer = min(scored, key=lambda s: s[0])
    threshold, false_refusals, refusal_recall = choose_threshold(y, oof_answer)
    unseen: dict[str, float] = {}
    if corpora is not None and len(set(corpora)) > 1:
        by_corpus = _unseen_corpus_answerability(found, corpora, relevance_c, answer_c)
        unseen_threshold, unseen_false, unseen_recall = choose_threshold(y, by_corpus)
        unseen = {"unseen_corpus_threshold": unseen_threshold, "unseen_corpus_false_refusal_rate": round(unseen_false, 4),
                  "unseen_corpus_refusal_recall": round(unseen_recall, 4)}
        print(f"  unseen corpora: threshold {unseen_threshold} (false refusals {unseen_false:.3f}, refusal recall "
              f"{unseen_recall:.3f}); by fact: {threshold}")
        if unseen_threshold < threshold:
            threshold = unseen_threshold
            false_refusals = float((oof_answer[y == 1] < threshold).mean())
            refusal_recall = float((oof_answer[y == 0] < threshold).mean())
    relevance = _linear(*_relevance_data(found, range(len(found))), relevance_c, FEATURES, "relevance")
    answerability = _linear(x, y, answer_c, QUESTION_FEATURES, "answerability")
    report = {
        "folds": FOLDS, "grouped_by": "fact (gold clause set)", "questions": len(found),
        "relevance_C": relevance_c, "relevance_log_loss": round(relevance_loss, 4),
        "answerability_C": answer_c, "answerability_log_loss": round(answer_loss, 4),
        "brier": round(float(np.mean((oof_answer - y) ** 2)), 4),
        "threshold": threshold, "false_refusal_goal": FALSE_REFUSAL_GOAL, "false_refusal_budget": FALSE_REFUSAL_BUDGET,
        "false_refusal_rate": round(false_refusals, 4), "refusal_recall": round(refusal_recall, 4),
        "reliability": reliability(y, oof_answer), **unseen,
    }
    print(f"judge, {FOLDS}-fold by fact: relevance C={relevance_c} (log loss {relevance_loss:.3f}), "
          f"answerability C={answer_c} (log loss {answer_loss:.3f}, Brier {report['brier']})")
    print(f"  threshold {threshold}: out-of-fold false refusals {false_refusals:.3f}, refusal recall {refusal_recall:.3f}")
    for row in report["reliability"]:
        print(f"  reliability {row['bin']}: {row['questions']:3} questions, predicted {row['predicted']:.2f}, "
              f"observed {row['observed']:.2f}")
    return relevance, answerability, threshold, report


def _linear(x: np.ndarray, y: np.ndarray, c: float, names: Sequence[str], title: str) -> LinearModel:
    model = _fit(x, y, c)
    print(f"{title}: {len(y)} rows ({int(y.sum())} positive), C={c}")
    for name, weight in sorted(zip(names, model.coef_[0], strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:24} {weight:+.3f}")
    return LinearModel(tuple(names), round_all(model.coef_[0], 4), round(float(model.intercept_[0]), 4))


# --- 3. thresholds and evidence -------------------------------------------------------------------
def _score(service: QAService, dev: Sequence[GoldQuestion]) -> tuple[float, dict]:
    summary = summarise(run(service, dev, progress=False))
    return objective(summary), summary


def fit_citations(service: QAService, dev: Sequence[GoldQuestion]) -> Calibration:
    """How many clauses an answer cites: a grid over the cite ratio and floor, scored on dev answers."""
    base = service.calibration
    results = []
    for ratio, floor in itertools.product(CITE_RATIOS, CITE_FLOORS):
        calibration = replace(base, judge=replace(base.judge, cite_ratio=ratio, cite_floor=floor))
        score, summary = _score(service.with_calibration(calibration), dev)
        results.append((score, calibration, summary))
    results.sort(key=lambda r: -r[0])
    _print_top("citations", [(s, f"ratio {c.judge.cite_ratio} floor {c.judge.cite_floor}", m)
                             for s, c, m in results[:5]])
    return results[0][1]


def fit_evidence(service: QAService, dev: Sequence[GoldQuestion]) -> Calibration:
    base = service.calibration
    results = []
    for chars, whole in itertools.product(QUOTE_CHARS, WHOLE_BODY_CHARS):
        evidence = replace(base.evidence, max_quote_chars=chars, whole_body_chars=whole)
        calibration = replace(base, evidence=evidence)
        score, summary = _score(service.with_calibration(calibration), dev)
        results.append((summary["keywords_first_120"] or 0.0, score, evidence, summary))
    results.sort(key=lambda r: (-r[0], -r[1]))
    _print_top("evidence", [(s, f"quote chars {e.max_quote_chars} whole body {e.whole_body_chars}", m)
                            for _, s, e, m in results[:5]])
    return replace(base, evidence=results[0][2])


def _print_top(title: str, rows: Sequence[tuple[float, str, dict]]) -> None:
    print(f"{title}: objective | false_refusal refusal_R cited_right cite_prec keywords_120 | setting")
    for score, setting, s in rows:
        print(f"  {score:.4f} | {s['false_refusal_rate']} {s['refusal_recall']} {s['cited_right']} "
              f"{s['citation_precision']} {s['keywords_first_120']} | {setting}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--write", action="store_true", help=f"store the result in {CALIBRATION_FILE.name}")
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE, help="where --write stores it")
    parser.add_argument(
        "--also", action="append", default=[], metavar="GOLD=CORPUS_DIR",
        help="the dev questions of another gold file, on its own corpus, also train the question types and "
             "the judge (repeatable); the citation and evidence grids stay on --gold's corpus",
    )
    args = parser.parse_args(argv)
    pairs = [pair.partition("=")[::2] for pair in args.also]
    for pair, (_, folder) in zip(args.also, pairs, strict=True):
        if not folder:
            parser.error(f"--also takes GOLD=CORPUS_DIR, got {pair!r}")
    service = _calibrating(Settings())
    dev = [q for q in load_gold(args.gold) if q.split == "dev"]
    others = []
    for gold, folder in pairs:
        work = Path("var") / "calibrate" / Path(folder).resolve().name
        settings = Settings(corpus_dir=Path(folder), index_dir=work / "index", qa_cache_dir=work / "qa")
        others.append((_calibrating(settings), [q for q in load_gold(Path(gold)) if q.split == "dev"]))
    sets = [(service, type_examples(dev)), *((s, type_examples(d, own=False)) for s, d in others)]
    classifier, _ = fit_classifier(sets)

    def typed(owner: QAService) -> QAService:
        return owner.with_calibration(replace(owner.calibration, classifier=classifier))

    service, others = typed(service), [(typed(s), d) for s, d in others]
    per_corpus = [traces(service, dev), *(traces(s, d) for s, d in others)]
    found = [row for rows in per_corpus for row in rows]
    corpora = [k for k, rows in enumerate(per_corpus) for _ in rows]
    relevance, answerability, threshold, report = fit_judge(found, corpora)
    judge = replace(service.calibration.judge, relevance=relevance, answerability=answerability,
                    answer_threshold=threshold, cross_validation=report)
    service = service.with_calibration(replace(service.calibration, judge=judge))
    service = service.with_calibration(fit_citations(service, dev))
    service = service.with_calibration(fit_evidence(service, dev))
    also = "".join(f", dev split of {Path(p.partition('=')[0]).name} ({len(d)} questions, its own corpus)"
                   for p, (_, d) in zip(args.also, others, strict=True))
    fitted = replace(
        service.calibration,
        fitted_on=f"dev split of {args.gold.name} ({len(dev)} questions){also} and {EXAMPLES.name}, {date.today()}",
    )
    _, summary = _score(service.with_calibration(fitted), dev)
    print("dev with the fitted calibration:", json.dumps({k: summary[k] for k in (
        "false_refusal_rate", "refusal_recall", "cited_right", "citation_precision", "keywords_first_120",
        "section_all_gold", "type_accuracy")}))
    if args.write:
        fitted.save(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
