"""Places and years a question names that the documents never mention: 济南和甘肃的协作, 平阴县跟谁结对,
2022年完成了多少项目 (of a 2023 plan that names no 2022).

No clause can answer for a place the corpus does not name, however well the rest of the question
matches (对口合作, 项目): such a question is refused, saying which place the documents do not mention.
A place is a whole word of the question (the keyword channel's segmentation, unit names whole, so the
place inside 济南市教育局 is not one) that is a province-level name (``lexicon.PROVINCES``) or a name
jieba's dictionary tags as a place followed by an administrative suffix (``lexicon.ADMIN_SUFFIXES``:
平阴县, 青岛市).  A bare two-character name is not taken for a place unless it is a province: jieba tags
many everyday words as places too (新建, 长安, 太平).  A town's or a street's name (``lexicon.TOWN_SUFFIXES``:
桃源街道, 花桥镇) is a place whatever its two characters are.  The documents mention a place when their text
contains its name without the suffix (甘肃省 is mentioned by 甘肃).  A year is mentioned when the text
names it, or a span of years that holds it (2023—2025年 mentions 2024).

A question may also open with a place no dictionary knows (青岚县负责什么, of a plan without 青岚): two
characters that are no word of jieba's dictionary, then a one-character suffix, and not the documents'.
Neither character may be a reference to places or a preposition (各区县, 两市县, 在莒县: ``lexicon.
NOT_NAME_CHARS``), and the name no kind of area (经济区, 老城区).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from corpus import lexicon
from corpus.text import in_order
from qa.models import Words

_NAMED_YEAR = re.compile(rf"{lexicon.YEAR.pattern}\s*年")
_DEPARTMENT_ENDS = sorted(lexicon.DEPARTMENT_ENDS, key=len, reverse=True)  # 管委会 before 委
_QUESTION_CUES = tuple(w for words in lexicon.ANSWER_TYPE_CUES.values() for w in words)
_ONE_CHAR_SUFFIXES = tuple(s for s in lexicon.ADMIN_SUFFIXES if len(s) == 1)
_HAN = re.compile(r"[\u4e00-\u9fff]{2}")


def _asks(word: str) -> bool:
    """A word of the phrases that ask for a fact (时候 of 什么时候): never part of an office's name."""
    return len(word) >= 2 and any(word in cue for cue in _QUESTION_CUES)


class Gazetteer:
    def __init__(self, mentioned: str, words: Words,
                 places: Collection[str], units: Collection[str], known: Callable[[str], bool]) -> None:
        """``mentioned``: the corpus's text (clauses, titles, places), normalised; ``words``: the word spans
        of a normalised text; ``places``: the words a dictionary tags as place names; ``units``: the
        responsible units' names, normalised; ``known``: whether a word is in the segmenter's dictionary."""
        self._mentioned, self._words, self._places, self._units = mentioned, words, places, tuple(units)
        self._known = known
        self._years = {int(y) for y in lexicon.YEAR.findall(mentioned)}
        for first, last in lexicon.YEAR_SPAN.findall(mentioned):
            self._years.update(range(int(first), int(last) + 1))

    def _core(self, word: str) -> str | None:
        """The name of the place ``word`` is (甘肃省 → 甘肃), or None when it is not a place."""
        if word in lexicon.PROVINCES:
            return word
        for suffix in lexicon.ADMIN_SUFFIXES:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 2 and (
                    stem in lexicon.PROVINCES or stem in self._places or suffix in lexicon.TOWN_SUFFIXES
                    and not any(ch in lexicon.NOT_NAME_CHARS for ch in stem)):
                return stem
        return None

    def absent(self, form: str) -> tuple[str, ...]:
        """The years, then the places, the normalised question ``form`` names that the documents do not mention."""
        found = [f"{year}年" for year in dict.fromkeys(int(y) for y in _NAMED_YEAR.findall(form))
                 if year not in self._years]
        words = [form[a:b] for a, b in self._words(form)]
        for at, word in enumerate(words):
            if at + 1 < len(words) and words[at + 1] in lexicon.ADMIN_SUFFIXES:
                word += words[at + 1]  # 兰陵 + 县: one place, two words of the segmenter
            core = self._core(word)
            if core and core not in self._mentioned and word not in found:
                found.append(word)
        leading = self._leading_place(form)
        if leading and leading not in found:
            found.append(leading)
        return tuple(found)

    def _leading_place(self, form: str) -> str | None:
        """The unknown place the question opens with (青岚县…), when the documents do not mention it."""
        stem, suffix = form[:2], form[2:3]
        name = stem + suffix
        if (suffix not in _ONE_CHAR_SUFFIXES or not _HAN.fullmatch(stem) or self._known(stem)
                or any(ch in lexicon.NOT_NAME_CHARS for ch in stem) or stem in self._mentioned
                or name.startswith(lexicon.NOT_PLACES) or name.endswith(lexicon.NOT_PLACE_ENDINGS)):
            return None
        return name

    def unmentioned_units(self, form: str) -> tuple[str, ...]:
        """Departments the normalised question ``form`` names (a word of three or more characters ending
        like one: 教育局, 城投集团) that the documents never mention: 区教育局负责什么, of a plan without it."""
        found: list[str] = []
        words = [form[a:b] for a, b in self._words(form)]
        for at, word in enumerate(words):
            first = at
            # a two-character word no dictionary has, ending as an office does, is a name cut in two (区文 + 旅局)
            cut = len(word) == 2 and word[-1] in lexicon.DEPARTMENT_ENDS and not self._known(word)
            if ((word in lexicon.DEPARTMENT_ENDS or word in lexicon.GENERIC_OFFICE_WORDS or cut) and first > 0
                    and not _asks(words[first - 1])):
                first -= 1  # 审计 + 厅, 城投 + 集团, 退役军人 + 事务局: one name, two words; not 时候 + 办 (什么时候办)
            # 省 + 审计厅, 区 + 教育局; 临沂市 + 审计局 (not the 审计局 of 松溪县审计局)
            if first > 0 and (words[first - 1] in lexicon.ADMIN_SUFFIXES or self._core(words[first - 1])):
                first -= 1
            name = "".join(words[first : at + 1])
            if (len(name) >= 3 and name.endswith(lexicon.DEPARTMENT_ENDS)
                    and not name.endswith(lexicon.NOT_DEPARTMENT_ENDS) and name not in self._mentioned):
                found.append(name)
        return tuple(dict.fromkeys(found))

    def without_places(self, form: str) -> str:
        """``form`` without its place names (济南市, 甘肃) and spaces."""
        return "".join(form[a:b] for a, b in self._words(form) if not self._core(form[a:b]) and not form[a:b].isspace())

    def unknown_offices(self, form: str) -> tuple[str, ...]:
        """The unmentioned departments of ``form`` that no unit could be short for: no unit's name holds
        the characters of its office in order (体育局 of a plan without one; 发改局 is 发展改革委's)."""
        found = []
        for name in self.unmentioned_units(form):
            office = name.lstrip("".join(lexicon.LEVEL_PREFIXES))
            ending = next((e for e in _DEPARTMENT_ENDS if office.endswith(e)), "")
            core = office[: len(office) - len(ending)]
            if core and not any(in_order(core, unit) for unit in self._units):
                found.append(name)
        return tuple(found)
