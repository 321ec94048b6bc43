"""The header offers "Giám sát" only to people who watch a subtree (leader, supervisor,
admin): for a unit's officer the link would lead to a 404."""

import pytest
from django.urls import reverse

NAV = [
    ("reporter", False), ("approver", False), ("dept_reporter", False), ("other_dept_reporter", False),
    ("supervisor", True), ("leader", True), ("admin", True),
]


def _header(html: str) -> str:
    return html[html.index('<header class="top">'):html.index("</header>")]


@pytest.mark.parametrize("who,shown", NAV)
def test_the_monitoring_link_is_offered_only_to_those_who_can_open_it(client, demo, who, shown):
    client.force_login(getattr(demo, who))
    header = _header(client.get(reverse("plan_list")).content.decode())
    assert "Báo cáo</a>" in header  # the rest of the menu is there for everyone
    assert (f'<a href="{reverse("monitoring_home")}">Giám sát</a>' in header) is shown
    # The link and the page agree: hidden exactly when the page would refuse.
    assert client.get(reverse("monitoring_home")).status_code == (302 if shown else 404)


def test_commune_officer_and_provincial_leader(client, demo):
    client.force_login(demo.reporter)  # canbo.thientin
    assert "Giám sát" not in _header(client.get(reverse("home")).content.decode())
    client.force_login(demo.leader)  # lanhdao.tinh
    assert "Giám sát" in _header(client.get(reverse("home")).content.decode())
