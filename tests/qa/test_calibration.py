"""The calibration file: one version, the judge's feature lists as the code computes them, loud errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.calibration import CALIBRATION_FILE, VERSION, Calibration, CalibrationError, LinearModel
from qa.signals import FEATURES, QUESTION_FEATURES


def test_shipped_calibration_matches_the_code() -> None:
    calibration = Calibration.load()
    assert calibration.version == VERSION and "dev" in calibration.fitted_on
    assert calibration.judge.relevance.features == FEATURES
    assert calibration.judge.answerability.features == QUESTION_FEATURES
    assert calibration.classifier is not None and calibration.classifier.examples > 0
    assert 0 < calibration.judge.answer_threshold < 1


def test_round_trip(tmp_path: Path) -> None:
    calibration = Calibration.load()
    calibration.save(tmp_path / "c.json")
    assert Calibration.load(tmp_path / "c.json") == calibration


def test_wrong_version_and_shape_are_errors(tmp_path: Path) -> None:
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "c.json"
    path.write_text(json.dumps({**data, "version": 1}), encoding="utf-8")
    with pytest.raises(CalibrationError, match="version"):
        Calibration.load(path)
    data["judge"]["unknown"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CalibrationError, match="unknown"):
        Calibration.load(path)
    with pytest.raises(CalibrationError, match="no calibration file"):
        Calibration.load(tmp_path / "missing.json")


def test_linear_model() -> None:
    model = LinearModel(("a", "b"), (2.0, -1.0), 0.5)
    assert model.logit({"a": 1.0, "b": 1.0}) == 1.5
    assert model.probability({"a": -100.0}) < 1e-50
    with pytest.raises(CalibrationError):
        LinearModel(("a",), (1.0, 2.0), 0.0)
