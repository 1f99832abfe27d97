"""Near-duplicate detection for the same story carried by several feeds: 64-bit SimHash.

Features are word 2-shingles of the lower-cased text (plus the single words, so that short
headlines still have enough features), each hashed to 64 bits by CRC32 + the splitmix64
finaliser (stable across processes, unlike `hash()`; vectorised with numpy). A bit of the SimHash is set when more than half of the
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

# k=10 flags 87.5 % of wire-copy edits of real headlines and 83 % of real pairs sharing >= 80 %
# of their words, 0.75 % of same-topic different stories (40-60 % shared words) and none of
# 20,000 random pairs; k=12 would catch 95 % / 91 % but merge 1.6 % of same-topic stories.
# A wrong merge hides a story under another in a digest, a missed one shows it twice: precision
# wins. Articles are hashed on their headline (see feeds/normalize.py).
NEAR_DUPLICATE_BITS = 10
_WORD = re.compile(r"\w+")
_BIT_WEIGHTS = (1 << np.arange(64, dtype=np.uint64)).astype(np.uint64)


def _mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, vectorised: spreads 32-bit CRCs over 64 well-mixed bits."""
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps on purpose
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def feature_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the text's words and word pairs (CRC32 chained over the pair, then
    mixed), stable across processes and runs."""
    words = [w.encode("utf-8") for w in _WORD.findall(text.lower())]
    crcs = [zlib.crc32(w) for w in words]
    # crc32(b" " + next, crc(word)) is the CRC of "word next": pairs without building strings
    crcs += [zlib.crc32(b" " + b, c) for c, b in zip(crcs, words[1:], strict=False)]
    return _mix64(np.array(crcs, dtype=np.uint64))


def simhash(text: str) -> int:
    """The 64-bit SimHash of a text (0 for a text without words)."""
    hashes = feature_hashes(text)
    if not len(hashes):
        return 0
    # One row of 64 bits per feature; count ones per column and keep the majority bits.
    bits = (hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    majority = bits.sum(axis=0) * 2 > len(hashes)
    return int(_BIT_WEIGHTS[majority].sum())


def hamming(a: int, b: int) -> int:
    """The number of differing bits between two SimHashes."""
    return (a ^ b).bit_count()


def is_near_duplicate(a: int, b: int) -> bool:
    """Whether two SimHashes are close enough to be the same story (0 means "no text": never)."""
    if not a or not b:
        return False
    return hamming(a, b) <= NEAR_DUPLICATE_BITS
