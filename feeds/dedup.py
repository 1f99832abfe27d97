"""Near-duplicate detection for the same story carried by several feeds: 64-bit SimHash.

Features are word 2-shingles of the lower-cased text (plus the single words, so that short
headlines still have enough features), each hashed to 64 bits by CRC32 + the splitmix64
finaliser (stable across processes, unlike `hash()`). A bit of the SimHash is set when more than
half of the feature hashes have it set. Pure Python with bit-sliced counters: as fast as the
numpy version was for headline-sized texts, without numpy's 16 MB in the long-running daemon.

Threshold: two texts are near-duplicates when their SimHashes differ in at most
NEAR_DUPLICATE_BITS bits. Calibrated by `bench/feeds_simhash_calibrate.py` on real headline
pairs (see BENCHMARKS.md, "## Feed ingestion"): near-duplicates are the same URL's headline
revisions and the same story across outlets; distinct pairs are random headlines and
same-topic headlines of different stories.
"""

from __future__ import annotations

import re
import zlib

# k=10 flags 87.5 % of wire-copy edits of real headlines and 83 % of real pairs sharing >= 80 %
# of their words, 0.75 % of same-topic different stories (40-60 % shared words) and none of
# 20,000 random pairs; k=12 would catch 95 % / 91 % but merge 1.6 % of same-topic stories.
# A wrong merge hides a story under another in a digest, a missed one shows it twice: precision
# wins. Articles are hashed on their headline (see feeds/normalize.py).
NEAR_DUPLICATE_BITS = 10
_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1


def _mix64(value: int) -> int:
    """splitmix64's finaliser: spreads a 32-bit CRC over 64 well-mixed bits."""
    z = (value + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def feature_hashes(text: str) -> list[int]:
    """64-bit hashes of the text's words and word pairs (CRC32 chained over the pair, then
    mixed), stable across processes and runs."""
    words = [w.encode("utf-8") for w in _WORD.findall(text.lower())]
    crcs = [zlib.crc32(w) for w in words]
    # crc32(b" " + next, crc(word)) is the CRC of "word next": pairs without building strings
    crcs += [zlib.crc32(b" " + b, c) for c, b in zip(crcs, words[1:], strict=False)]
    return [_mix64(c) for c in crcs]


def simhash(text: str) -> int:
    """The 64-bit SimHash of a text (0 for a text without words)."""
    hashes = feature_hashes(text)
    if not hashes:
        return 0
    # Count, for each of the 64 bit positions at once, how many features set it: the counts are
    # kept bit-sliced (planes[k] holds bit k of all 64 counters), so adding a feature is a
    # ripple-carry over a few ints instead of 64 additions.
    planes: list[int] = []
    for h in hashes:
        carry = h
        for k, plane in enumerate(planes):
            planes[k], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    # Keep the positions whose count reaches a majority (> half), compared bit-sliced from the
    # top bit down: `above` holds positions already greater, `equal` those equal so far.
    need = len(hashes) // 2 + 1
    above, equal = 0, _MASK
    for k in range(max(len(planes), need.bit_length()) - 1, -1, -1):
        plane = planes[k] if k < len(planes) else 0
        if need >> k & 1:
            equal &= plane
        else:
            above |= equal & plane
            equal &= ~plane & _MASK
    return above | equal


def hamming(a: int, b: int) -> int:
    """The number of differing bits between two SimHashes."""
    return (a ^ b).bit_count()


def is_near_duplicate(a: int, b: int) -> bool:
    """Whether two SimHashes are close enough to be the same story (0 means "no text": never)."""
    if not a or not b:
        return False
    return hamming(a, b) <= NEAR_DUPLICATE_BITS
