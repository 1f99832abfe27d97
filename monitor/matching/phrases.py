"""The small phrase language of watchlists, compiled to regular expressions.

Aliases, topic terms and cue phrases are written as words, not regexes, so a user can write a
watchlist without knowing regex syntax. See the header of watchlists/kashmir-mediation.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

SEP = r"[\s\-–'‘’\"“”]+"  # between words: spaces, hyphens, quotes ("India-Pakistan" == "India Pakistan")
# ".." : up to seven words; it crosses a comma only inside a list of names ("urges India,
# Pakistan to talk"), not into the next phrase ("rejects the stance, calls for a UN role")
GAP = (  # (a quote may separate words too: "regrets 'Mahathir's' remarks")
    r"(?:[\s\-–'‘’\"“”]+[^\s,]+,?(?=\s+(?:and\s+)?(?-i:[A-Z]))|[\s\-–'‘’\"“”]+[^\s,]+){0,7}?"
)
_CLASS = re.compile(r"^\{([a-z_][a-z0-9_]*)\}$")


class PhraseError(ValueError):
    """A phrase that cannot be compiled (unknown {class}, empty alternative, ...)."""


_VOWELS = "aeiou"
# Irregular forms of verbs a watchlist is likely to use; any other verb follows the rules below.
_IRREGULAR = {
    "seek": ("seeks", "sought", "seeking"),
    "say": ("says", "said", "saying"),
    "hold": ("holds", "held", "holding"),
    "shut": ("shuts", "shut", "shutting"),
    "put": ("puts", "put", "putting"),
    "set": ("sets", "set", "setting"),
    "keep": ("keeps", "kept", "keeping"),
    "stand": ("stands", "stood", "standing"),
    "give": ("gives", "gave", "given", "giving"),
    "take": ("takes", "took", "taken", "taking"),
    "bring": ("brings", "brought", "bringing"),
    "throw": ("throws", "threw", "thrown", "throwing"),
    "lend": ("lends", "lent", "lending"),
    "make": ("makes", "made", "making"),
    "see": ("sees", "saw", "seen", "seeing"),
    "be": ("is", "are", "was", "were", "been", "being"),
}


def _doubles(verb: str) -> bool:
    """Short consonant-vowel-consonant verbs double their last letter (snub: snubbed)."""
    return (
        len(verb) <= 4
        and len(verb) >= 3
        and verb[-1] not in _VOWELS + "wxy"
        and verb[-2] in _VOWELS
        and verb[-3] not in _VOWELS
    )


def inflections(verb: str) -> tuple[str, ...]:
    """A verb lemma and its -s, -ed and -ing forms (regular English spelling rules, plus a few
    irregular verbs): "welcome" -> welcome, welcomes, welcomed, welcoming."""
    if verb in _IRREGULAR:
        return (verb, *_IRREGULAR[verb])
    if verb.endswith(("s", "x", "z", "ch", "sh")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2:-1] not in tuple(_VOWELS):
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if verb.endswith("e"):
        past, ing = verb + "d", (verb[:-2] + "ying" if verb.endswith("ie") else verb[:-1] + "ing")
        if verb.endswith("ee"):
            ing = verb + "ing"
    elif verb.endswith("y") and verb[-2:-1] not in tuple(_VOWELS):
        past, ing = verb[:-1] + "ied", verb + "ing"
    elif _doubles(verb):
        past, ing = verb + verb[-1] + "ed", verb + verb[-1] + "ing"
    else:
        past, ing = verb + "ed", verb + "ing"
    return (verb, third, past, ing)


def expand_verbs(phrase: str) -> list[str]:
    """A phrase whose words end in "+" ("brush+ aside") as one phrase per inflection of each."""
    out = [""]
    for word in phrase.split():
        forms = inflections(word[:-1]) if len(word) > 1 and word.endswith("+") else (word,)
        out = [f"{head} {form}".strip() for head in out for form in forms]
    return out


def _word(alt: str) -> str:
    if not alt:
        raise PhraseError("empty word")
    if len(alt) > 1 and alt.endswith("+"):
        return "(?:" + "|".join(_word(form) for form in inflections(alt[:-1])) + ")"
    star = alt.endswith("*")
    stem = alt[:-1] if star else alt
    if not stem:
        raise PhraseError("a bare '*' matches everything")
    # an inner hyphen matches "third-party", "third party" and "thirdparty"
    body = r"[\s\-]?".join(re.escape(part) for part in stem.split("-"))
    return body + (r"\w*" if star else "")


def _token(token: str, classes: Mapping[str, str]) -> tuple[str, bool]:
    """One token to (regex, optional)."""
    optional = len(token) > 1 and token.endswith("?")
    if optional:
        token = token[:-1]
    if token.startswith("(") and token.endswith(")"):
        token = token[1:-1]
    found = _CLASS.match(token)
    if found:
        name = found.group(1)
        if name not in classes:
            raise PhraseError(f"unknown class {{{name}}}")
        return classes[name], optional
    alternatives = []
    for alt in token.split("|"):
        inner = _CLASS.match(alt.strip())
        if inner:  # "({outside_role}|{outside_help})": a class as one alternative
            if inner.group(1) not in classes:
                raise PhraseError(f"unknown class {{{inner.group(1)}}}")
            alternatives.append(classes[inner.group(1)])
            continue
        # an alternative may hold several words: "(dialogue|peaceful means)"
        alternatives.append(
            SEP.join(_word(word) for word in alt.split()) if alt.strip() else _word(alt)
        )
    return "(?:" + "|".join(alternatives) + ")", optional


def _split_tokens(phrase: str) -> list[str]:
    """Words, keeping a parenthesised group of alternatives ("(peaceful means|talks)") whole."""
    tokens: list[str] = []
    depth = 0
    for word in phrase.split():
        if depth:
            tokens[-1] += " " + word
        else:
            tokens.append(word)
        depth += word.count("(") - word.count(")")
        if depth < 0:
            raise PhraseError("unbalanced ')'")
    if depth:
        raise PhraseError("unbalanced '('")
    return tokens


def phrase_regex(phrase: str, classes: Mapping[str, str] | None = None) -> str:
    """Regex source (no flags) for one phrase, anchored on word boundaries."""
    tokens = _split_tokens(phrase.strip())
    if not tokens:
        raise PhraseError("empty phrase")
    classes = classes or {}
    parts: list[str] = []
    gap_pending = False
    for index, token in enumerate(tokens):
        if token == "..":
            if index == 0 or index == len(tokens) - 1:
                raise PhraseError("'..' must sit between two words")
            gap_pending = True
            continue
        body, optional = _token(token, classes)
        if optional and not parts:
            raise PhraseError("the first word cannot be optional (write each form: a|b)")
        if not parts:
            parts.append(f"(?:{body})" + ("?" if optional else ""))
        else:
            glue = (GAP if gap_pending else "") + SEP
            parts.append(f"(?:{glue}{body})" + ("?" if optional else ""))
        gap_pending = False
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


# literal words (each with a letter or digit), hyphens, trailing *: no "..", classes or choices
_SIMPLE = re.compile(r"^[\w&.'’-]*\w[\w&.'’-]*\*?(?: [\w&.'’-]*\w[\w&.'’-]*\*?)*$")
_END = ""  # trie key marking "a phrase may end here"


def _atoms(phrase: str) -> list[str]:
    """A simple phrase (words, hyphens, trailing *) as regex atoms, one per character."""
    atoms: list[str] = []
    for index, word in enumerate(phrase.split()):
        if index:
            atoms.append(SEP)
        star = word.endswith("*")
        for char in word.rstrip("*"):
            atoms.append(r"[\s\-]?" if char == "-" else re.escape(char))
        if star:
            atoms.append(r"\w*")
    return atoms


def _trie_source(node: dict) -> str:
    branches = [atom + _trie_source(child) for atom, child in node.items() if atom != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


def _trie(phrases: list[str]) -> str:
    """Simple phrases merged into a prefix tree: far faster than a flat alternation in `re`,
    which would try every phrase at every position."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for atom in _atoms(phrase):
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _trie_source(root)


def alternation(
    phrases: Iterable[str], classes: Mapping[str, str] | None = None, case_sensitive: bool = False
) -> str:
    """One regex source matching any of the phrases, on word boundaries."""
    # a simple phrase with verb lemmas ("turn+ down") joins the fast prefix tree as its forms
    expanded = [
        form
        for phrase in phrases
        for form in (expand_verbs(phrase) if _SIMPLE.match(phrase.replace("+", "")) else [phrase])
    ]
    unique = sorted(set(expanded), key=len, reverse=True)
    key = (lambda p: p) if case_sensitive else str.casefold
    simple = sorted({key(p) for p in unique if _SIMPLE.match(p)})
    parts = [phrase_regex(p, classes) for p in unique if not _SIMPLE.match(p)]
    if simple:
        # longest match first: the trie tries longer continuations before ending
        parts.append(r"(?<!\w)" + _trie(simple) + r"(?!\w)")
    return "(?:" + "|".join(parts) + ")"


def compile_classes(terms: Mapping[str, list[str]]) -> dict[str, str]:
    """[terms] classes to regex sources (a class may not use another class)."""
    return {name: alternation(phrases) for name, phrases in terms.items()}


def normalise_alias(text: str) -> str:
    """The lookup key for a matched alias: one space between words, case folded."""
    return re.sub(r"[\s\-–]+", " ", text).strip().casefold()
