"""Regression guard on hand-written held-out items (heldout_examples.jsonl).

The items were written and labelled per the labelling guide before the matcher was run on them,
in many newsroom styles, with decoys (Kashmir weather, cricket, mediation elsewhere, "Shimla").
The matcher must stay at or above the project's accuracy targets on them.
"""

from __future__ import annotations

from pathlib import Path

from monitor.matching.evaluate import evaluate, read_labelled
from monitor.matching.matcher import Matcher

HELDOUT = Path(__file__).with_name("heldout_examples.jsonl")
# the targets for hidden real headlines
MIN_F1 = 0.95
MIN_STANCE_ACCURACY = 0.90
MIN_STANCE_PRECISION = 0.90


def test_heldout_file_is_labelled_per_the_guide() -> None:
    items = read_labelled(HELDOUT)
    assert len(items) >= 120
    assert len({i["id"] for i in items}) == len(items)
    relevant = [i for i in items if i["relevant"]]
    assert 0.3 < len(relevant) / len(items) < 0.8  # both relevant items and decoys
    for item in items:
        assert item["title"].strip()
        assert item["relevant"] or not item["stances"]  # stances only in relevant items


def test_heldout_metrics_stay_at_or_above_targets(matcher: Matcher) -> None:
    report = evaluate(matcher, read_labelled(HELDOUT))
    detail = report.as_text()
    assert report.f1 >= MIN_F1, detail
    assert report.stance_accuracy >= MIN_STANCE_ACCURACY, detail
    assert report.stance_precision >= MIN_STANCE_PRECISION, detail


def test_heldout_decoys_raise_no_alarm(matcher: Matcher) -> None:
    decoys = [i for i in read_labelled(HELDOUT) if not i["relevant"] and not i.get("borderline")]
    flagged = [
        d["title"] for d in decoys if matcher.match(d["title"], d.get("summary", "")).relevant
    ]
    assert flagged == []
