"""Chinese tokens for keyword retrieval: jieba search-mode words plus character bigrams.

Plain ``jieba.lcut`` misses sub-words (飞机场 never matches 机场); search mode
adds the sub-words jieba knows; character bigrams match any two-character
overlap.  The default is the union of search-mode words and bigrams, each text
span counted once.  Keyword-only MRR on the dev split of evaluation/gold.jsonl
(``benchmarks/bench_index.py --choices``): words 0.901, bigrams 0.912,
search 0.918, search+bigrams 0.923 (test split: 0.910 / 0.927 / 0.896 / 0.898;
the modes are within two questions of each other there).

Unit names from the corpus's responsibility parentheses are loaded as a user
dictionary, so 市委宣传部 or 临沂商城管委会 come out as one token (and their
parts still as bigrams): callers that look for unit names in tokens, like the QA
layer, see them whole.  Text is normalised first (``corpus.text.normalise``), so
full- and half-width forms tokenise alike.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Iterable
from typing import Literal, get_args

import jieba

from corpus import lexicon
from corpus.loader import Corpus
from corpus.text import normalise

Mode = Literal["words", "search", "bigrams", "search+bigrams"]
MODES: tuple[Mode, ...] = get_args(Mode)
DEFAULT_MODE: Mode = "search+bigrams"

# jieba logs its dictionary loading at DEBUG to stderr; a CLI or a server has no use for it.
jieba.setLogLevel(logging.WARNING)

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")


def unit_words(corpus: Corpus) -> list[str]:
    """Unit names of the corpus, full (济南市委宣传部) and without their place (市委宣传部, 教育局); and the
    officials' names without their titles (韩立新 of 韩立新副市长), which jieba would cut (韩 + 立新)."""
    names = {entry.written for entry in corpus.units.values()}
    names |= {lexicon.person_name(name) for clause in corpus.clauses for name in clause.leaders}
    cores = [lexicon.place_core(p) for p in corpus.places]
    for name in list(names):
        for place, core in zip(corpus.places, cores, strict=True):
            if name.startswith(core + "市委"):  # 济南市委宣传部 → 市委宣传部
                names.add(name[len(core) :])
            elif name.startswith(place):  # 济南市教育局 → 教育局
                names.add(name[len(place) :])
    return sorted({normalise(n) for n in names if len(n) >= 2})


class ChineseTokenizer:
    """A private jieba instance with the corpus's unit names; safe to share between threads once built.

    Building it loads jieba's dictionary (about 0.6 s from jieba's cache in the temp folder).
    """

    def __init__(self, user_words: Iterable[str] = (), mode: Mode = DEFAULT_MODE) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown tokenizer mode {mode!r}; expected one of {', '.join(MODES)}")
        self.mode = mode
        self._jieba = jieba.Tokenizer()
        # A user dictionary without frequencies: jieba picks one that keeps each name whole.
        self._jieba.load_userdict(io.StringIO("\n".join(user_words)))
        # One question's form is segmented by several steps (analysis, places, topic parts): once is enough.
        self._words = functools.lru_cache(maxsize=4096)(self._segment)

    @classmethod
    def for_corpus(cls, corpus: Corpus, mode: Mode = DEFAULT_MODE) -> ChineseTokenizer:
        """The tokenizer of a corpus, shared within the process: reloading or rebuilding an index
        for the same unit names does not load jieba's dictionary again."""
        return _shared(tuple(unit_words(corpus)), mode)

    @property
    def name(self) -> str:
        """Recorded in the manifest: an index is stale when its tokens were made another way."""
        return f"jieba-{self.mode}/3"  # 3: officials' names whole

    def words(self, form: str) -> tuple[tuple[int, int], ...]:
        """The (start, end) of each word of an already normalised text, jieba's precise segmentation with
        the corpus's unit names whole: every character in exactly one word."""
        return self._words(form)

    def known(self, word: str) -> bool:
        """Whether ``word`` is a word of jieba's dictionary or of the corpus's unit names (青岚 is not)."""
        self._jieba.check_initialized()
        return self._jieba.FREQ.get(word, 0) > 0

    def _segment(self, form: str) -> tuple[tuple[int, int], ...]:
        return tuple((start, end) for _, start, end in self._jieba.tokenize(form))

    def tokenize(self, text: str) -> list[str]:
        """Tokens of the normalised text in text order, punctuation-only tokens dropped."""
        form = normalise(text)
        spans: dict[tuple[int, int], str] = {}
        if self.mode != "bigrams":
            jieba_mode = "default" if self.mode == "words" else "search"
            spans.update(
                ((start, end), word) for word, start, end in self._jieba.tokenize(form, mode=jieba_mode)
            )
        if self.mode in ("bigrams", "search+bigrams"):
            for run in _HAN_RUN.finditer(form):
                spans.update(((i, i + 2), form[i : i + 2]) for i in range(run.start(), run.end() - 1))
        return [spans[span] for span in sorted(spans) if any(ch.isalnum() for ch in spans[span])]


@functools.lru_cache(maxsize=1)
def dictionary_places() -> frozenset[str]:
    """The words jieba's bundled dictionary tags as place names (ns: 平阴, 青岛, 甘肃省); ~0.3 s to read."""
    with jieba.get_dict_file() as lines:
        return frozenset(
            word for word, _, tag in (line.decode("utf-8").split() for line in lines if line.strip()) if tag == "ns"
        )


def dictionary_tags(words: Iterable[str]) -> dict[str, str]:
    """jieba's part-of-speech tag of each of ``words`` its bundled dictionary has (民宿 → n, 完成 → v); ~0.06 s."""
    wanted = {w.encode("utf-8") for w in words}
    found: dict[str, str] = {}
    with jieba.get_dict_file() as lines:
        for line in lines:
            word, _, rest = line.partition(b" ")
            if word in wanted:
                found[word.decode("utf-8")] = rest.rsplit(b" ", 1)[-1].strip().decode("utf-8")
    return found


@functools.lru_cache(maxsize=4)
def _shared(user_words: tuple[str, ...], mode: Mode) -> ChineseTokenizer:
    return ChineseTokenizer(user_words, mode)
