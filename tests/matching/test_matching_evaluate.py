"""Scoring as the labelling guide's section 5 says, on a tiny hand-made labelled file."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.matching.evaluate import evaluate, read_labelled
from monitor.matching.matcher import Matcher, match_to_json
from monitor.matching.records import Match, Mention

ITEMS = [
    # relevant, both stances found
    {"id": "a", "title": "India rejects Trump's offer to mediate on Kashmir", "relevant": True,
     "stances": {"india": "rejects_mediation", "united_states": "offers_mediation"}},
    # relevant, one stance labelled differently (a miss for accuracy and for precision)
    {"id": "b", "title": "China urges India and Pakistan to hold talks on Kashmir",
     "relevant": True, "stances": {"china": "offers_mediation"}},
    # relevant, alt_stances accepts the matcher's answer; pakistan unscored
    {"id": "c", "title": "Pakistan welcomes China's offer to mediate on Kashmir",
     "relevant": True, "stances": {"china": "urges_dialogue"},
     "alt_stances": {"china": ["urges_dialogue", "offers_mediation"]},
     "unscored_actors": ["pakistan"]},
    # relevant but the matcher misses it (a false negative, and its stance is missed)
    {"id": "d", "title": "Behind the scenes of the quiet diplomacy", "relevant": True,
     "stances": {"united_arab_emirates": "offers_mediation"}},
    # not relevant, matcher agrees (true negative)
    {"id": "e", "title": "India beat Pakistan in Asia Cup", "relevant": False, "stances": {}},
    # labelled not relevant but flagged (false positive)
    {"id": "f", "title": "UN offers good offices on Kashmir", "relevant": False, "stances": {}},
    # borderline: reported, not scored
    {"id": "g", "title": "Ceasefire holds along the LoC", "relevant": True, "borderline": True,
     "stances": {}},
]


def test_scores_follow_the_guide(tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in ITEMS) + "\n\n", encoding="utf-8")
    report = evaluate(Matcher(), read_labelled(path))
    # relevance over a..f: tp a,b,c; fn d; tn e; fp f
    assert (report.tp, report.fn, report.tn, report.fp) == (3, 1, 1, 1)
    assert report.precision == 0.75 and report.recall == 0.75 and report.f1 == 0.75
    # labelled stances: a(2) + b(1) + c(1) + d(1) = 5, right: a(2) + c(1) = 3
    assert (report.stance_labelled, report.stance_right) == (5, 3)
    assert report.stance_accuracy == 0.6
    # given stances in relevant items: a(2) + b(1) + c(china; pakistan unscored) = 4, right 3
    assert (report.stance_given, report.stance_given_right) == (4, 3)
    assert report.stance_precision == 0.75
    assert report.borderline == ["g"] and report.items == 7
    assert report.confusion[("offers_mediation", "urges_dialogue")] == 1
    assert report.confusion[("offers_mediation", "(none)")] == 1

    data = report.as_json()
    assert data["relevance"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75,
                                 "tp": 3, "fp": 1, "fn": 1, "tn": 1}
    assert (data["stance_accuracy"], data["stance_precision"], data["items"]) == (0.6, 0.75, 7)
    assert any(m.startswith("f: false alarm") for m in data["misses"])
    assert any(m.startswith("d: missed relevant item") for m in data["misses"])
    assert "b: china: expected offers_mediation, got urges_dialogue" in data["misses"]
    json.dumps(data)

    text = report.as_text()
    assert "precision 0.750" in text and "stance accuracy:  0.600" in text
    assert "borderline (reported, not scored): g" in text
    assert "confusion" in text and "misses (" in text


def test_empty_input_scores_zero_without_dividing_by_zero() -> None:
    report = evaluate(Matcher(), [])
    assert (report.f1, report.stance_accuracy, report.stance_precision) == (0.0, 0.0, 0.0)


def test_match_to_json_has_the_cli_shape() -> None:
    mention = Mention(actor="india", stance="rejects_mediation", evidence="India rejects.",
                      confidence=0.9, baseline="rejects_mediation")
    line = match_to_json(Match(relevant=True, score=0.9, mentions=(mention,),
                               topics=("mediation",)), "x1")
    assert {"id", "relevant", "score", "mentions", "topics"} <= line.keys()
    assert line["id"] == "x1" and line["topics"] == ["mediation"]
    assert {"actor", "stance", "evidence", "confidence"} <= line["mentions"][0].keys()
    assert line["mentions"][0]["shift"] is False
    assert json.loads(json.dumps(line)) == line


def test_read_labelled_takes_a_stream_and_names_a_bad_line() -> None:
    import io

    import pytest

    good = io.StringIO('{"id": "a", "title": "x", "relevant": false}\n\n')
    assert read_labelled(good) == [{"id": "a", "title": "x", "relevant": False}]
    with pytest.raises(ValueError, match="line 2: expected a JSON object"):
        read_labelled(io.StringIO('{"id": "a"}\n[1, 2]\n'))
    with pytest.raises(ValueError, match="line 1:"):
        read_labelled(io.StringIO("{not json\n"))
