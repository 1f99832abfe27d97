"""Records the matcher hands to the store and the alerts: who took which stance, with evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

STANCES = ("offers_mediation", "welcomes_mediation", "rejects_mediation", "urges_dialogue")


@dataclass(frozen=True)
class Mention:
    """One actor named in an item, with the stance the item reports for it (or None)."""

    actor: str  # snake_case id: "india", "united_states", or an outside party like "turkey"
    stance: str | None  # one of STANCES or None
    evidence: str  # the sentence that says so (or that names the actor)
    confidence: float  # 0..1
    baseline: str | None = None  # the actor's baseline stance from the watchlist
    in_watchlist: bool = True  # False for a third party outside the watchlist
    shift: bool = False  # stance is set and departs from the baseline

    @property
    def new_mediator(self) -> bool:
        return not self.in_watchlist and self.stance == "offers_mediation"


@dataclass(frozen=True)
class Match:
    """The matcher's verdict on one item."""

    relevant: bool
    score: float  # 0..1
    mentions: tuple[Mention, ...] = ()
    topics: tuple[str, ...] = field(default_factory=tuple)

    @property
    def shifts(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.shift)

    @property
    def new_mediators(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.new_mediator)
