"""The plan site, built for real: pages, dashboard, privacy, safety and incremental builds."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from pathlib import Path

import pytest

from builder.errors import BuildError
from builder.record.record import record_edit
from builder.site import build as site_module
from builder.site import store as site_store
from builder.site.build import MANIFEST, build_site
from tests import site_fixtures
from tests.conftest import run_wellplan
from tests.site_fixtures import (
    BROKEN_LINE,
    CANARIES,
    PAYLOADS,
    TODAY,
    alex_plan,
    make_site_workspace,
    when,
    write,
)

workspace = site_fixtures.workspace
team = site_fixtures.team


def page(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    """The text a reader sees in the article (tags stripped, entities decoded)."""
    article = re.search(r"<article[^>]*>(.*)</article>", markup, re.S)
    body = article.group(1) if article else markup
    body = re.sub(r"<script\b.*?</script>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def tree_digest(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


# --- what gets built -----------------------------------------------------------------


def test_each_person_gets_their_own_small_site_and_the_team_a_home(team) -> None:
    report, out = team
    assert report.plans == ["alex-morgan", "robin-hale"]
    assert (out / "index.html").is_file()
    for plan_id in report.plans:
        for name in ("index", "crisis", "changes", "history", "charts", "involvement"):
            assert (out / "plans" / plan_id / f"{name}.html").is_file(), (plan_id, name)
        assert (out / "plans" / plan_id / "search" / "search_index.json").is_file()
        assert (out / "plans" / plan_id / "search" / "search_index.js").is_file()


def test_an_invalid_plan_is_reported_with_file_and_line_and_the_others_still_build(team) -> None:
    report, out = team
    assert list(report.failed) == ["broken"]
    assert report.failed["broken"][0].startswith(f"plans/broken.yaml:{BROKEN_LINE}:")
    assert "maybe" in report.failed["broken"][0]
    assert not (out / "plans" / "broken").exists()
    home = visible_text(page(out, "index.html"))
    assert "Needs fixing" in home and f"plans/broken.yaml:{BROKEN_LINE}" in home


def test_strict_builds_nothing_when_a_plan_is_invalid(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "strict"
    with pytest.raises(BuildError, match=r"--strict.*plans/broken.yaml:22"):
        build_site(workspace, out, strict=True, today=TODAY)
    assert not out.exists()


# --- the plan page ---------------------------------------------------------------------


def test_plan_page_says_who_updated_it_last_and_when_the_review_is_due(team) -> None:
    _, out = team
    text = visible_text(page(out, "plans/alex-morgan/index.html"))
    assert "Version 9, last updated 1 October 2026 by Alex Morgan (person)" in text
    assert "Next review due 8 March 2027" in text
    assert "review of this plan is overdue" not in text


def test_an_overdue_review_is_shouted_in_a_banner(team) -> None:
    _, out = team
    text = visible_text(page(out, "plans/robin-hale/index.html"))
    assert "The review of this plan is overdue. It was due on 15 July 2026, 4 months ago." in text
    assert "Overdue by 4 months" in text


def test_plan_page_order_about_me_first_then_mind_and_body_side_by_side(team) -> None:
    _, out = team
    markup = page(out, "plans/alex-morgan/index.html")
    text = visible_text(markup)
    order = ["About me", "My mind and my body", "Life", "Goals and actions", "Medications",
             "Physical health checks", "Requests between services", "Crisis plan", "Care team"]
    positions = [text.index(f" {heading} ") for heading in order]
    assert positions == sorted(positions)
    pair = re.search(r'<div class="wp-pair">(.*?)</div> ?</div>', markup, re.S).group(1)
    assert pair.count('class="wp-card"') == 2
    assert "Mental health" in pair and "Physical health" in pair


def test_plan_page_shows_goals_actions_medicines_checks_requests_and_team(team) -> None:
    _, out = team
    text = visible_text(page(out, "plans/alex-morgan/index.html"))
    assert "Walk Biscuit every day" in text
    assert "Find a walking group Priya Shah (care coordinator) 1 October 2026 Overdue by 8 weeks" in text
    assert "Side effects, in my own words I'm hungry all the time." in text
    assert "Side effects explained to me Yes" in text
    assert "ECG Normal. 1 September 2025 30 September 2026 Overdue by 2 months" in text
    assert "Weight 94.2 kg 1 July 2026 Aim: 90 kg or less" in text
    assert "Bloods (lipids, HbA1c) and an ECG Dr Omar Khan (psychiatrist) asked Dr Ruth Lee (GP)" in text
    assert "Not yet Requested, asked 3 months ago" in text
    assert "Named key worker: Priya Shah (care coordinator), since 1 February 2024." in text
    assert "In a crisis: who to contact, day and night" in text


def test_a_reference_to_someone_hidden_reads_someone_in_the_care_team(team, workspace, tmp_path):
    report = build_site(workspace, tmp_path / "gp", audience="gp", plan_ids=["alex-morgan"], today=TODAY)
    assert report.plans == ["alex-morgan"]
    text = visible_text(page(tmp_path / "gp", "index.html"))
    assert "Psychology session someone in the care team" in text


def test_crisis_page_has_contacts_signs_and_advance_statement(team) -> None:
    _, out = team
    markup = page(out, "plans/alex-morgan/crisis.html")
    text = visible_text(markup)
    for expected in ("Crisis line", "Any time, day or night", "I stop sleeping.", "A walk with Biscuit.",
                     "Crowds and shouting.", "please call Sam first"):
        assert expected in text
    assert 'href="tel:08001601234"' in markup


# --- story pages ----------------------------------------------------------------------


def test_what_changed_since_the_last_review_says_who_made_each_change(team) -> None:
    _, out = team
    text = visible_text(page(out, "plans/alex-morgan/changes.html"))
    assert "Since the review on 8 September 2026" in text
    assert "1 goal removed." in text  # the one-line summary first
    assert "Who made these changes: Alex Morgan (person)." in text
    assert "Goals “CANARY-REMOVED-5 a goal kept private” — Alex Morgan (person) removed this on " \
        "1 October 2026." in text


def test_any_two_reviews_can_be_compared(team) -> None:
    _, out = team
    changes = page(out, "plans/alex-morgan/changes.html")
    assert 'href="compare-1-to-2.html"' in changes
    text = visible_text(page(out, "plans/alex-morgan/compare-1-to-2.html"))
    assert "From the review on 10 March 2026 to the review on 8 September 2026" in text
    assert "2 new results, 1 medicine changed, 1 new goal and 1 review recorded." in text
    assert "“Volunteer at the garden” — Sam Morgan (carer) added this on 3 May 2026." in text
    assert ("Olanzapine 7.5 mg at night — Dr Omar Khan (psychiatrist) changed the dose from “10 mg at "
            "night” to “7.5 mg at night” on 20 June 2026.") in text
    # Two results for one check, by two people, each with its value, the one before and the range.
    # each edit an item of its own under the check's name.
    assert ("Weight Wendy Hall (practice nurse) recorded a result on 1 April 2026: 96 kg on "
            "1 March 2026, was 97.5; above the aim of 90 kg or less. Dr Ruth Lee (GP) recorded a "
            "result on 2 July 2026: 94.2 kg on 1 July 2026, was 96; above the aim of 90 kg or less."
            ) in text
    # Under the plan's own headings, in the plan's order.
    assert text.index("Goals") < text.index("Physical health checks") < text.index("Medications")


def test_history_lists_every_recorded_edit_with_who_and_their_role(team) -> None:
    _, out = team
    text = visible_text(page(out, "plans/alex-morgan/history.html"))
    for who in ("Priya Shah (care coordinator)", "Alex Morgan (person)", "Wendy Hall (practice nurse)",
                "Sam Morgan (carer)", "Dr Omar Khan (psychiatrist)", "Dr Ruth Lee (GP)"):
        assert who in text
    assert text.count("Recorded a review") == 2
    assert text.index("1 October 2026") < text.index("5 January 2026")  # newest first


def test_charts_are_svg_images_with_a_table_of_the_numbers(team) -> None:
    _, out = team
    markup = page(out, "plans/alex-morgan/charts.html")
    svgs = re.findall(r"<svg [^>]*role=\"img\"[^>]*>", markup)
    assert len(svgs) == 4  # weight, blood pressure, HbA1c, cholesterol
    assert "<title id=\"chart-weight-title\">Weight over time</title>" in markup
    text = visible_text(markup)
    # A result over the agreed 90 kg says so in the table, as the ring on the chart does.
    assert ("Weight: every result Date Result Outside the aim? Done by 2 November 2025 97.5 kg "
            "Above the aim of 90 kg or less Wendy Hall") in text
    # ...and a result still above it but lower than the one before says it is coming down.
    assert "96 kg Above the aim of 90 kg or less, and coming down" in text
    assert "142 mmHg 91 mmHg" in text
    assert markup.index("Weight over time") < markup.index("Blood pressure over time")


def test_involvement_over_time_shows_each_review_rating(team) -> None:
    _, out = team
    text = visible_text(page(out, "plans/alex-morgan/involvement.html"))
    assert "Review on 10 March 2026 Review on 8 September 2026" in text
    assert "My physical health matters as much as my mental health 2 of 5" in text
    assert "5 of 5" in text
    assert "It felt like my plan this time." in text


# --- the team home ----------------------------------------------------------------------


def test_team_home_lists_plans_overdue_items_open_requests_and_actions_by_owner(team) -> None:
    _, out = team
    markup = page(out, "index.html")
    text = visible_text(markup)
    assert 'href="plans/alex-morgan/index.html"' in markup
    assert ("2 plans. 1 overdue for review, 10 health checks overdue, never done or missing, "
            "2 requests") in text
    assert "Robin" in text and "15 July 2026 Overdue by 4 months" in text
    assert ("Alex Morgan ECG 30 September 2026 Overdue by 2 months Asked of Dr Ruth Lee (GP) on 1 September "
            "2026 Dr Ruth Lee (GP) The plan sets this date.") in text
    assert "Bloods (lipids, HbA1c) and an ECG" in text
    owners = re.findall(r"<h3>([^<]+)</h3>", markup)
    assert "Priya Shah (care coordinator)" in owners
    assert "Alex Morgan (their own actions)" in owners
    assert "Dr Ruth Lee (GP)" in owners


# --- privacy and hostile text -------------------------------------------------------------


@pytest.fixture(scope="session")
def audience_sites(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sites = {}
    for audience in ("person", "carer", "gp", "team"):
        out = tmp_path_factory.mktemp(f"aud-{audience}") / "site"
        build_site(workspace, out, audience=audience, plan_ids=["alex-morgan"], today=TODAY)
        sites[audience] = out
    return sites


@pytest.mark.parametrize("audience", ["person", "carer", "gp", "team"])
def test_no_canary_reaches_any_byte_an_audience_may_not_see(audience_sites, audience) -> None:
    out = audience_sites[audience]
    everything = b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())
    for canary, allowed in CANARIES.items():
        found = canary.encode() in everything
        assert found == (audience in allowed), f"{canary} for {audience}"


def test_plan_text_stays_text_in_pages_and_the_search_index(team) -> None:
    _, out = team
    for rel in ("index.html", "crisis.html", "charts.html", "changes.html", "history.html",
                "involvement.html"):
        markup = page(out, f"plans/robin-hale/{rel}")
        assert "<script>alert" not in markup and "<img src=x" not in markup
        assert "<svg onload" not in markup and 'href="javascript:' not in markup
    text = visible_text(page(out, "plans/robin-hale/index.html"))
    for payload in PAYLOADS:
        assert payload in text, payload
    index = json.loads(page(out, "plans/robin-hale/search/search_index.json"))
    for doc in index["docs"]:
        assert "<script" not in doc["text"] and "<img" not in doc["text"], doc["location"]


def test_pages_do_not_grow_with_the_number_of_plans(tmp_path: Path) -> None:
    sizes = {}
    for count in (1, 6):
        root = tmp_path / f"ws{count}"
        (root / "plans").mkdir(parents=True)
        for n in range(count):
            write(root, f"person-{n}", alex_plan())
        report = build_site(root, root / "site", today=TODAY)
        assert len(report.plans) == count
        plan_dir = root / "site" / "plans" / "person-0"
        sizes[count] = {p.name: p.stat().st_size for p in plan_dir.rglob("*") if p.is_file()}
        assert "person-1" not in page(root / "site", "plans/person-0/index.html")
    assert sizes[1] == sizes[6]


# --- safe building ----------------------------------------------------------------------------


def test_a_build_never_writes_inside_plans_or_over_other_files(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="inside"):
        build_site(workspace, workspace / "plans" / "site", today=TODAY)
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(BuildError, match="did not make"):
        build_site(workspace, other, today=TODAY)
    assert (other / "notes.txt").read_text() == "keep me"


def test_an_interrupted_build_leaves_the_previous_site_intact(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(workspace, out, plan_ids=["alex-morgan"], today=TODAY)
    before = tree_digest(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl+C while the sites are being built

    monkeypatch.setattr(site_module._Builder, "submit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(workspace, out, plan_ids=["alex-morgan"], today=date_after())
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def date_after():
    from datetime import timedelta

    return TODAY + timedelta(days=1)


def test_incremental_build_rebuilds_only_the_changed_plan_and_matches_a_full_build(
    tmp_path: Path,
) -> None:
    root = make_site_workspace(tmp_path / "ws")
    (root / "plans" / "broken.yaml").unlink()
    first = build_site(root, root / "site", today=TODAY)
    assert sorted(first.built) == ["alex-morgan", "robin-hale"]
    built_once = tree_digest(root / "site")
    again = build_site(root, root / "site", today=TODAY)
    assert again.built == [] and sorted(again.reused) == ["alex-morgan", "robin-hale"]
    assert tree_digest(root / "site") == built_once

    text = (root / "plans" / "alex-morgan.yaml").read_text()
    (root / "plans" / "alex-morgan.yaml").write_text(text.replace("I can grow anything.", "I grow."))
    record_edit(root, "alex-morgan", name="Alex Morgan", role="person", when=when(11, 2))
    incremental = build_site(root, root / "site", today=TODAY)
    assert incremental.built == ["alex-morgan"] and incremental.reused == ["robin-hale"]
    assert "I grow." in page(root / "site", "plans/alex-morgan/index.html")

    full = build_site(root, tmp_path / "full", today=TODAY)
    assert sorted(full.built) == ["alex-morgan", "robin-hale"]
    inside = tree_digest(root / "site")
    assert inside.pop(".gitignore")  # a site inside the workspace tells git to leave it alone
    assert inside == tree_digest(tmp_path / "full")


def test_one_persons_site_stands_alone(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "alex"
    report = build_site(workspace, out, audience="person", plan_ids=["alex-morgan"], today=TODAY)
    assert report.home == out / "index.html"
    # It opens on the plan itself, not on a list of plans.
    assert "Alex Morgan: wellbeing plan" in visible_text(page(out, "index.html"))
    assert not (out / "plans").exists()
    plan_dir = out
    pages = [p for p in plan_dir.glob("*.html") if p.name != "404.html"]  # 404 is for servers only
    assert len(pages) >= 6
    for markup in (p.read_text() for p in pages):
        assert "../../index.html" not in markup  # no link out to a team home
        for src in re.findall(r'(?:src|href)="([^"#]+)"', markup):
            if src.startswith(("tel:", "http://", "https://", "mailto:")):
                continue
            assert (plan_dir / src.split("?")[0]).resolve().is_relative_to(plan_dir.resolve()), src
            assert (plan_dir / src.split("?")[0]).exists(), src
    assert json.loads(page(out, MANIFEST))["audience"] == "person"
    again = build_site(workspace, out, audience="person", plan_ids=["alex-morgan"], today=TODAY)
    assert again.reused == ["alex-morgan"] and (out / "index.html").is_file()


@pytest.mark.parametrize("audience", ["carer", "gp", "person"])
def test_without_plan_each_plan_is_a_site_of_its_own_with_nothing_above(
    workspace: Path, tmp_path: Path, audience: str
) -> None:
    out = tmp_path / audience
    report = build_site(workspace, out, audience=audience, today=TODAY)
    assert report.home == out and "folder of its own" in report.summary()
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, *report.plans])
    for pid in report.plans:
        other = [o for o in report.plans if o != pid]
        everything = b"".join(p.read_bytes() for p in (out / pid).rglob("*") if p.is_file())
        assert b"plan" in everything and not any(o.encode() in everything for o in other)
    # What the next build needs about every plan is kept in the workspace, not in the output.
    marker = json.loads(page(out, MANIFEST))
    assert sorted(marker) == ["audience", "build", "format"]
    again = build_site(workspace, out, audience=audience, today=TODAY)
    assert again.reused == report.plans and again.built == []


def test_a_site_built_inside_the_workspace_is_ignored_by_git(tmp_path: Path) -> None:
    from builder.story.history import git

    root = make_site_workspace(tmp_path / "ws")
    build_site(root, root / "alex", audience="person", plan_ids=["alex-morgan"], today=TODAY)
    status = git(root, "status", "--porcelain", "--untracked-files=all").decode()
    assert (root / "alex" / "index.html").is_file() and "alex/" not in status


def test_sitemap_lists_only_this_persons_pages(team) -> None:
    _, out = team
    sitemap = page(out, "plans/alex-morgan/sitemap.xml")
    assert "robin-hale" not in sitemap and "Robin" not in sitemap


# --- the command line ---------------------------------------------------------------------


def test_wellplan_build_reports_failures_and_stays_quiet_off_a_terminal(workspace: Path, tmp_path: Path):
    done = run_wellplan("build", "--out", str(tmp_path / "cli"), "--today", "2026-11-26", cwd=workspace)
    assert done.returncode == 1, done.stderr
    assert f"plans/broken.yaml:{BROKEN_LINE}:" in done.stderr
    assert "Built 2 plans for the team audience; 1 could not be built. Open " in done.stdout
    assert "Building plan pages" not in done.stderr and "of 2" not in done.stderr
    assert "Traceback" not in done.stderr


def test_wellplan_build_refuses_a_path_as_plan_id(workspace: Path) -> None:
    done = run_wellplan("build", "--plan", "../../etc/passwd", cwd=workspace)
    assert done.returncode != 0
    assert "is not a plan id" in done.stderr and "Traceback" not in done.stderr


def test_no_temporary_folders_are_left_behind(team) -> None:
    _, out = team
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    assert not any(name.startswith(".") for name in os.listdir(out) if name != MANIFEST)
    assert sorted(json.loads(page(out, MANIFEST))) == ["audience", "build", "format"]


def test_a_failure_while_swapping_puts_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site_workspace(tmp_path / "ws")
    out = tmp_path / "site"
    build_site(root, out, today=TODAY)
    before = tree_digest(out)
    text = (root / "plans" / "robin-hale.yaml").read_text()
    (root / "plans" / "robin-hale.yaml").write_text(text.replace("Kim", "Kit"))
    real_replace = site_store.os.replace

    def failing_replace(source, target):
        if Path(target) == out and Path(source).name.endswith(".building"):
            raise OSError("disk full")
        return real_replace(source, target)

    monkeypatch.setattr(site_store.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        build_site(root, out, today=TODAY)
    assert tree_digest(out) == before  # alex-morgan's site was moved across and back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]


def test_a_plan_broken_after_a_good_build_keeps_its_last_good_pages(tmp_path: Path) -> None:
    root = make_site_workspace(tmp_path / "ws")
    out = tmp_path / "site"
    build_site(root, out, today=TODAY)
    path = root / "plans" / "alex-morgan.yaml"
    path.write_text(path.read_text().replace("status: in-progress", "status: nearly", 1))
    report = build_site(root, out, today=TODAY)
    # Its last valid recorded version is built again, under a banner (tests/test_fallback.py).
    assert "alex-morgan" in report.fallback and "alex-morgan" in report.failed
    assert "Walk Biscuit every day" in page(out, "plans/alex-morgan/index.html")
    assert "problems that have not been recorded yet" in page(out, "plans/alex-morgan/index.html")
    assert "plans/alex-morgan.yaml" in report.failed["alex-morgan"][0]
    home = visible_text(page(out, "index.html"))
    assert "showing the version of" in home
    # A fresh build has it too, from the same version.
    build_site(root, tmp_path / "fresh", today=TODAY)
    assert "Walk Biscuit every day" in page(tmp_path / "fresh", "plans/alex-morgan/index.html")
    # Without any valid recorded version, the last good pages of a previous build are kept.
    unrecorded = root / "plans" / "new-one.yaml"
    unrecorded.write_text(page_source := path.read_text().replace("status: nearly", "status: in-progress"))
    build_site(root, out, today=TODAY)
    unrecorded.write_text(page_source.replace("status: in-progress", "status: nearly", 1))
    report = build_site(root, out, today=TODAY)
    assert "new-one" in report.stale and "new-one" not in report.fallback
    assert "Walk Biscuit every day" in page(out, "plans/new-one/index.html")
    assert "its last good version is still shown" in visible_text(page(out, "index.html"))


def test_progress_on_a_terminal_says_the_stage_and_how_many_are_done(capsys) -> None:
    from builder.commands.build import terminal_progress

    show = terminal_progress()
    for done in range(1, 4):
        show("Building plan pages", done, 3)
    err = capsys.readouterr().err
    assert "\rBuilding plan pages: 1 of 3" in err
    assert err.endswith("\rBuilding plan pages: 3 of 3\n")


def test_build_and_serve_have_help(workspace: Path) -> None:
    for command in ("build", "serve"):
        done = run_wellplan(command, "--help", cwd=workspace)
        assert done.returncode == 0 and "--audience" in done.stdout and "--plan" in done.stdout
    assert "127.0.0.1" in run_wellplan("serve", "--help", cwd=workspace).stdout


def test_recording_an_edit_rebuilds_the_plan_even_when_its_text_is_unchanged(tmp_path: Path) -> None:
    # The workspace is a folder inside a bigger repository, as a team's may be.
    root = make_site_workspace(tmp_path / "repo" / "team", repository=tmp_path / "repo")
    (root / "plans" / "broken.yaml").unlink()
    path = root / "plans" / "robin-hale.yaml"
    path.write_text(path.read_text().replace("Robin", "Robyn"))
    first = build_site(root, tmp_path / "site", today=TODAY)
    assert "(not recorded yet)" in page(tmp_path / "site", "plans/robin-hale/changes.html")
    record_edit(root, "robin-hale", name="Kim Key", role="key-worker", when=when(11, 3))
    second = build_site(root, tmp_path / "site", today=TODAY)
    assert "robin-hale" in first.built and second.built == ["robin-hale"]
    changes = page(tmp_path / "site", "plans/robin-hale/changes.html")
    assert "not recorded yet" not in changes and "Kim Key (key worker)" in changes


def test_history_keys_read_since_the_last_build_equal_those_read_from_scratch(tmp_path: Path) -> None:
    root = make_site_workspace(tmp_path / "ws")
    before = site_store.history_fingerprints(root)
    assert before.head and set(before.keys) == {"alex-morgan", "robin-hale"}
    path = root / "plans" / "robin-hale.yaml"
    path.write_text(path.read_text().replace("Robin", "Robyn"))
    record_edit(root, "robin-hale", name="Kim Key", role="key-worker", when=when(11, 3))
    since = site_store.history_fingerprints(root, before)
    assert since == site_store.history_fingerprints(root)
    assert since.head != before.head
    assert since.keys["alex-morgan"] == before.keys["alex-morgan"]
    assert since.keys["robin-hale"] != before.keys["robin-hale"]
    # A previous build's keys for another folder of the repository are not trusted.
    elsewhere = site_store.History(before.head, "other/", {"robin-hale": "stale"})
    assert site_store.history_fingerprints(root, elsewhere) == since


def test_a_rewritten_history_is_read_again_and_its_plans_rebuilt(tmp_path: Path) -> None:
    from builder.story.history import git

    root = make_site_workspace(tmp_path / "ws")
    (root / "plans" / "broken.yaml").unlink()
    build_site(root, root / "site", today=TODAY)
    old_head = json.loads(site_store.cache_file(root, root / "site").read_text())["history"]["head"]
    # The last commit (robin-hale's) is replaced: same file, another commit id.
    git(root, "commit", "--amend", "--quiet", "-m", "Reworded")
    rebuilt = build_site(root, root / "site", today=TODAY)
    assert rebuilt.built == ["robin-hale"] and rebuilt.reused == ["alex-morgan"]
    manifest = json.loads(site_store.cache_file(root, root / "site").read_text())
    assert manifest["history"]["head"] != old_head
    assert manifest["history"] == {
        "head": manifest["history"]["head"],
        "base": "",
        "keys": site_store.history_fingerprints(root).keys,
    }


@pytest.mark.parametrize("plan_maker", [alex_plan, site_fixtures.hostile_plan])
def test_raw_html_blocks_set_aside_from_markdown_come_back_as_markdown_would_make_them(plan_maker) -> None:
    import markdown
    from mkdocs.utils.meta import get_data

    from builder.site.dashboard import PlanRow, dashboard_facts, dashboard_pages
    from builder.site.mkdocs_adapter import put_back_blocks, set_aside_blocks
    from builder.site.pages import person_pages
    from builder.view import view_plan

    plan = view_plan(plan_maker(), "team")
    pages = dict(person_pages(plan, None, TODAY, "../../index.html").files)
    rows = [PlanRow("someone", dashboard_facts(plan))]
    pages["home.md"] = dashboard_pages(rows, ["plans/broken.yaml: <b>broken</b>"], TODAY).files["index.md"]
    set_aside = 0
    for name, text in pages.items():
        body = get_data(text)[0]
        plain = markdown.markdown(body, extensions=["toc", "tables"])
        aside, blocks = set_aside_blocks(body)
        set_aside += len(blocks)
        assert put_back_blocks(markdown.markdown(aside, extensions=["toc", "tables"]), blocks) == plain, name
    assert set_aside > 5


def test_search_entries_keep_words_and_fields_apart(team) -> None:
    _, out = team
    docs = json.loads(page(out, "plans/alex-morgan/search/search_index.json"))["docs"]
    every = " ".join(re.sub(r"<[^>]+>", " ", doc["text"]) for doc in docs)
    assert "Keep a regular bedtime Whose goal Alex Status Active" in every
    assert "Find a walking group Priya Shah (care coordinator) 1 October 2026" in every
    # Nothing runs into the next field (chart labels included): no lower-case letter or
    # bracket straight before a capital, but in units and names written that way.
    words = every.replace("mmHg", "").replace("HbA1c", "")
    assert re.findall(r".{12}[a-z)][A-Z].{12}", words) == []


def test_the_team_home_table_stays_out_of_the_search_index(team) -> None:
    # One long table of every plan: parsed for search on every build and loaded by every
    # browser, while each person's own site keeps its search.
    _, out = team
    assert json.loads(page(out, "search/search_index.json"))["docs"] == []
    assert "Alex Morgan" in visible_text(page(out, "index.html"))
    person = json.loads(page(out, "plans/alex-morgan/search/search_index.json"))["docs"]
    assert any("Alex" in doc["text"] for doc in person)


def test_history_keys_after_a_merge_are_read_again_as_a_full_pass_would(tmp_path: Path) -> None:
    from builder.story.history import git

    root = make_site_workspace(tmp_path / "ws")
    path = root / "plans" / "alex-morgan.yaml"
    main = git(root, "rev-parse", "--abbrev-ref", "HEAD").decode().strip()
    git(root, "checkout", "--quiet", "-b", "side")
    path.write_text(path.read_text().replace("I can grow anything.", "I grow."))
    record_edit(root, "alex-morgan", name="Alex Morgan", role="person", when=when(11, 3))
    git(root, "checkout", "--quiet", main)
    path.write_text(path.read_text().replace("7.5 mg at night", "10 mg at night"))
    record_edit(root, "alex-morgan", name="Dr Omar Khan", role="psychiatrist", when=when(11, 4))
    before = site_store.history_fingerprints(root)
    # The side branch's older commit comes in after the build that saw main's newer one.
    git(root, "merge", "--quiet", "--no-edit", "side")
    since = site_store.history_fingerprints(root, before)
    assert since == site_store.history_fingerprints(root)
    assert since.keys["alex-morgan"] != before.keys["alex-morgan"]


def test_a_cache_that_cannot_be_written_means_a_full_build_next_time_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site_workspace(tmp_path / "ws")
    (root / "plans" / "broken.yaml").unlink()
    out = tmp_path / "alex"
    cache = site_store.cache_file(root, out)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.mkdir()  # a folder where the cache file should go: writing it fails
    report = build_site(root, out, audience="person", plan_ids=["alex-morgan"], today=TODAY)
    assert report.built == ["alex-morgan"] and (out / "index.html").is_file()
    again = build_site(root, out, audience="person", plan_ids=["alex-morgan"], today=TODAY)
    assert again.built == ["alex-morgan"] and again.reused == []
