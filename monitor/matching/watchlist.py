"""Watchlists: the actors, aliases, baselines, topic terms and stance cues of one dispute, as data.

`load_watchlist(path)` reads a TOML file and validates it strictly; every problem is reported at
once as `file: key: problem` lines inside a `WatchlistError`.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.matching.phrases import PhraseError, compile_classes, phrase_regex
from monitor.matching.records import STANCES

DEFAULT_WATCHLIST: Path = Path(__file__).parent / "watchlists" / "kashmir-mediation.toml"

TOPIC_KINDS = ("dispute", "region", "process", "decoy", "other_conflict")
NESTED_MODES = ("none", "attribute", "block")
ATTRIBUTIONS = ("subject", "modifier", "reporter")
NO_STANCE = "none"


class WatchlistError(ValueError):
    """A watchlist that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Actor:
    """A state or organisation the watchlist follows (or a known outside party)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    aliases_case_sensitive: tuple[str, ...] = ()
    baseline: str | None = None
    in_watchlist: bool = True


@dataclass(frozen=True)
class Topic:
    """A group of terms: the dispute itself, a process word, a decoy or another conflict."""

    id: str
    kind: str
    terms: tuple[str, ...]
    terms_case_sensitive: tuple[str, ...] = ()
    weight: float = 1.0
    with_one_party: bool = False  # with one party taking an outside role, counts as the dispute
    # a region that is the dispute only when a side itself takes a stance on an outside role
    # (the Indus Waters: a World Bank procedure alone is not the dispute's diplomacy)
    with_side_stance: bool = False


@dataclass(frozen=True)
class Cue:
    """A group of phrases that give the actor they are attributed to one stance."""

    id: str
    stance: str
    phrases: tuple[str, ...]
    party_stance: str | None = None  # None: same as stance; "none": no stance for a party
    negated: str | None = None
    confidence: float = 0.8
    attribution: str = "subject"
    nested: str = "none"
    nested_blocks: tuple[str, ...] = ()
    needs_outside: bool = False
    needs_process: bool = False
    reported_by_other: str = "keep"
    keep_when_blocked: bool = False  # "rejects Trump's claim that he brokered": Trump still claims
    # a broad verb-class cue: it decides an actor's stance only where no direct cue gave one (or
    # gave only urges_dialogue), so its breadth adds recall without overruling precise cues
    fallback: bool = False


@dataclass(frozen=True)
class Watchlist:
    """One dispute's watchlist, validated."""

    name: str
    path: Path
    parties: tuple[str, ...]
    actors: tuple[Actor, ...]
    topics: tuple[Topic, ...]
    cues: tuple[Cue, ...]
    terms: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""
    threshold: float = 0.5

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)


_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "": {
        "watchlist": dict,
        "actor": list,
        "other": list,
        "topic": list,
        "terms": dict,
        "cue": list,
    },
    "watchlist": {"name": str, "description": str, "parties": list, "threshold": (int, float)},
    "actor": {
        "id": str,
        "name": str,
        "baseline": str,
        "aliases": list,
        "aliases_case_sensitive": list,
    },
    "other": {"id": str, "name": str, "aliases": list, "aliases_case_sensitive": list},
    "topic": {
        "id": str,
        "kind": str,
        "terms": list,
        "terms_case_sensitive": list,
        "weight": (int, float),
        "with_one_party": bool,
        "with_side_stance": bool,
    },
    "cue": {
        "id": str,
        "stance": str,
        "party_stance": str,
        "negated": str,
        "phrases": list,
        "confidence": (int, float),
        "attribution": str,
        "nested": str,
        "nested_blocks": list,
        "needs_process": bool,
        "needs_outside": bool,
        "reported_by_other": str,
        "keep_when_blocked": bool,
        "fallback": bool,
    },
}
_REQUIRED = {
    "watchlist": ("name", "parties"),
    "actor": ("id", "aliases"),
    "other": ("id", "aliases"),
    "topic": ("id", "kind", "terms"),
    "cue": ("id", "stance", "phrases"),
}
_TYPE_NAMES = {
    str: "a string",
    list: "a list",
    dict: "a table",
    bool: "true or false",
    (int, float): "a number",
}


class _Checker:
    """Collects problems while reading the parsed TOML."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.path}: {key}: {text}")

    def table(self, data: dict[str, Any], section: str, key: str) -> dict[str, Any]:
        """Checks unknown keys, types and required keys; returns the valid entries."""
        schema = _SCHEMA[section]
        valid: dict[str, Any] = {}
        for name, value in data.items():
            where = f"{key}.{name}" if key else name
            if name not in schema:
                close = difflib.get_close_matches(name, list(schema), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.problem(where, f"unknown key{hint}")
                continue
            expected = schema[name]
            if isinstance(value, bool) and expected is not bool:
                ok = False
            else:
                ok = isinstance(value, expected)
            if not ok:
                self.problem(where, f"expected {_TYPE_NAMES[expected]}, got {value!r}")
                continue
            if section and expected is list and not all(isinstance(v, str) for v in value):
                self.problem(where, "expected a list of strings")
                continue
            valid[name] = value
        for name in _REQUIRED.get(section, ()):
            if name not in data:
                self.problem(f"{key}.{name}" if key else name, "missing")
        return valid

    def stance(self, key: str, value: str | None, allow_none: bool = True) -> str | None:
        if value is None or (allow_none and value == NO_STANCE):
            return value
        if value not in STANCES:
            close = difflib.get_close_matches(value, STANCES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            choices = ", ".join(STANCES) + (", none" if allow_none else "")
            self.problem(key, f"unknown stance {value!r}{hint}; expected one of {choices}")
        return value

    def choice(self, key: str, value: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.problem(key, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def phrases(self, key: str, phrases: list[str], classes: dict[str, str]) -> None:
        for index, phrase in enumerate(phrases):
            try:
                phrase_regex(phrase, classes)
            except PhraseError as exc:
                self.problem(f"{key}[{index}]", f"bad phrase {phrase!r}: {exc}")


def _actors(check: _Checker, raw: dict[str, Any], section: str) -> list[Actor]:
    actors = []
    for index, entry in enumerate(raw.get(section, [])):
        key = f"{section}[{index}]"
        if not isinstance(entry, dict):
            check.problem(key, "expected a table")
            continue
        data = check.table(entry, section, key)
        if "id" not in data or "aliases" not in data:
            continue
        baseline = check.stance(f"{key}.baseline", data.get("baseline", NO_STANCE))
        check.phrases(f"{key}.aliases", data["aliases"], {})
        check.phrases(f"{key}.aliases_case_sensitive", data.get("aliases_case_sensitive", []), {})
        actors.append(
            Actor(
                id=data["id"],
                name=data.get("name", data["id"].replace("_", " ").title()),
                aliases=tuple(data["aliases"]),
                aliases_case_sensitive=tuple(data.get("aliases_case_sensitive", ())),
                baseline=None if baseline == NO_STANCE else baseline,
                in_watchlist=section == "actor",
            )
        )
    return actors


def _topics(check: _Checker, raw: dict[str, Any]) -> list[Topic]:
    topics = []
    for index, entry in enumerate(raw.get("topic", [])):
        key = f"topic[{index}]"
        data = check.table(entry, "topic", key) if isinstance(entry, dict) else {}
        if not {"id", "kind", "terms"} <= data.keys():
            continue
        check.choice(f"{key}.kind", data["kind"], TOPIC_KINDS)
        check.phrases(f"{key}.terms", data["terms"], {})
        check.phrases(f"{key}.terms_case_sensitive", data.get("terms_case_sensitive", []), {})
        topics.append(
            Topic(
                id=data["id"],
                kind=data["kind"],
                terms=tuple(data["terms"]),
                terms_case_sensitive=tuple(data.get("terms_case_sensitive", ())),
                weight=float(data.get("weight", 1.0)),
                with_one_party=data.get("with_one_party", False),
                with_side_stance=data.get("with_side_stance", False),
            )
        )
    return topics


def _cues(check: _Checker, raw: dict[str, Any], classes: dict[str, str]) -> list[Cue]:
    cues = []
    for index, entry in enumerate(raw.get("cue", [])):
        key = f"cue[{index}]"
        data = check.table(entry, "cue", key) if isinstance(entry, dict) else {}
        if not {"id", "stance", "phrases"} <= data.keys():
            continue
        check.stance(f"{key}.stance", data["stance"], allow_none=False)
        check.stance(f"{key}.party_stance", data.get("party_stance"))
        check.stance(f"{key}.negated", data.get("negated"))
        for n, blocked in enumerate(data.get("nested_blocks", [])):
            check.stance(f"{key}.nested_blocks[{n}]", blocked, allow_none=False)
        check.choice(f"{key}.attribution", data.get("attribution", "subject"), ATTRIBUTIONS)
        check.choice(f"{key}.nested", data.get("nested", "none"), NESTED_MODES)
        check.choice(
            f"{key}.reported_by_other", data.get("reported_by_other", "keep"), ("keep", "drop")
        )
        confidence = float(data.get("confidence", 0.8))
        if not 0 <= confidence <= 1:
            check.problem(f"{key}.confidence", f"expected a number in 0..1, got {confidence}")
        check.phrases(f"{key}.phrases", data["phrases"], classes)
        negated = data.get("negated")
        cues.append(
            Cue(
                id=data["id"],
                stance=data["stance"],
                phrases=tuple(data["phrases"]),
                party_stance=data.get("party_stance"),
                negated=None if negated in (None, NO_STANCE) else negated,
                confidence=confidence,
                attribution=data.get("attribution", "subject"),
                nested=data.get("nested", "none"),
                nested_blocks=tuple(data.get("nested_blocks", ())),
                needs_outside=data.get("needs_outside", False),
                needs_process=data.get("needs_process", False),
                reported_by_other=data.get("reported_by_other", "keep"),
                keep_when_blocked=data.get("keep_when_blocked", False),
                fallback=data.get("fallback", False),
            )
        )
    return cues


def _check_ids(
    check: _Checker, actors: list[Actor], topics: list[Topic], cues: list[Cue], parties: list[str]
) -> None:
    for section, items in (("actor/other", actors), ("topic", topics), ("cue", cues)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                check.problem(f"{section}.{item.id}", "duplicate id")
            seen.add(item.id)
    owner: dict[str, str] = {}
    for actor in actors:
        if actor.id != actor.id.lower() or " " in actor.id:
            check.problem(f"actor.{actor.id}", "id must be lower-case snake_case")
        for alias in (*actor.aliases, *(a.casefold() for a in actor.aliases_case_sensitive)):
            folded = alias.casefold()
            if owner.get(folded, actor.id) != actor.id:
                check.problem(
                    f"actor.{actor.id}.aliases", f"{alias!r} is also an alias of {owner[folded]!r}"
                )
            owner.setdefault(folded, actor.id)
    known = {a.id for a in actors}
    for index, party in enumerate(parties):
        if party not in known:
            check.problem(f"watchlist.parties[{index}]", f"no actor with id {party!r}")
    if not any(t.kind == "dispute" for t in topics):
        check.problem("topic", "at least one topic of kind 'dispute' is needed")


def parse_watchlist(raw: dict[str, Any], path: Path) -> Watchlist:
    """Validates an already-parsed TOML document; raises WatchlistError."""
    check = _Checker(path)
    top = check.table(raw, "", "")
    head = check.table(top.get("watchlist", {}), "watchlist", "watchlist")
    terms: dict[str, list[str]] = {}
    for name, phrases in top.get("terms", {}).items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            check.problem(f"terms.{name}", "expected a list of strings")
            continue
        check.phrases(f"terms.{name}", phrases, {})
        terms[name] = phrases
    try:
        classes = compile_classes(terms)
    except PhraseError:
        classes = {}  # already reported phrase by phrase
    actors = _actors(check, top, "actor") + _actors(check, top, "other")
    topics = _topics(check, top)
    cues = _cues(check, top, classes)
    parties = head.get("parties", [])
    _check_ids(check, actors, topics, cues, parties)
    if check.problems:
        raise WatchlistError(check.problems)
    return Watchlist(
        name=head["name"],
        path=path,
        parties=tuple(parties),
        actors=tuple(actors),
        topics=tuple(topics),
        cues=tuple(cues),
        terms=terms,
        description=head.get("description", ""),
        threshold=float(head.get("threshold", 0.5)),
    )


def load_watchlist(path: Path | str = DEFAULT_WATCHLIST) -> Watchlist:
    """Reads and validates a watchlist TOML file; raises WatchlistError with every problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WatchlistError([f"{path}: file: cannot read: {exc.strerror or exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise WatchlistError([f"{path}: toml: {exc}"]) from exc
    return parse_watchlist(raw, path)
