"""The search page (/tim-kiem/): organisations by name, short name and alias; whole phrase
before all words; accents ignored."""

import re

import pytest
from django.urls import reverse

from planwatch.lib.text import search_key

pytestmark = pytest.mark.django_db


def _search(client, demo, q):
    client.force_login(demo.reporter)
    r = client.get(reverse("search"), {"q": q})
    assert r.status_code == 200
    return r.context["results"], r.content.decode()


def _listed(html: str, css: str) -> list[str]:
    block = re.search(rf'<ul class="{css}">(.*?)</ul>', html, re.S)
    return re.findall(r"<a [^>]*>([^<]+)</a>", block[1]) if block else []


def test_an_abbreviated_department_name_finds_the_department(client, demo):
    res, html = _search(client, demo, "Sở KH&CN")
    assert _listed(html, "orgs")[0] == "Sở Khoa học và Công nghệ"
    # Written without accents, or in full, it is still the same unit.
    for q in ("So KH&CN", "so khoa hoc va cong nghe", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"):
        assert _listed(_search(client, demo, q)[1], "orgs")[0] == "Sở Khoa học và Công nghệ", q


def test_a_commune_is_found_without_accents_and_without_xa(client, demo):
    res, html = _search(client, demo, "thien tin")
    assert _listed(html, "orgs")[0] == "Xã Thiện Tín"
    assert res.plans and res.plans[0].code == "thientin-kh-2025"
    # "tin" inside "tỉnh" or "thông tin" does not push the commune off the page.
    assert res.orgs[0].search_tier == 0


def test_cong_an_lists_the_police_first_and_not_every_cong_nghe(client, demo):
    res, html = _search(client, demo, "cong an")
    assert _listed(html, "orgs")[0] == "Công an tỉnh"
    # Every result holds both words as whole words ("công nghệ" alone is not a match) …
    for item in res.indicators + res.tasks + res.orgs:
        words = re.findall(r"\w+", search_key(item.name))
        assert "cong" in words and "an" in words, item.name
    assert res.total < 20
    # … and whole-phrase matches come before all-words ones in every list.
    for items in (res.orgs, res.indicators, res.tasks, res.plans):
        tiers = [i.search_tier for i in items]
        assert tiers == sorted(tiers)
    assert "Có đủ các từ nhưng không liền nhau" in html


def test_a_phrase_ranks_above_the_same_words_apart(client, demo):
    res, _ = _search(client, demo, "chuyển đổi số")
    phrase = [i for i in res.indicators if "chuyen doi so" in i.search_key]
    assert phrase and res.indicators[: len(phrase)] == phrase


def test_accents_are_still_ignored(client, demo):
    a, _ = _search(client, demo, "chuyen doi so")
    b, _ = _search(client, demo, "CHUYỂN ĐỔI SỐ")
    assert [t.pk for t in a.tasks] == [t.pk for t in b.tasks] and a.tasks


def test_a_word_typed_in_part_still_finds_something(client, demo):
    res, html = _search(client, demo, "chuyen do")
    assert any("chuyển đổi" in t.name for t in res.tasks)
    assert "bắt đầu bằng" in html
