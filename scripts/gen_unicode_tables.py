#!/usr/bin/env python3
"""Generates src/normalize's data tables from Debian's packaged Unicode and OpenCC data.

Run by the build (see CMakeLists.txt); nothing is downloaded. Two tables:

* Chinese variant folding: equivalence classes over OpenCC's single-character dictionaries
  (TSCharacters: traditional -> simplified; STCharacters: simplified -> traditional; the Taiwan
  and Hong Kong variant reversals), and the few regional spellings in EXTRA_VARIANTS. Every
  character of a class folds to one representative, so 著 and 着, 乾, 干 and 幹, or 帳, 帐
  and 账, normalise alike on both the pattern and the transcript side.
* Toneless Mandarin readings from Unihan's kMandarin field, for homophone patterns (~乱扣钱).

Usage: gen_unicode_tables.py OUT.cpp UNIHAN_READINGS.bz2 OPENCC_DICT.txt...
(the dictionaries as text, one "key<TAB>value value..." per line, from `opencc_dict -t text`).
"""
import bz2
import sys
import unicodedata
from collections import Counter, defaultdict


def read_dictionary(path):
    """Yields (key, [values]) character pairs of an OpenCC text dictionary. Phrase entries
    (TSPhrases: 扞衛 -> 捍卫) are aligned character by character when key and value have the
    same length, which adds the context-dependent choices that single-character tables lack."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            key, values = parts[0], parts[1].split(" ")
            if len(key) == 1:
                values = [v for v in values if len(v) == 1]
                if values:
                    yield key, values
                continue
            for v in values:
                if len(v) == len(key):
                    for a, b in zip(key, v):
                        if a != b:
                            yield a, [b]


# Variants that OpenCC keeps apart because each is correct in its own region, but that spell
# the same word: Taiwan writes 帳單/帳戶 (帳 -> 帐) where the mainland writes 账单/账户, so a
# pattern for 账单 would miss every traditional bill. (representative, variant): the class
# folds to the representative, the everyday form.
EXTRA_VARIANTS = [("账", "帐")]


def variant_classes(dictionary_paths):
    """Returns {code point: representative code point} for every character with a variant."""
    parent = {}

    def find(c):
        root = c
        while parent.get(root, root) != root:
            root = parent[root]
        while c != root:  # path compression
            parent[c], c = root, parent.get(c, c)
        return root

    def union(a, b):
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_value_count = Counter()
    traditional_keys = set()
    for path in dictionary_paths:
        is_t2s = path.endswith("TSCharacters.txt")
        for key, values in read_dictionary(path):
            if is_t2s:
                first_value_count[values[0]] += 1
                traditional_keys.add(key)
            for v in values:
                union(key, v)
    for a, b in EXTRA_VARIANTS:
        union(a, b)

    members = defaultdict(set)
    for c in list(parent):
        members[find(c)].add(c)

    mapping = {}
    for group in members.values():
        group = sorted(group)
        # The simplified form: a character that is not itself a traditional key (了, not 瞭,
        # though 瞭 is also simplified in 瞭望), then the most frequent first t2s value, then
        # the lowest code point; EXTRA_VARIANTS name theirs.
        chosen = [r for r, _ in EXTRA_VARIANTS if r in group]
        rep = chosen[0] if chosen else max(
            group, key=lambda c: (c not in traditional_keys, first_value_count[c], -ord(c)))
        for c in group:
            if c != rep:
                mapping[ord(c)] = ord(rep)
    return mapping


def toneless(reading):
    """'lǜ' -> 'lv', 'qián' -> 'qian'."""
    out = []
    for ch in unicodedata.normalize("NFD", reading):
        if ch == "\u0308":  # diaeresis: ü
            out[-1] = "v"
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out).lower()


def mandarin_readings(unihan_path):
    """Returns sorted [(code point, syllable)] with one row per distinct toneless reading."""
    rows = set()
    with bz2.open(unihan_path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("U+"):
                continue
            cp, field, value = line.rstrip("\n").split("\t", 2)
            if field != "kMandarin":
                continue
            for reading in value.split():
                rows.add((int(cp[2:], 16), toneless(reading)))
    return sorted(rows)


def main():
    out_path, unihan_path, *dictionaries = sys.argv[1:]
    variants = variant_classes(dictionaries)
    readings = mandarin_readings(unihan_path)
    syllables = sorted({s for _, s in readings})
    index = {s: i for i, s in enumerate(syllables)}

    lines = [
        "// Generated by scripts/gen_unicode_tables.py from Debian's OpenCC and Unihan data.",
        "// Do not edit.",
        '#include "normalize/unicode_tables.hpp"',
        "",
        "namespace tact::internal {",
        "",
        "const VariantFold kVariantFolds[] = {",
    ]
    lines += [f"    {{0x{c:X}, 0x{r:X}}}," for c, r in sorted(variants.items())]
    lines += ["};", f"const std::size_t kVariantFoldCount = {len(variants)};", ""]
    lines += ["const char* const kPinyinSyllables[] = {"]
    lines += [f'    "{s}",' for s in syllables]
    lines += ["};", f"const std::size_t kPinyinSyllableCount = {len(syllables)};", ""]
    lines += ["const PinyinReading kPinyinReadings[] = {"]
    lines += [f"    {{0x{c:X}, {index[s]}}}," for c, s in readings]
    lines += ["};", f"const std::size_t kPinyinReadingCount = {len(readings)};", ""]
    lines += ["}  // namespace tact::internal", ""]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"gen_unicode_tables: {len(variants)} variant folds, "
          f"{len(readings)} readings over {len(syllables)} syllables")


if __name__ == "__main__":
    main()
