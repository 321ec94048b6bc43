"""The header and the home page name people the Vietnamese way (family name first) and
say their role in Vietnamese words, not Django's given-name-first order or role codes."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from planwatch.web.context_processors import vn_full_name


def _header(html: str) -> str:
    return html[html.index('<header class="top">'):html.index("</header>")]


def _card(html: str) -> str:
    start = html.index('<div class="card">')
    return html[start:html.index("</div>", start)]


HOME = [
    ("reporter", "Nguyễn Thị Lan", ["Cán bộ báo cáo"]),
    ("approver", "Trần Văn Hùng", ["Lãnh đạo đơn vị (duyệt)"]),
    ("supervisor", "Võ Thị Hạnh", ["Cơ quan thường trực"]),
    ("leader", "Đặng Văn Minh", ["Lãnh đạo"]),
    ("admin", "Quản trị hệ thống", ["Quản trị"]),
]


@pytest.mark.parametrize("who,name,roles", HOME)
def test_home_greets_by_the_vietnamese_name_and_role(client, demo, who, name, roles):
    user = getattr(demo, who)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert f'<span class="user">{name}</span>' in _header(html)
    assert f"<h1>Xin chào, {name}</h1>" in html
    if user.get_full_name() != name:
        assert user.get_full_name() not in html  # e.g. never "Lan Nguyễn Thị"
    card = _card(html)
    for r in roles:
        assert f'<span class="badge blue">{r}</span>' in card
    for code in ("reporter", "approver", "supervisor", "leader", "admin"):
        assert f">{code}<" not in card


def test_every_page_header_uses_the_same_order(client, demo):
    client.force_login(demo.dept_reporter)
    assert '<span class="user">Lê Minh Tuấn</span>' in _header(client.get(reverse("plan_list")).content.decode())


def test_a_user_with_two_roles_sees_each_role_once(client, demo):
    from planwatch.orgs.models import Role
    from planwatch.orgs.services import grant

    grant(demo.supervisor, org=demo.skhcn, role=Role.APPROVER, scope=demo.skhcn)
    grant(demo.supervisor, org=demo.syt, role=Role.SUPERVISOR, scope=demo.syt)
    client.force_login(demo.supervisor)
    card = _card(client.get(reverse("home")).content.decode())
    assert card.count("Cơ quan thường trực") == 1 and card.count("Lãnh đạo đơn vị (duyệt)") == 1


def test_a_user_without_a_name_is_shown_by_username(client, db):
    user = get_user_model().objects.create_user("khach", password="x")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert '<span class="user">khach</span>' in html and "<h1>Xin chào, khach</h1>" in html


def test_vn_full_name_puts_the_family_name_first():
    User = get_user_model()
    assert vn_full_name(User(username="x", last_name="Nguyễn Thị", first_name="Lan")) == "Nguyễn Thị Lan"
    assert vn_full_name(User(username="x", last_name="", first_name="Lan")) == "Lan"
    assert vn_full_name(User(username="x")) == "x"
    assert vn_full_name(None) == ""
