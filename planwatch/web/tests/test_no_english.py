"""No English and no internal codes on any page a person can reach: log in as each demo
person, follow every same-origin link from "Việc cần làm" (GET only, bounded), and read what
the page shows — its text and the titles, placeholders, labels and button texts a user meets.

Pages are grouped by the shape of their address (numbers → #) and a few pages of each shape
are read, so the crawl stays fast while every kind of page is seen."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from planwatch.lib.english import looks_english

SKIP_PREFIXES = ("/quan-tri/", "/admin/", "/static/", "/media/", "/dang-xuat/", "/api/")
MAX_PAGES_PER_PERSON = 70
PER_SHAPE = 1
# "Mở báo cáo báo cáo đến ngày…": a period label that already says "Báo cáo" put after "báo cáo".
DOUBLED = re.compile(r"\bbáo cáo báo cáo\b", re.IGNORECASE)
PEOPLE = ["canbo.thientin", "chutich.thientin", "canbo.skhcn", "giamdoc.skhcn", "thuongtruc.skhcn", "lanhdao.tinh", "canbo.syt"]


class _Page(HTMLParser):
    """Visible text (outside script/style/template) and the attributes a user reads."""

    HIDDEN = {"script", "style", "template", "noscript"}
    ATTRS = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-confirm-ok")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag == "a" and a.get("href") and "download" not in a:
            self.links.append(a["href"])
        for name in self.ATTRS:
            if a.get(name):
                self.texts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "#", path)


def crawl(client, *, start: str = "/", max_pages: int = MAX_PAGES_PER_PERSON):
    """Yield (url, [visible text pieces]) for the HTML pages reachable from `start`."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque([start])
    fetched = 0
    while queue and fetched < max_pages:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        shape = _shape(urlsplit(url).path) + ("?" if urlsplit(url).query else "")
        if shapes.get(shape, 0) >= PER_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        r = client.get(url)
        fetched += 1
        if r.status_code != 200 or not r.get("Content-Type", "").startswith("text/html"):
            continue
        p = _Page()
        p.feed(r.content.decode())
        yield url, p.texts
        for href in p.links:
            target, _ = urldefrag(urljoin(url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith(SKIP_PREFIXES) or local in seen:
                continue
            queue.append(local)


def internal_codes():
    """The codes people never see: plan and organisation codes ("qn-327-2025", "qn-skhcn")."""
    from planwatch.orgs.models import Organisation
    from planwatch.plans.models import Plan

    codes = set(Plan.objects.exclude(code="").values_list("code", flat=True))
    codes |= {c for c in Organisation.objects.exclude(code="").values_list("code", flat=True) if "-" in c}
    return codes


@pytest.mark.parametrize("username", PEOPLE)
def test_no_english_word_and_no_internal_code_on_any_page_a_person_reaches(client, demo, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    codes = internal_codes()
    code_re = re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True)) + r")(?![\w/-])")
    problems = []
    pages = 0
    for url, texts in crawl(client):
        pages += 1
        english = [t.strip()[:120] for t in texts if looks_english(t) or DOUBLED.search(t)]
        found = {c for t in texts for c in code_re.findall(t)}
        if english or found:
            problems.append(f"{url}: {english[:5]} {sorted(found)}")
    assert pages >= 5, f"the crawl reached only {pages} pages"
    assert not problems, "\n".join(problems)
