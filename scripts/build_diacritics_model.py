"""Build the diacritic restoration model from the Vietnamese text the project ships.

    uv run python scripts/build_diacritics_model.py

Writes planwatch/lib/data/diacritics_vi.json.gz (syllable trigrams, the accented forms of each
accent-free syllable, the known organisation phrases). Sources, all in the repository or in an
installed dependency, nothing downloaded:
- planwatch/lib/data/corpus/*.txt: the accented seed documents (public plans and reports);
- planwatch/plans/fixtures/seed/*.json, planwatch/reporting/fixtures/*.json: transcribed plans
  and reports (every string value that carries a diacritic);
- planwatch/orgs/fixtures/*.json: organisation names, short names and aliases (also the phrase
  lexicon matched whole);
- the province and ward names of vietnam-provinces and the old-to-new names of
  vietnam-address-converter (each name once);
- the Vietnamese text of the templates and the Vietnamese translations of installed packages;
- planwatch/lib/data/phrasebook_vi.txt and agencies_vi.txt: standard wording of administrative
  documents and names of state and party bodies, written for the project (general knowledge).

Each source has a tag naming the seed document it was transcribed from (or "" for the shared
sources), so that bench/diacritics_accuracy.py can train leave-one-document-out models.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.lib.diacritics import MODEL_PATH, diacritic_share, save_model, train  # noqa: E402

CORPUS = ROOT / "planwatch" / "lib" / "data" / "corpus"
# Transcriptions of the seed documents: the seed each fixture was typed from (for leave-one-out).
FIXTURE_SEEDS = {
    "province_plan_327.json": "003",
    "district_plan_sontinh.json": "000",
    "commune_plan_thientin.json": "001",
    "progress_report_skhcn.json": "002",
}


@dataclass(frozen=True)
class Source:
    name: str
    seed: str  # the seed document it comes from ("000"…), "" when shared knowledge
    texts: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    handwritten: bool = False  # written for the project rather than taken from real documents


def _accented(s: str) -> bool:
    return diacritic_share(s) > 0


# Transcribers' notes (partly English) and the raw OCR are not Vietnamese text to learn from.
_SKIP_KEY = re.compile(r"note|ocr|comment|^source$|reading")


def _strings(obj) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if not _SKIP_KEY.search(str(key)):
                yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _json_source(path: Path, seed: str) -> Source:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Source(f"{path.parent.name}/{path.name}", seed, tuple(s for s in _strings(data) if _accented(s)))


def _org_source() -> Source:
    names: list[str] = []
    for path in sorted((ROOT / "planwatch" / "orgs" / "fixtures").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        units = list(data.get("units", []))
        if isinstance(data.get("province"), dict):
            units.append(data["province"])
        for unit in units:
            for field in ("name", "short_name"):
                if unit.get(field):
                    names.append(unit[field])
            names.extend(unit.get("aliases") or [])
    names = [n for n in dict.fromkeys(names) if _accented(n)]
    return Source("orgs/fixtures", "", tuple(names), tuple(names))


def _place_source() -> Source:
    names: set[str] = set()
    try:
        from vietnam_provinces import Province, Ward

        names.update(p.name for p in Province.iter_all())
        names.update(w.name for w in Ward.iter_all())
    except ImportError:  # pragma: no cover - a dependency of the project
        pass
    try:
        from vietnam_address_converter.data import DEFAULT_DATA

        for row in DEFAULT_DATA.get("mapping", {}).get("rows", []):
            for side in ("old", "new"):
                for field, value in (row.get(side) or {}).items():
                    if field.endswith("_name") and isinstance(value, str):
                        names.add(value)
    except ImportError:  # pragma: no cover
        pass
    return Source("place names", "", tuple(sorted(n for n in names if _accented(n))))


_TAG = re.compile(r"<[^>]*>|\{[{%#].*?[}%#]\}", re.S)


def _template_source() -> Source:
    texts = []
    for path in sorted((ROOT / "planwatch").rglob("templates/**/*.html")):
        for line in _TAG.sub("\n", path.read_text(encoding="utf-8")).splitlines():
            line = line.strip()
            if _accented(line):
                texts.append(line)
    return Source("templates", "", tuple(texts))


_PO_ENTRY = re.compile(r'^msgstr(?:\[\d+\])? ("(?:[^"\\]|\\.)*"\n(?:"(?:[^"\\]|\\.)*"\n)*)', re.M)


def _locale_source() -> Source:
    """The Vietnamese translations that installed packages ship (Django's admin, forms, dates)."""
    texts = []
    import django

    base = Path(django.__file__).resolve().parent.parent
    for path in sorted(base.glob("*/**/locale/vi/LC_MESSAGES/*.po")):
        for m in _PO_ENTRY.finditer(path.read_text(encoding="utf-8")):
            value = "".join(json.loads(line) for line in m.group(1).splitlines() if line.strip())
            value = re.sub(r"%(?:\([^)]*\))?[sdif]|\{[^}]*\}|<[^>]*>", " ", value)
            if _accented(value):
                texts.append(value)
    return Source("locale/vi (installed packages)", "", tuple(texts))


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def _handwritten_sources() -> list[Source]:
    """The phrasebook and the agency names written for the project (general knowledge)."""
    data = ROOT / "planwatch" / "lib" / "data"
    agencies = _lines(data / "agencies_vi.txt")
    # Names of three words or more are safe to force whole; "Bí thư" would also hit "bị thu".
    whole = tuple(a for a in agencies if len(a.split()) >= 3)
    return [
        Source("data/phrasebook_vi.txt", "", tuple(_lines(data / "phrasebook_vi.txt")), handwritten=True),
        Source("data/agencies_vi.txt", "", tuple(agencies), whole, handwritten=True),
    ]


def collect_sources() -> list[Source]:
    sources = []
    for path in sorted(CORPUS.glob("*.txt")):
        sources.append(Source(f"corpus/{path.name}", path.name[:3], (path.read_text(encoding="utf-8"),)))
    for folder in (ROOT / "planwatch" / "plans" / "fixtures" / "seed", ROOT / "planwatch" / "reporting" / "fixtures"):
        for path in sorted(folder.glob("*.json")):
            sources.append(_json_source(path, FIXTURE_SEEDS.get(path.name, "")))
    sources.append(_org_source())
    sources.append(_place_source())
    sources.append(_template_source())
    sources.append(_locale_source())
    sources.extend(_handwritten_sources())
    return sources


def build(sources: list[Source], exclude_seed: str | None = None, *, handwritten: bool = True) -> dict:
    """The model from the sources, less those of `exclude_seed` and, if asked, the hand-written ones."""
    kept = [s for s in sources if (exclude_seed is None or s.seed != exclude_seed) and (handwritten or not s.handwritten)]
    return train([t for s in kept for t in s.texts], [p for s in kept for p in s.phrases])


def main() -> None:
    started = time.perf_counter()
    sources = collect_sources()
    for s in sources:
        print(f"  {s.name:45s} seed {s.seed or '-':3s} {len(s.texts):6d} texts {sum(map(len, s.texts)):8d} chars")
    model = build(sources)
    save_model(model)
    print(
        f"{MODEL_PATH.relative_to(ROOT)}: {len(model['vocab'])} syllables, {len(model['trigrams']) // 4} trigrams, "
        f"{len(model['candidates'])} keys, {len(model['phrases'])} phrases, {MODEL_PATH.stat().st_size / 1024:.0f} KiB, "
        f"built in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
