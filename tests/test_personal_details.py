"""The person's identifying details and the next review date, decided in the view."""

from __future__ import annotations

from builder.view import COPY_FOR, NEXT_REVIEW, marked_view, view_plan

PLAN = {
    "schema_version": 1,
    "person": {"name": "Alex Morgan", "date_of_birth": "1990-01-02", "nhs_number": "943 476 5919",
               "pronouns": "they/them"},
    "sharing": {"carer": ["crisis"], "sam": ["crisis", "personal_details"]},
    "care_team": [{"id": "sam", "name": "Sam Lee", "role": "carer"},
                  {"id": "kim", "name": "Kim Ray", "role": "carer"},
                  {"id": "priya", "name": "Priya Shah", "role": "key-worker"},
                  {"id": "dr-lee", "name": "Dr Lee", "role": "gp"}],
    "reviews": [{"id": "r1", "date": "2026-01-10", "attended": ["me", "priya"],
                 "next_review_due": "2026-06-10"},
                {"id": "r2", "date": "2026-06-12", "attended": ["me", "priya", "kim"],
                 "next_review_due": "2026-12-12", "my_comments": "Private words."}],
}


def test_a_carer_sees_the_date_of_birth_and_nhs_number_only_when_shared_with_them() -> None:
    assert "nhs_number" not in view_plan(PLAN, "carer:kim")["person"]
    assert "date_of_birth" not in view_plan(PLAN, "carer")["person"]
    assert view_plan(PLAN, "carer:kim")["person"]["pronouns"] == "they/them"
    sam = view_plan(PLAN, "carer:sam")["person"]  # Sam's own settings list personal_details
    assert sam["nhs_number"] == "943 476 5919" and sam["date_of_birth"] == "1990-01-02"
    for audience in ("person", "team", "gp"):
        assert view_plan(PLAN, audience)["person"]["nhs_number"] == "943 476 5919"


def test_the_next_review_date_reaches_a_reader_who_was_at_the_last_review() -> None:
    kim = marked_view(PLAN, "carer:kim")
    assert "reviews" not in kim  # the reviews themselves are not shared with carers
    assert kim[NEXT_REVIEW] == "2026-12-12"
    assert "Private words." not in repr(kim)
    assert NEXT_REVIEW not in marked_view(PLAN, "carer:sam")  # Sam was not there
    assert NEXT_REVIEW not in marked_view(PLAN, "person")  # who sees the reviews reads it there
    assert marked_view(PLAN, "carer:kim")[COPY_FOR] == "carer"


def test_the_persons_and_teams_copies_say_who_may_not_see_the_personal_details() -> None:
    from builder.view import PART_NOTES

    assert marked_view(PLAN, "person")[PART_NOTES]["person"] == (
        "Your date of birth and NHS number are not shared with your carer")
    assert marked_view(PLAN, "team")[PART_NOTES]["person"] == (
        "The date of birth and NHS number are not shared with the carer")
    shared = {**PLAN, "sharing": {"carer": ["crisis", "personal_details"]}}
    assert "person" not in marked_view(shared, "person").get(PART_NOTES, {})
