"""Vietnamese diacritic restoration for accent-free text (OCR, telex-less typing).

`restore("Ke hoach hanh dong cua UBND tinh")` → "Kế hoạch hành động của UBND tỉnh".

How it works: every word is a syllable; its accent-free, lower-case form (the *key*) has a short
list of accented forms seen in the project's Vietnamese text (the *candidates*: "cua" → của, cua,
cửa). A syllable trigram language model (interpolated Kneser-Ney) over that text scores every
sequence of candidates and a beam Viterbi search picks the best one. Known phrases (organisation
names and aliases, plan texts passed as a lexicon) are matched first: an exact accent-free match
of a whole known phrase fixes its words before the model decides the rest.

The model is built from text the project ships (scripts/build_diacritics_model.py) and stored in
planwatch/lib/data/diacritics_vi.json.gz; nothing is downloaded. It is loaded lazily, once.

Rules kept by `restore`: case (UPPER, Title, lower, per letter), punctuation, numbers, spacing and
codes ("57-NQ/TW", "QD-UBND" → "QĐ-UBND") stay; a word that already carries a diacritic is kept as
is; a letter run glued to a digit ("5G", OCR noise "d6i") is kept; a word the model has never seen
is kept. Only the letters of accent-free syllables change.

For an imported document: decide once whether it needs restoring (`has_diacritics`) and whether
it is OCR output (`looks_like_ocr`: then `restore(..., ocr=True)` also undoes typical misreadings
such as "Thubng" → "Thường"); add what the database knows with `extend_model(texts, phrases)` and
pass a `Lexicon` of known names, both built once per document.
Measured by bench/diacritics_accuracy.py (leave-one-document-out word accuracy on the seeds).
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from planwatch.lib.text import normalize_tone_placement, strip_accents

MODEL_PATH = Path(__file__).resolve().parent / "data" / "diacritics_vi.json.gz"
MODEL_FORMAT = 1

# A word: letters, with any combining marks of decomposed text. Digits and "_" are not letters.
_TOKEN = re.compile(r"(?P<w>(?:[^\W\d_]|[\u0300-\u036f])+)|(?P<n>\d+)|(?P<p>\S)")
_QUOTES = {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "."}
# Signs that join the parts of a document code: 57-NQ/TW, QĐ-UBND, KH&CN.
_CODE_JOINERS = frozenset("-/&")
_log = math.log
_BOS = "<s>"
_EOS = "</s>"
_NUM = "<n>"
_DISCOUNT = 0.75
_MAX_CANDIDATES = 6
# A candidate much rarer than the key's most frequent form is noise (a typo of the corpus).
_MIN_CANDIDATE_SHARE = 0.005
_BEAM = 6
# States whose log-probability trails the best by more than this are dropped.
_BEAM_WIDTH = 9.0


class Token(NamedTuple):
    kind: str  # "w" word, "n" number, "p" punctuation
    start: int
    end: int
    text: str
    glued: bool = False  # a word touching a digit, or a list marker "d)": a code, not a syllable
    code: bool = False  # a capital abbreviation inside a code ("NQ" of "57-NQ/TW"): only d → đ


def tokenize(text: str) -> list[Token]:
    """Words, numbers and punctuation marks with their spans; whitespace is not a token."""
    tokens = [Token(m.lastgroup or "p", m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        if tok.kind != "w":
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1] if i < last else None
        # A word directly against a digit ("5G", "A1", OCR "d6i") is a code or noise.
        glued = (before is not None and before.end == tok.start and before.kind == "n") or (
            after is not None and after.start == tok.end and after.kind == "n"
        )
        # A list marker "d)" is not the syllable "đ" (lists run a) b) c) d) đ) e)).
        glued = glued or (len(tok.text) == 1 and after is not None and after.start == tok.end and after.text == ")")
        if glued:
            tokens[i] = tok._replace(glued=True)
        elif len(tok.text) > 1 and tok.text.isupper() and (
            (before is not None and before.end == tok.start and before.text in _CODE_JOINERS)
            or (after is not None and after.start == tok.end and after.text in _CODE_JOINERS)
        ):
            tokens[i] = tok._replace(code=True)
    return tokens


@lru_cache(maxsize=65536)
def word_form(word: str) -> str:
    """The form a word has in the model: NFC, lower case, traditional tone placement ("hóa")."""
    return normalize_tone_placement(unicodedata.normalize("NFC", word).lower())


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The accent-free, lower-case form that the candidates are listed under."""
    return strip_accents(unicodedata.normalize("NFC", word).lower())


def _model_token(tok: Token) -> str:
    if tok.kind == "w":
        return word_form(tok.text)
    if tok.kind == "n":
        return _NUM
    return _QUOTES.get(tok.text, tok.text)


def _is_accented(word: str) -> bool:
    if word.isascii():
        return False
    return word_key(word) != unicodedata.normalize("NFC", word).lower()


# --- training ---------------------------------------------------------------------------------


def sequences(text: str) -> list[list[str]]:
    """The model tokens of a text, one sequence per table cell (tab). Line breaks and blank lines
    do not end a sequence: extracted text wraps lines in mid-sentence."""
    out = []
    for block in text.split("\t"):
        toks = [_model_token(t) for t in tokenize(block)]
        if toks:
            out.append(toks)
    return out


def train(texts: Iterable[str], phrases: Iterable[str] = ()) -> dict:
    """Count trigrams and candidates over texts; returns the JSON-ready model dict."""
    tri: Counter[tuple[str, str, str]] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for seq in sequences(text):
            padded = [_BOS, _BOS, *seq, _EOS]
            for i in range(2, len(padded)):
                tri[(padded[i - 2], padded[i - 1], padded[i])] += 1
            for tok in seq:
                if tok[0].isalpha():
                    forms[word_key(tok)][tok] += 1
    vocab = sorted({w for gram in tri for w in gram})
    index = {w: i for i, w in enumerate(vocab)}
    flat = []
    for (u, v, w), c in sorted(tri.items()):
        flat.extend((index[u], index[v], index[w], c))
    candidates = {}
    for key, counter in sorted(forms.items()):
        top = counter.most_common(1)[0][1]
        kept = [f for f, c in counter.most_common(_MAX_CANDIDATES) if c >= top * _MIN_CANDIDATE_SHARE]
        candidates[key] = [index[f] for f in kept]
    phrase_list = sorted({unicodedata.normalize("NFC", p).strip() for p in phrases if p and p.strip()})
    return {
        "format": MODEL_FORMAT,
        "vocab": vocab,
        "trigrams": flat,
        "candidates": candidates,
        "phrases": phrase_list,
    }


def save_model(model: dict, path: Path = MODEL_PATH) -> None:
    raw = json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode()
    # mtime=0: the same model gives the same bytes, so rebuilding without changes is no diff.
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)


# --- the model --------------------------------------------------------------------------------


# How OCR without a Vietnamese language pack misreads the accented letters it drops, as
# (printed, read) pairs: ơ/ờ/ở → d or b, ư → ir or tr, ị → j, í → l, m → rn or in, c → e, o → g or
# q, ơn → cm, ơ → cr, ng → mg, h → li, u → n, l → I, t → l, á → i. An unknown word is tried with up to two of them
# undone; what it becomes must be a word the model knows.
_OCR_MISREADINGS = (
    ("o", "d"), ("o", "b"), ("a", "d"), ("u", "ir"), ("u", "tr"), ("i", "j"), ("i", "l"),
    ("m", "rn"), ("m", "in"), ("c", "e"), ("o", "g"), ("o", "q"), ("o", "p"), ("on", "cm"), ("o", "cr"), ("ng", "mg"),
    ("uo", "ue"), ("uo", "ua"), ("h", "li"), ("u", "n"), ("l", "i"), ("t", "l"), ("h", "b"), ("in", "m"),
    ("hu", "lnr"), ("ie", "ic"), ("a", "i"),
)  # fmt: skip
_OCR_EDIT_COST = 3.5


@lru_cache(maxsize=20_000)
def _ocr_variants(key: str) -> tuple[tuple[str, int], ...]:
    """Readings of an OCR'd word with one or two misreadings undone: (variant, edits)."""

    def undo_one(word: str) -> set[str]:
        out = set()
        for printed, read in _OCR_MISREADINGS:
            start = word.find(read)
            while start >= 0:
                out.add(word[:start] + printed + word[start + len(read) :])
                start = word.find(read, start + 1)
        out.discard(word)
        return out

    first = undo_one(key)
    seen = {v: 1 for v in first}
    for v in first:
        for w in undo_one(v):
            seen.setdefault(w, 2)
    seen.pop(key, None)
    return tuple(seen.items())


def _ocr_correctable(word: str) -> bool:
    """A plain word (lower, Title or a short capital run such as "IToi"), not an abbreviation."""
    return len(word) >= 2 and word.isascii() and not (word.isupper() and len(word) > 2)


class Model:
    """Interpolated Kneser-Ney trigram model over syllables, and the candidates of each key.

    Words are numbered (their index in `vocab`; `oov` for a word the model has never seen) and
    an n-gram is one integer, (u * n + v) * n + w: cheaper to hash than a tuple of strings.
    """

    def __init__(self, data: dict):
        if data.get("format") != MODEL_FORMAT:
            raise ValueError("unknown diacritic model format")
        vocab: list[str] = data["vocab"]
        flat: list[int] = data["trigrams"]
        self.data = data  # kept to extend the model with more text (extend_model)
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.oov = len(vocab)
        n = self._n = len(vocab) + 1
        self.candidates: dict[str, tuple[int, ...]] = {key: tuple(ids) for key, ids in data["candidates"].items()}
        tri: dict[int, int] = {}
        ctx3: dict[int, list[int]] = {}  # u v → [c(u v ·), N1+(u v ·)]
        cont2: Counter[int] = Counter()  # v w → N1+(· v w)
        for i in range(0, len(flat), 4):
            u, v, w, c = flat[i], flat[i + 1], flat[i + 2], flat[i + 3]
            uv = u * n + v
            tri[uv * n + w] = c
            entry = ctx3.get(uv)
            if entry is None:
                ctx3[uv] = [c, 1]
            else:
                entry[0] += c
                entry[1] += 1
            cont2[v * n + w] += 1
        ctx2: list[list[int]] = [[0, 0] for _ in range(n)]  # v → [N1+(· v ·), N1+(v ·)]
        cont1 = [0] * n  # w → N1+(· w)
        for vw, count in cont2.items():
            v, w = divmod(vw, n)
            ctx2[v][0] += count
            ctx2[v][1] += 1
            cont1[w] += 1
        self._tri = tri
        self._ctx3 = {k: (c, m) for k, (c, m) in ctx3.items()}
        self._cont2 = dict(cont2)
        self._ctx2 = [(c, m) if c else None for c, m in ctx2]
        total = sum(cont1)
        # Add-half smoothing of the continuation unigram so an unseen word is possible, not free.
        # (Mixing in the plain frequency was tried: it lowers the leave-one-out accuracy.)
        self._p1 = [(m + 0.5) / (total + 0.5 * n) for m in cont1]
        # Keys whose every form is rare (seen after at most two different words): in OCR text
        # such a word is more likely a misreading ("tir" of a place "Ea Tir" → "từ").
        self.rare_keys = frozenset(
            key for key, forms in self.candidates.items() if all(cont1[w] <= 2 for w in forms)
        )
        self._cache: dict[int, float] = {}
        self._bos = self.ids.get(_BOS, self.oov)
        self._eos = self.ids.get(_EOS, self.oov)
        self.phrases: tuple[str, ...] = tuple(data.get("phrases", ()))
        self._lexicon: Lexicon | None = None
        self._ocr: dict[str, tuple[tuple[int, float], ...]] = {}

    @property
    def lexicon(self) -> Lexicon:
        """The known phrases shipped with the model (organisation names and aliases)."""
        if self._lexicon is None:
            self._lexicon = Lexicon(self.phrases)
        return self._lexicon

    def ocr_corrections(self, key: str) -> tuple[tuple[int, float], ...]:
        """Known words an unknown OCR'd word may be, with the log-cost of the misreadings."""
        found = self._ocr.get(key)
        if found is None:
            best: dict[int, float] = {}
            for variant, edits in _ocr_variants(key):
                for rank, w in enumerate(self.candidates.get(variant, ())):
                    cost = -_OCR_EDIT_COST * edits - 0.1 * rank
                    if cost > best.get(w, -1e9):
                        best[w] = cost
            found = tuple(sorted(best.items(), key=lambda kv: -kv[1])[:_MAX_CANDIDATES])
            if len(self._ocr) > 50_000:
                self._ocr.clear()
            self._ocr[key] = found
        return found

    def code_forms(self, key: str) -> tuple[int, ...]:
        """The candidates of an abbreviation: the key itself and its spellings with đ (QĐ, HĐND)."""
        forms = tuple(i for i in self.candidates.get(key, ()) if self.vocab[i].replace("đ", "d") == key)
        return forms

    def _logp(self, u: int, v: int, w: int) -> float:
        """ln P(w | u v) by word ids, computed and cached (callers look in the cache first)."""
        n = self._n
        uv = u * n + v
        key = uv * n + w
        p = self._p1[w]
        c2 = self._ctx2[v]
        if c2 is not None:
            seen = self._cont2.get(v * n + w)  # every count stored is ≥ 1 > _DISCOUNT
            p = ((seen - _DISCOUNT if seen else 0.0) + _DISCOUNT * c2[1] * p) / c2[0]
        c3 = self._ctx3.get(uv)
        if c3 is not None:
            seen = self._tri.get(key)
            p = ((seen - _DISCOUNT if seen else 0.0) + _DISCOUNT * c3[1] * p) / c3[0]
        result = _log(p)
        cache = self._cache
        if len(cache) > 1_000_000:
            cache.clear()
        cache[key] = result
        return result

    def logp(self, u: str, v: str, w: str) -> float:
        """ln P(w | u v)."""
        ids, n = self.ids, self._n
        u_id, v_id, w_id = ids.get(u, self.oov), ids.get(v, self.oov), ids.get(w, self.oov)
        cached = self._cache.get((u_id * n + v_id) * n + w_id)
        return cached if cached is not None else self._logp(u_id, v_id, w_id)

    def decode(self, options: list[tuple[int, ...]], penalties: dict[int, tuple[float, ...]] | None = None) -> list[int]:
        """Best sequence choosing one word id per position (beam Viterbi over trigram states).

        A state is the id pair (previous word, word) as one integer, v * n + w. `penalties`: for
        some positions, a log-probability added to each option (the cost of an OCR correction).
        """
        penalties = penalties or {}
        n = self._n
        logp = self._logp
        cache = self._cache
        bos = self._bos
        beam: dict[int, float] = {bos * n + bos: 0.0}
        # Per position: the back-pointers, or the one previous state when there was one path.
        history: list[dict[int, int] | int] = []
        for pos, forms in enumerate(options):
            if len(forms) == 1 and len(beam) == 1:
                # One path in, one form: nothing to choose (most of a text).
                ((state, score),) = beam.items()
                w = forms[0]
                lp = cache.get(state * n + w)
                if lp is None:
                    u, v = divmod(state, n)
                    lp = logp(u, v, w)
                beam = {(state % n) * n + w: score + lp}
                history.append(state)
                continue
            nxt: dict[int, float] = {}
            back: dict[int, int] = {}
            cost = penalties.get(pos)
            for state, score in beam.items():
                base = state * n
                vn = (state % n) * n
                for j, w in enumerate(forms):
                    lp = cache.get(base + w)
                    if lp is None:
                        u, v = divmod(state, n)
                        lp = logp(u, v, w)
                    s = score + lp if cost is None else score + lp + cost[j]
                    new = vn + w
                    old = nxt.get(new)
                    if old is None or s > old:
                        nxt[new] = s
                        back[new] = state
            if len(nxt) > _BEAM:
                # Drop the hopeless states first (cheap), then keep the best _BEAM.
                floor = max(nxt.values()) - _BEAM_WIDTH
                nxt = {k: v for k, v in nxt.items() if v >= floor}
                if len(nxt) > _BEAM:
                    nxt = dict(heapq.nlargest(_BEAM, nxt.items(), key=itemgetter(1)))
            beam = nxt
            history.append(back)
        eos = self._eos
        state = max(beam, key=lambda st: beam[st] + (cache.get(st * n + eos) or logp(st // n, st % n, eos)))
        out: list[int] = []
        for back in reversed(history):
            out.append(state % n)
            state = back if isinstance(back, int) else back[state]
        out.reverse()
        return out


class Lexicon:
    """Known phrases indexed by their accent-free tokens, for exact whole-phrase matches."""

    _END = ""

    def __init__(self, phrases: Iterable[str] = ()):
        self._trie: dict = {}
        self.size = 0
        for phrase in phrases:
            self.add(phrase)

    def add(self, phrase: str) -> None:
        toks = [t for t in tokenize(phrase) if not t.glued]
        forms = tuple(_model_token(t) for t in toks)
        # A single word is too weak a context to force ("Quang" may be Quang or Quảng).
        if sum(1 for t in toks if t.kind == "w") < 2 or not any(_is_accented(t.text) for t in toks if t.kind == "w"):
            return
        node = self._trie
        for form in forms:
            node = node.setdefault(word_key(form) if form[0].isalpha() else form, {})
        old = node.get(self._END, ())
        if old and old != forms:
            node[self._END] = None  # two phrases differ only in accents: not a sure match
        elif old is not None:
            node[self._END] = forms
            self.size += 1

    def matches(self, keys: list[str]) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """Longest non-overlapping matches, left to right: (first token, end token, forms)."""
        i = 0
        n = len(keys)
        while i < n:
            node = self._trie
            best: tuple[int, tuple[str, ...]] | None = None
            j = i
            while j < n:
                node = node.get(keys[j])
                if node is None:
                    break
                j += 1
                forms = node.get(self._END)
                if forms:
                    best = (j, forms)
            if best is None:
                i += 1
                continue
            yield i, best[0], best[1]
            i = best[0]


_MODEL: Model | None = None
_MODEL_LOCK = threading.Lock()


def load_model(path: Path | None = None) -> Model:
    """The shipped model, read once per process (lazy)."""
    global _MODEL
    if path is not None:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return Model(json.load(fh))
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
                    _MODEL = Model(json.load(fh))
    return _MODEL


def merge_models(base: dict, extra: dict) -> dict:
    """One model dict from two: trigram counts added, candidate lists joined (base's first)."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for data in (base, extra):
        vocab, flat = data["vocab"], data["trigrams"]
        for i in range(0, len(flat), 4):
            counts[(vocab[flat[i]], vocab[flat[i + 1]], vocab[flat[i + 2]])] += flat[i + 3]
    vocab = sorted({w for gram in counts for w in gram})
    index = {w: i for i, w in enumerate(vocab)}
    flat: list[int] = []
    for (u, v, w), c in sorted(counts.items()):
        flat.extend((index[u], index[v], index[w], c))
    candidates: dict[str, list[int]] = {}
    for data in (base, extra):
        for key, ids in data["candidates"].items():
            joined = candidates.setdefault(key, [])
            for form in (data["vocab"][i] for i in ids):
                if index[form] not in joined and len(joined) < _MAX_CANDIDATES + 2:
                    joined.append(index[form])
    phrases = sorted(set(base.get("phrases", ())) | set(extra.get("phrases", ())))
    return {"format": MODEL_FORMAT, "vocab": vocab, "trigrams": flat, "candidates": candidates, "phrases": phrases}


def extend_model(texts: Iterable[str], phrases: Iterable[str] = (), *, base: Model | None = None) -> Model:
    """The shipped model (or `base`) also trained on texts, with phrases added to its lexicon.

    For what the system already knows: organisation names and aliases, the names of plans,
    indicators and tasks in the database (documents.ingest.pipeline.lexicon() lists them; this
    module stays free of the ORM). Takes ~0.3 s; build it once per imported document, not per
    cell.
    """
    base = base or load_model()
    texts = [t for t in texts if t and diacritic_share(t) > 0]
    phrases = [p for p in phrases if p and diacritic_share(p) > 0]
    if not texts and not phrases:
        return base
    return Model(merge_models(base.data, train(texts, phrases)))


# --- restoring --------------------------------------------------------------------------------


def _apply_case(source: str, form: str) -> str:
    """Give `form` (lower case) the case of `source` letter by letter: UBND, Tỉnh, tỉnh."""
    if source.islower():
        return form
    if source.isupper() and len(source) > 1:
        return form.upper()
    if len(source) != len(form):  # an OCR correction ("Thubng" → "Thường"): Title or lower
        return form[:1].upper() + form[1:] if source[:1].isupper() else form
    return "".join(f.upper() if s.isupper() else f for s, f in zip(source, form, strict=True))


_LEXICON_CACHE: dict[tuple[str, ...], Lexicon] = {}


def _as_lexicon(lexicon: Iterable[str] | Lexicon) -> Lexicon | None:
    if isinstance(lexicon, Lexicon):
        return lexicon if lexicon.size else None
    phrases = tuple(lexicon)
    if not phrases:
        return None
    found = _LEXICON_CACHE.get(phrases)
    if found is None:
        if len(_LEXICON_CACHE) > 16:
            _LEXICON_CACHE.clear()
        found = _LEXICON_CACHE[phrases] = Lexicon(phrases)
    return found


def _plan(text: str, lexicons: list[Lexicon], model: Model):
    tokens = tokenize(text)
    forms = [_model_token(t) for t in tokens]
    keys = [word_key(f) if t.kind == "w" else f for t, f in zip(tokens, forms, strict=True)]
    fixed: dict[int, str] = {}
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for lexicon in lexicons:
        for i, j, phrase_forms in lexicon.matches(keys):
            if any(k in fixed for k in range(i, j)):
                continue
            spans.append((i, j, phrase_forms))
            for k in range(i, j):
                fixed[k] = phrase_forms[k - i]
    return tokens, forms, keys, fixed, spans


def _restorable(tok: Token) -> bool:
    return tok.kind == "w" and not tok.glued and not _is_accented(tok.text)


def restore(
    text: str, *, lexicon: Iterable[str] | Lexicon = (), model: Model | None = None, ocr: bool = False
) -> str:
    """The text with the diacritics of its accent-free words restored; see the module docstring.

    `lexicon`: known phrases (organisation names and aliases, plan and task texts); an exact
    accent-free match of a whole phrase wins over the model. A `Lexicon` built once is faster
    than a list when the same phrases serve many calls.
    """
    if not text:
        return text
    model = model or load_model()
    extra = _as_lexicon(lexicon)
    # Table cells repeat ("Sở Tài chính", "Thường xuyên"): remember the short ones.
    # The key holds the model and lexicon themselves (not their id, which a new object may reuse)
    # and the lexicon's size, which grows when a phrase is added.
    memo_key = (text, model, extra, extra.size if extra else 0, ocr) if len(text) <= 300 else None
    if memo_key is not None:
        found = _RESTORED.get(memo_key)
        if found is not None:
            return found
    restored = _restore(text, [lx for lx in (extra, model.lexicon) if lx is not None], model, ocr)
    if memo_key is not None:
        if len(_RESTORED) > 20_000:
            _RESTORED.clear()
        _RESTORED[memo_key] = restored
    return restored


_RESTORED: dict[tuple[str, Model, Lexicon | None, int, bool], str] = {}


def unknown_word_share(text: str, *, model: Model | None = None) -> float:
    """Share of the accent-free lower-case or Title words of text that the model does not know."""
    model = model or load_model()
    words = [t.text for t in tokenize(text) if t.kind == "w" and not t.glued and _ocr_correctable(t.text)]
    words = [w for w in words if not _is_accented(w)]
    if not words:
        return 0.0
    return sum(1 for w in words if word_key(w) not in model.candidates) / len(words)


def looks_like_ocr(text: str, *, threshold: float = 0.03, model: Model | None = None) -> bool:
    """Whether an accent-free document reads like OCR output: more than `threshold` of its plain
    words are unknown (clean accent-free text of this domain has under 1 %; seed 003 has ~10 %).
    Call it once on the whole document, then restore its fields with ocr=the answer."""
    return unknown_word_share(text, model=model) > threshold


def _restore(text: str, lexicons: list[Lexicon], model: Model, ocr: bool = False) -> str:
    tokens, forms, keys, fixed, _ = _plan(text, lexicons, model)
    restorable = [_restorable(t) for t in tokens]
    if not any(restorable):
        return text
    options: list[tuple[int, ...]] = []
    penalties: dict[int, tuple[float, ...]] = {}
    candidates = model.candidates
    ids = model.ids
    oov = model.oov
    for i, ok in enumerate(restorable):
        if ok and i in fixed:
            options.append((ids.get(fixed[i], oov),))
        elif ok and tokens[i].code:
            options.append(model.code_forms(keys[i]) or (ids.get(forms[i], oov),))
        elif ok and ocr and _ocr_correctable(tokens[i].text) and (
            keys[i] not in candidates or keys[i] in model.rare_keys
        ):
            found = model.ocr_corrections(keys[i])
            own = candidates.get(keys[i]) or (ids.get(forms[i], oov),)
            options.append((*own, *(w for w, _ in found)))
            penalties[i] = (*(0.0 for _ in own), *(c for _, c in found))
        elif ok and keys[i] in candidates:
            options.append(candidates[keys[i]])
        else:
            options.append((ids.get(forms[i], oov),))
    chosen = model.decode(options, penalties)
    vocab = model.vocab
    out: list[str] = []
    pos = 0
    for i, (tok, ok) in enumerate(zip(tokens, restorable, strict=True)):
        if not ok:
            continue
        if i in fixed:
            form = fixed[i]
        elif chosen[i] == oov:
            form = forms[i]
        elif keys[i] not in candidates and not tokens[i].code and (i not in penalties or chosen[i] == options[i][0]):
            form = forms[i]
        else:
            form = vocab[chosen[i]]
        out.append(text[pos : tok.start])
        out.append(_apply_case(tok.text, form))
        pos = tok.end
    out.append(text[pos:])
    return "".join(out)


def restore_phrase_candidates(
    text: str, lexicon: Iterable[str] | Lexicon = (), *, model: Model | None = None
) -> list[tuple[int, int, str]]:
    """Known phrases found accent-free in text: (start, end, the phrase with its accents).

    Only exact matches of whole phrases (word for word, punctuation included, case ignored);
    the returned phrase keeps the case of the text.
    """
    model = model or load_model()
    lexicons = [lx for lx in (_as_lexicon(lexicon), model.lexicon) if lx is not None]
    tokens, _, _, _, spans = _plan(text, lexicons, model)
    found = []
    for i, j, phrase_forms in sorted(spans):
        start, end = tokens[i].start, tokens[j - 1].end
        pieces = []
        pos = start
        for tok, form in zip(tokens[i:j], phrase_forms, strict=True):
            pieces.append(text[pos : tok.start])
            pieces.append(_apply_case(tok.text, form) if _restorable(tok) else tok.text)
            pos = tok.end
        found.append((start, end, "".join(pieces)))
    return found


@lru_cache(maxsize=1)
def _marked_letters() -> frozenset[str]:
    """Latin letters that carry a diacritic (đ/Đ included): Latin-1 to Latin Extended Additional."""
    ranges = (range(0xC0, 0x250), range(0x1E00, 0x1F00))
    return frozenset(
        chr(c) for r in ranges for c in r if chr(c).isalpha() and strip_accents(chr(c)) != chr(c)
    )


@lru_cache(maxsize=1)
def _drop_marked() -> dict[int, None]:
    return {ord(c): None for c in _marked_letters()}


def _counts(text: str) -> tuple[int, int]:
    """(letters, letters with a diacritic) of an NFC text: C-speed passes, no Python loop per
    character (a 60-page document is 150,000 characters)."""
    letters = sum(map(str.isalpha, text))
    return letters, len(text) - len(text.translate(_drop_marked()))


def diacritic_share(text: str) -> float:
    """Share of letters that carry a diacritic (đ included): about 0.25–0.3 in Vietnamese prose."""
    letters, marked = _counts(unicodedata.normalize("NFC", text))
    return marked / letters if letters else 0.0


def has_diacritics(text: str, *, threshold: float = 0.03) -> bool:
    """Whether text is written with diacritics. OCR noise may add a stray accented letter to an
    accent-free document, so a long text needs a share of at least `threshold` of its letters;
    a short one (under 60 letters) needs two marked letters, or one in a text under 15 letters."""
    letters, marked = _counts(unicodedata.normalize("NFC", text))
    if letters >= 60:
        return marked / letters >= threshold
    return marked >= (1 if letters < 15 else 2)
