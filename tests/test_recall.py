"""exportlint on the held-out recall set (tests/recall/): models written from
PyTorch's docs and issues, each exported on torch in both modes by
tests/recall/measure.py (which writes measured.json; this test only lints).

Targets, in each mode over the whole set: the failing line of at least 80% of
the models that fail export is flagged, and at most 3% of the models that
export cleanly get an EXP1xx. `pytest -s` prints the table per family.
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "recall"))
import score  # noqa: E402

MEASURED = json.loads(score.MEASURED.read_text())
MODEL_NAMES = sorted(p.stem for p in score.MODELS.glob("f*.py"))

RECALL_TARGET = 0.80
FALSE_ALARM_LIMIT = 0.03


@pytest.fixture(scope="module")
def tallies():
    found = score.score(MEASURED)
    print(f"\nrecall set, torch {MEASURED['torch']}\n" + score.table(found))
    return score.totals(found)


@pytest.mark.parametrize("mode", score.MODES)
def test_failing_lines_are_flagged(tallies, mode):
    tally = tallies[mode]
    assert tally.failing >= 20, f"too few failing models measured in {mode} mode to judge recall"
    recall = tally.failing_flagged / tally.failing
    assert recall >= RECALL_TARGET, f"{mode}: {recall:.0%} of failing models flagged; missed {tally.missed}"


@pytest.mark.parametrize("mode", score.MODES)
def test_clean_models_get_no_error(tallies, mode):
    tally = tallies[mode]
    assert tally.clean >= 20, f"too few clean models in {mode} mode to judge false alarms"
    rate = tally.clean_errors / tally.clean
    assert rate <= FALSE_ALARM_LIMIT, f"{mode}: EXP1xx on clean models {tally.false_alarms}"


def test_every_model_is_measured():
    assert sorted(MEASURED["models"]) == MODEL_NAMES, "run tests/recall/measure.py for new or renamed models"


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_markers_agree_with_the_measurement(name):
    """`# recall:` markers say what export does; measure.py says what it did."""
    text = (score.MODELS / f"{name}.py").read_text(encoding="utf-8")
    record = MEASURED["models"].get(name)
    assert record is not None, f"{name} is not measured"
    measured = {mode: record[mode]["result"] for mode in score.MODES}
    assert score.expected_results(text) == measured, f"{name}: {record}"


def test_marker_syntax_covers_modes():
    text = "a  # recall: fails non-strict, specializes strict\nb  # recall: fails\n"
    assert score.markers(text) == {
        1: {"non-strict": "fails", "strict": "specializes"},
        2: {"strict": "fails", "non-strict": "fails"},
    }
