"""Messages a new team meets in its first hour: each names what to change, in its exact words."""

from __future__ import annotations

import io
import sys
from datetime import date, timedelta

import pytest

from builder.commands.cli import main
from builder.plan.labels import long_date
from builder.plan.load import load_plan_text
from tests.conftest import run_wellplan
from tests.history_fixtures import MINIMAL, day, edit_text, git, make_workspace, write_plan

TODAY = date.today()


@pytest.fixture
def ws(tmp_path, monkeypatch):
    root = make_workspace(tmp_path / "ws")
    write_plan(root, "jo-bloggs", MINIMAL)
    from builder.record.record import record_edit

    record_edit(root, "jo-bloggs", name="Priya Shah", role="key-worker", when=day(3))
    monkeypatch.chdir(root)
    return root


def wellplan_here(capsys, *args: str) -> tuple[int, str, str]:
    """The CLI in this process (quicker than a subprocess): exit code, stdout, stderr."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def review(*extra: str, attended: str = "me,priya", due: str | None = None) -> list[str]:
    due = due or (TODAY + timedelta(days=120)).isoformat()
    return ["review", "jo-bloggs", "--as", "Priya Shah", "--role", "key-worker",
            "--attended", attended, "--next-review", due, *extra]


# -- check ------------------------------------------------------------------------------------


def test_a_quote_inside_quoted_text_is_named_with_the_fix_written_out():
    text = MINIMAL.replace(
        "in_my_own_words: I like walking my dog and cooking for friends.",
        'in_my_own_words: "the voices are "quieter" this year."',
    )
    (finding,) = load_plan_text(text, "plans/jo.yaml").findings
    assert (finding.line, finding.column) == (18, 36)
    assert finding.as_text() == (
        "plans/jo.yaml:18:36: A quotation mark inside this quoted text ends the text early, so YAML "
        "cannot read the rest of the line. Put the text in single quotes instead: "
        "in_my_own_words: 'the voices are \"quieter\" this year.'"
    )


def test_check_takes_a_plan_id_and_suggests_a_near_one(ws, capsys):
    code, out, _ = wellplan_here(capsys, "check", "jo-bloggs")
    assert code == 0 and out.strip() == "Checked 1 plan: no problems found."
    code, _, err = wellplan_here(capsys, "check", "jo-blogs")
    assert code == 2
    assert err == ("wellplan check: jo-blogs: no such file or folder, and no plan with that id. "
                   "Did you mean jo-bloggs?\n")


def test_the_hint_after_a_refused_record_is_a_command_that_works(ws, capsys):
    edit_text(ws, "jo-bloggs", "status: active", "status: maybe")
    code, _, err = wellplan_here(capsys, "record", "jo-bloggs", "--as", "Sam Bloggs", "--role", "carer")
    assert code == 1
    hint = "Run 'wellplan check plans/jo-bloggs.yaml' to see them all."
    assert err.rstrip().endswith(hint)
    command = hint.split("'")[1].split()[1:]
    code, out, _ = wellplan_here(capsys, *command)
    assert code == 1 and "plans/jo-bloggs.yaml:32:13:" in out


# -- did you mean -----------------------------------------------------------------------------


def test_a_role_written_as_words_gets_did_you_mean(ws, capsys):
    code, _, err = wellplan_here(capsys, "record", "jo-bloggs", "--as", "Priya Shah", "--role", "Key Worker")
    assert code == 2
    assert err.startswith("wellplan record: 'Key Worker' is not a role this plan format knows. "
                          "Did you mean --role key-worker? Use one of: person, carer, key-worker,")


def test_a_misspelt_plan_id_gets_did_you_mean_everywhere(ws, capsys):
    for command in (["pdf", "jo-blogs"], ["history", "jo-blogs"], ["diff", "jo-blogs"]):
        code, _, err = wellplan_here(capsys, *command)
        assert code == 1
        assert err == (f"wellplan {command[0]}: There is no plan called 'jo-blogs' in plans/. "
                       "Did you mean jo-bloggs?\n")
    code, _, err = wellplan_here(capsys, "record", "jo-blogs", "--as", "Sam Bloggs", "--role", "carer")
    assert err == ("wellplan record: There is no plan called 'jo-blogs': plans/jo-blogs.yaml does not "
                   "exist. Did you mean jo-bloggs?\n")
    code, _, err = wellplan_here(capsys, "pdf", "somebody-else")
    assert err == "wellplan pdf: There is no plan called 'somebody-else' in plans/.\n"


# -- review: named by its option, before anything is written --------------------------------


def test_a_next_review_in_the_past_names_the_option_not_a_line(ws, capsys):
    code, _, err = wellplan_here(capsys, *review(due="2025-01-01"))
    assert code == 2
    example = date(TODAY.year + (TODAY.month + 5) // 12, (TODAY.month + 5) % 12 + 1, min(TODAY.day, 28))
    assert err == (f"wellplan review: --next-review 2025-01-01 is not after the review itself "
                   f"({long_date(TODAY)}). Give the day the next review is due, usually 3 to 6 "
                   f"months away, such as {example.isoformat()}.\n")
    assert "line" not in err


def test_a_next_review_that_is_not_a_date(ws, capsys):
    code, _, err = wellplan_here(capsys, *review(due="2027-3-1"))
    assert err == ("wellplan review: --next-review 2027-3-1 is not a date. Write dates as "
                   "YYYY-MM-DD, such as 2027-03-01.\n")


def test_names_given_to_attended_are_answered_with_the_care_teams_ids(ws, capsys):
    code, _, err = wellplan_here(capsys, *review(attended="Alex, Priya Shah"))
    assert code == 2
    assert err == (
        "wellplan review: --attended: 'Alex' and 'Priya Shah' are not care-team ids. Use me for "
        "the person, and care-team ids, separated by commas. The ids in this plan: me (Jo); "
        "priya (Priya Shah, key worker); sam (Sam Bloggs, carer).\n"
    )
    code, _, err = wellplan_here(capsys, *review(attended="Jo, Priya Shah"))
    assert "are not care-team ids. Did you mean --attended me,priya? Use me" in err


def _head(ws) -> str:
    return git(ws, "rev-parse", "HEAD").strip()


def test_a_next_review_over_a_year_away_is_asked_about_or_needs_yes(ws, capsys, monkeypatch):
    before = _head(ws)
    far = (TODAY + timedelta(days=800)).isoformat()
    code, _, err = wellplan_here(capsys, *review(due=far))
    assert code == 2
    assert err == (
        f"wellplan review: --next-review {far} is more than 12 months after this review "
        f"({long_date(TODAY)}). Plans are reviewed at least once a year, and people asked for "
        f"every 3 to 6 months (such as "
        f"{date(TODAY.year + (TODAY.month + 5) // 12, (TODAY.month + 5) % 12 + 1, min(TODAY.day, 28))})."
        " Nothing was recorded. If this is right, run the command again with --yes.\n"
    )
    assert _head(ws) == before
    # At a terminal, the question is asked; "no" records nothing, "y" records it.
    for answer, recorded in (("n\n", False), ("y\n", True)):
        terminal = io.StringIO(answer)
        terminal.isatty = lambda: True  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stdin", terminal)
        code, _, err = wellplan_here(capsys, *review(due=far))
        assert err.startswith(f"--next-review {far} is more than 12 months after this review")
        assert (code == 0) is recorded and (_head(ws) != before) is recorded


def test_a_second_review_on_the_same_day_needs_yes(ws, capsys):
    assert wellplan_here(capsys, *review())[0] == 0
    first = _head(ws)
    code, _, err = wellplan_here(capsys, *review())
    assert code == 2 and _head(ws) == first
    assert err == (
        f"wellplan review: This plan already has a review on {long_date(TODAY)} "
        f"(review-{TODAY.isoformat()}). Recording another makes a second review that day; if the "
        "meeting was on another day, give it with --date. Nothing was recorded. If this is right, "
        "run the command again with --yes.\n"
    )
    code, out, _ = wellplan_here(capsys, *review("--yes"))
    assert code == 0 and _head(ws) != first


def test_a_review_dated_in_the_future_is_refused_by_its_option(ws, capsys):
    later = (TODAY + timedelta(days=3)).isoformat()
    code, _, err = wellplan_here(capsys, *review("--date", later))
    assert err == (f"wellplan review: --date {later} is in the future. Record a review on or after "
                   "the day it took place.\n")


def test_the_real_command_line_answers_the_same(ws):
    done = run_wellplan(*review(due="2025-01-01"), cwd=ws)
    assert done.returncode == 2
    assert done.stderr.startswith("wellplan review: --next-review 2025-01-01 is not after the review")
    assert "Traceback" not in done.stderr
