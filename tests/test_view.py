"""view_plan: the one place that decides what each audience may see."""

from __future__ import annotations

import pytest

from builder.view import AUDIENCES, view_plan


def plan(**extra):
    base = {
        "schema_version": 2,
        "person": {"name": "Jo Bloggs"},
        "care_team": [
            {"id": "priya", "name": "Priya", "role": "key-worker"},
            {"id": "clinic", "name": "Clinic", "role": "other", "visible_to": ["person", "team"]},
        ],
        "about_me": {"in_my_own_words": "ABOUT-ME"},
        "wellbeing": {
            "mental_health": {"in_my_own_words": "MIND"},
            "physical_health": {
                "in_my_own_words": "BODY",
                "concerns": [
                    {"id": "weight", "text": "WEIGHT-WORRY"},
                    {"id": "sex", "text": "SEXUAL-HEALTH", "visible_to": ["person", "team"]},
                ],
            },
            "life": {"in_my_own_words": "LIFE"},
        },
        "goals": [
            {"id": "swim", "what": "SWIM", "status": "active"},
            {"id": "shared", "what": "SHARED-GOAL", "visible_to": ["carer", "person", "team"]},
        ],
        "crisis": {"contacts": [{"id": "line", "name": "Crisis line", "phone": "111", "when": "any-time"}]},
    }
    base.update(extra)
    return base


def text_of(value) -> str:
    return repr(value)


def test_person_and_team_see_everything_not_restricted() -> None:
    for audience in ("person", "team"):
        seen = text_of(view_plan(plan(), audience))
        for canary in ("ABOUT-ME", "MIND", "BODY", "WEIGHT-WORRY", "SEXUAL-HEALTH", "SWIM"):
            assert canary in seen, (audience, canary)


def test_carer_sees_only_default_sections_when_nothing_is_shared() -> None:
    seen = view_plan(plan(), "carer")
    assert set(seen) == {"schema_version", "person", "care_team", "crisis", "goals"}
    assert [g["id"] for g in seen["goals"]] == ["shared"], "an item shared explicitly is shown"
    assert "ABOUT-ME" not in text_of(seen) and "SWIM" not in text_of(seen)


def test_sharing_settings_choose_the_carers_sections_and_items_can_narrow_them() -> None:
    seen = view_plan(plan(sharing={"carer": ["wellbeing", "about_me"]}), "carer")
    text = text_of(seen)
    assert "BODY" in text and "WEIGHT-WORRY" in text and "ABOUT-ME" in text
    assert "SEXUAL-HEALTH" not in text
    assert "sharing" not in seen, "the sharing settings themselves are for the person and team"


def test_hidden_care_team_member_is_removed_for_gp() -> None:
    seen = view_plan(plan(), "gp")
    assert [m["id"] for m in seen["care_team"]] == ["priya"]


def test_the_original_plan_is_not_changed() -> None:
    original = plan()
    before = text_of(original)
    for audience in AUDIENCES:
        view_plan(original, audience)
    assert text_of(original) == before


def test_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError):
        view_plan(plan(), "public")


def test_references_to_a_hidden_care_team_member_do_not_carry_their_id() -> None:
    base = plan(
        actions=[{"id": "test", "what": "Do the test", "owner": "clinic", "status": "scheduled"}],
        reviews=[{"id": "r1", "date": "2026-01-01", "attended": ["me", "priya", "clinic"]}],
        sharing={"gp": ["actions", "reviews", "care_team"]},
    )
    seen = view_plan(base, "gp")
    assert "clinic" not in text_of(seen)
    assert seen["actions"][0]["owner"] == "someone in the care team"
    assert seen["reviews"][0]["attended"] == ["me", "priya", "someone in the care team"]
    assert view_plan(base, "team")["actions"][0]["owner"] == "clinic"


# --- marked_view: what the others may not see, said on the person's and team's copies ----


def test_the_persons_view_says_what_the_carer_and_gp_may_not_see() -> None:
    from builder.view import NOTE, PART_NOTES, SEEN_IN_FULL_BY, marked_view

    sharing = {"carer": ["care_team", "wellbeing", "crisis"], "gp": ["care_team", "wellbeing", "goals"]}
    seen = marked_view(plan(sharing=sharing), "person")
    parts = seen[PART_NOTES]
    assert parts["about_me"] == "Only you and your care team see this"
    # One goal is shared with the carer: the part's label says so too (issue 32).
    assert parts["goals"] == ("Not shared with your carer, except what is marked as shared with "
                              "your carer")
    assert parts["crisis"] == "Not shared with your GP"
    assert "care_team" not in parts  # everyone sees it: nothing to say
    concerns = seen["wellbeing"]["physical_health"]["concerns"]
    assert NOTE not in concerns[0]  # the part's own note covers it
    assert concerns[1][NOTE] == "Only you and your care team see this"
    assert seen["care_team"][1][NOTE] == "Only you and your care team see this"
    # Shared with the carer though goals are not: said the other way round.
    assert seen["goals"][1][NOTE] == "Not shared with your GP, but shared with your carer"
    assert seen[SEEN_IN_FULL_BY] == ["team"]


def test_the_teams_view_words_it_for_the_team_and_nobody_elses_view_is_marked() -> None:
    from builder.view import COPY_FOR, NOTE, PART_NOTES, SEEN_IN_FULL_BY, SHARED_FROM, marked_view

    private = {"id": "mine", "what": "MINE", "visible_to": ["person"]}
    sharing = {"carer": ["wellbeing"], "gp": ["wellbeing", "goals"]}
    team = marked_view(plan(goals=[private, {"id": "g", "what": "G"}], sharing=sharing), "team")
    assert team[PART_NOTES]["about_me"] == "Only the person and the care team see this"
    assert team[PART_NOTES]["goals"] == "Not shared with the carer"
    assert team["wellbeing"]["physical_health"]["concerns"][1][NOTE] == (
        "Only the person and the care team see this"
    )
    assert team[SEEN_IN_FULL_BY] == ["person"]
    person = marked_view(plan(goals=[private]), "person")
    assert person["goals"][0][NOTE] == "Only you see this"
    assert "team" not in person[SEEN_IN_FULL_BY]
    for audience in ("carer", "gp"):
        seen = marked_view(plan(), audience)
        assert PART_NOTES not in seen and NOTE not in text_of(seen)
        assert seen[SEEN_IN_FULL_BY] == ["person", "team"]
        # Apart from who may sign and whose it is, the marked view holds exactly what view_plan does.
        assert seen[COPY_FOR] == audience
        assert {k: v for k, v in seen.items() if k not in (SEEN_IN_FULL_BY, COPY_FOR, SHARED_FROM)} == \
            view_plan(plan(), audience)


def test_a_parts_label_never_contradicts_an_item_shared_more_widely_inside_it() -> None:
    # Dan's site said "Only you and your care team see this" over a concern marked "Shared
    # with your GP" (issue 32): the part's label now says what inside is shared more widely.
    from builder.view import NOTE, PART_NOTES, marked_view

    shared = {"id": "c2", "text": "For the GP too", "visible_to": ["person", "team", "gp"]}
    plain = {"id": "c1", "text": "Just us"}
    wellbeing = {"physical_health": {"concerns": [plain, shared]}}
    sharing = {"carer": ["crisis"], "gp": ["goals"]}
    person = marked_view(plan(wellbeing=wellbeing, sharing=sharing), "person")
    assert person[PART_NOTES]["wellbeing"] == (
        "Only you and your care team see this, except what is marked as shared with your GP")
    assert person["wellbeing"]["physical_health"]["concerns"][1][NOTE] == "Shared with your GP"
    team = marked_view(plan(wellbeing={"physical_health": {"concerns": [plain]}}, sharing=sharing),
                       "team")
    assert team[PART_NOTES]["wellbeing"] == "Only the person and the care team see this"


def test_a_part_seen_only_for_one_shared_item_says_so_to_its_reader() -> None:
    # The GP's site showed one concern as the whole of 'My mind and my body' (issue 32).
    from builder.view import PART_NOTES, SHARED_FROM, marked_view

    shared = {"id": "c2", "text": "For the GP too", "visible_to": ["person", "team", "gp"]}
    sharing = {"carer": ["crisis"], "gp": ["goals"]}
    gp = marked_view(plan(wellbeing={"physical_health": {"concerns": [shared]}}, sharing=sharing), "gp")
    assert gp[SHARED_FROM]["wellbeing"].endswith("shares only what is shown here")
    assert "goals" not in gp[SHARED_FROM]  # shared whole: nothing to say
    assert PART_NOTES not in gp  # context, not a mark of anything hidden
