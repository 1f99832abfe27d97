"""Scoring a matcher against labelled items (the labelling guide's §5), for `kashmir-monitor eval`.

- Relevance: precision, recall and F1 over non-borderline items (borderline ones are listed).
- Stance accuracy: over every (item, actor) with a labelled stance in a relevant, non-borderline
  item, the share where the matcher gives that actor that stance (`alt_stances` also count,
  `unscored_actors` are skipped).
- Stance precision: over every (item, actor) stance the matcher gives in those items, the share
  the label agrees with.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from monitor.matching.matcher import Matcher
from monitor.matching.records import STANCES

NONE = "(none)"


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass
class EvalReport:
    """Counts and misses from one evaluation run."""

    items: int = 0
    borderline: list[str] = field(default_factory=list)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    stance_labelled: int = 0
    stance_right: int = 0
    stance_given: int = 0
    stance_given_right: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, predicted)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    @property
    def stance_accuracy(self) -> float:
        return _ratio(self.stance_right, self.stance_labelled)

    @property
    def stance_precision(self) -> float:
        return _ratio(self.stance_given_right, self.stance_given)

    def as_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "scored_items": self.tp + self.fp + self.fn + self.tn,
            "borderline": self.borderline,
            "relevance": {
                "precision": self.precision,
                "recall": self.recall,
                "f1": self.f1,
                "tp": self.tp,
                "fp": self.fp,
                "fn": self.fn,
                "tn": self.tn,
            },
            "stance_accuracy": self.stance_accuracy,
            "stance_precision": self.stance_precision,
            "stance_counts": {
                "labelled": self.stance_labelled,
                "right": self.stance_right,
                "given": self.stance_given,
                "given_right": self.stance_given_right,
            },
            "confusion": [
                {"label": lab, "predicted": pred, "count": n}
                for (lab, pred), n in sorted(self.confusion.items())
            ],
            "misses": self.misses,
        }

    def as_text(self) -> str:
        lines = [
            f"items: {self.items} ({len(self.borderline)} borderline, not scored)",
            f"relevance: precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})",
            f"stance accuracy:  {self.stance_accuracy:.3f}  "
            f"({self.stance_right}/{self.stance_labelled} labelled stances found)",
            f"stance precision: {self.stance_precision:.3f}  "
            f"({self.stance_given_right}/{self.stance_given} given stances right)",
            "",
            "confusion (rows: label, columns: matcher):",
        ]
        names = [*STANCES, NONE]
        short = {s: s.split("_")[0][:7] for s in names}
        lines.append(" " * 20 + "".join(f"{short[s]:>9}" for s in names))
        for label in names:
            row = "".join(f"{self.confusion.get((label, pred), 0):>9}" for pred in names)
            lines.append(f"{label:<20}{row}")
        if self.borderline:
            lines += ["", "borderline (reported, not scored): " + ", ".join(self.borderline)]
        if self.misses:
            lines += ["", f"misses ({len(self.misses)}):", *(f"  {m}" for m in self.misses)]
        return "\n".join(lines)


def _score_item(
    report: EvalReport, item: dict[str, Any], given: dict[str, str], relevant: bool
) -> None:
    item_id = str(item.get("id", "?"))
    labelled_relevant = bool(item.get("relevant"))
    if relevant and labelled_relevant:
        report.tp += 1
    elif relevant:
        report.fp += 1
        report.misses.append(f"{item_id}: false alarm: {item.get('title', '')}")
    elif labelled_relevant:
        report.fn += 1
        report.misses.append(f"{item_id}: missed relevant item: {item.get('title', '')}")
    else:
        report.tn += 1
    if not labelled_relevant:
        return
    labels: dict[str, str] = item.get("stances") or {}
    alternatives: dict[str, list[str]] = item.get("alt_stances") or {}
    unscored = set(item.get("unscored_actors") or ())
    for actor, stance in labels.items():
        if actor in unscored:
            continue
        accepted = {stance, *alternatives.get(actor, ())}
        predicted = given.get(actor)
        report.stance_labelled += 1
        report.confusion[(stance, predicted or NONE)] += 1
        if predicted in accepted:
            report.stance_right += 1
        else:
            report.misses.append(f"{item_id}: {actor}: expected {stance}, got {predicted}")
    for actor, stance in given.items():
        if actor in unscored:
            continue
        report.stance_given += 1
        accepted = {labels.get(actor), *alternatives.get(actor, ())}
        if stance in accepted:
            report.stance_given_right += 1
        elif actor not in labels:
            report.confusion[(NONE, stance)] += 1
            report.misses.append(f"{item_id}: {actor}: expected no stance, got {stance}")


def evaluate(matcher: Matcher, items: Iterable[dict[str, Any]]) -> EvalReport:
    """Runs the matcher on labelled items and scores it."""
    report = EvalReport()
    for item in items:
        report.items += 1
        if item.get("borderline"):
            report.borderline.append(str(item.get("id", "?")))
            continue
        match = matcher.match(item.get("title") or "", item.get("summary") or "")
        given = {m.actor: m.stance for m in match.mentions if m.stance}
        _score_item(report, item, given, match.relevant)
    return report


def read_labelled(source: Path | str | IO[str]) -> list[dict[str, Any]]:
    """A labelled JSON Lines file, by path or open text stream (blank lines skipped).

    Raises ValueError naming the line of a malformed item."""
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8") as handle:
            return read_labelled(handle)
    items = []
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        if not isinstance(item, dict):
            raise ValueError(f"line {number}: expected a JSON object")
        items.append(item)
    return items
