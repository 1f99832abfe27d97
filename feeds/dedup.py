"""Near-duplicate detection for the same story carried by several feeds: 64-bit SimHash.

Features are word 2-shingles of the lower-cased text (plus the single words, so that short
headlines still have enough features), each hashed to 64 bits with two seeded CRC32s (stable
across processes, unlike `hash()`). A bit of the SimHash is set when more than half of the
feature hashes have it set.

Threshold: two texts are near-duplicates when their SimHashes differ in at most
NEAR_DUPLICATE_BITS bits. Calibrated by `bench/feeds_simhash_calibrate.py` on real headline
pairs (see BENCHMARKS.md, "## Feed ingestion"): near-duplicates are the same URL's headline
revisions and the same story across outlets; distinct pairs are random headlines and
same-topic headlines of different stories.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

NEAR_DUPLICATE_BITS = 10
_WORD = re.compile(r"\w+")
_BIT_WEIGHTS = (1 << np.arange(64, dtype=np.uint64)).astype(np.uint64)


def shingles(text: str) -> list[str]:
    """The features of a text: its words and its adjacent word pairs."""
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _feature_hash(feature: str) -> int:
    data = feature.encode("utf-8")
    return (zlib.crc32(data, 0x9E3779B9) << 32) | zlib.crc32(data)


def simhash(text: str) -> int:
    """The 64-bit SimHash of a text (0 for a text without words)."""
    features = shingles(text)
    if not features:
        return 0
    hashes = np.fromiter((_feature_hash(f) for f in features), dtype=np.uint64,
                         count=len(features))
    # One row of 64 bits per feature; count ones per column and keep the majority bits.
    bits = (hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    majority = bits.sum(axis=0) * 2 > len(features)
    return int(_BIT_WEIGHTS[majority].sum())


def hamming(a: int, b: int) -> int:
    """The number of differing bits between two SimHashes."""
    return (a ^ b).bit_count()


def is_near_duplicate(a: int, b: int) -> bool:
    """Whether two SimHashes are close enough to be the same story (0 means "no text": never)."""
    if not a or not b:
        return False
    return hamming(a, b) <= NEAR_DUPLICATE_BITS


def to_signed(value: int) -> int:
    """SQLite integers are signed 64-bit: store a SimHash through this, read back via to_unsigned."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
