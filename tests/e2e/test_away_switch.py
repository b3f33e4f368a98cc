"""The away switch on the account page, over real HTTP: recorded, shown, and refused when
the form is tampered with."""

from __future__ import annotations


def test_a_team_member_marks_themselves_away_and_back(signed_in, system):
    tess = signed_in("tess", ("ticket_team",))
    page = tess.get("/account").text
    assert "I&#39;m away" in page or "I'm away" in page

    marked = tess.submit("/account", "/account/away", {"away": "1"})
    assert marked.status_code == 302
    page = tess.get("/account").text
    assert "You are marked away" in page
    assert "I&#39;m back" in page or "I'm back" in page
    tess_id = system.app.user_id_for("tess")
    assert system.app.get_user(tess_id).away

    admin = signed_in("boss", ("admin",))
    assert "Away" in admin.get(f"/admin/users/{tess_id}").text

    tess.submit("/account", "/account/away", {"away": "0"})
    assert not system.app.get_user(tess_id).away
    assert "Welcome back" in tess.get("/account").text


def test_an_unknown_choice_changes_nothing(signed_in, system):
    tess = signed_in("tess", ("ticket_team",))
    response = tess.submit("/account", "/account/away", {"away": "maybe"})
    assert response.status_code == 302
    assert "Choose away or back." in tess.get("/account").text
    assert not system.app.get_user(system.app.user_id_for("tess")).away


def test_people_outside_the_ticket_team_are_not_offered_the_switch(signed_in):
    sam = signed_in("sam", ())
    assert "away-heading" not in sam.get("/account").text
