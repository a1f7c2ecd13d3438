"""PDF review copies, read back: content, audiences, injection, tagging, pages, large print."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.errors import PlanError, UsageError
from builder.paper.pdf import build_all_pdfs, build_pdf, pdf_name

HERE = Path(__file__).resolve().parent
PLAN = (HERE / "alex-morgan.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 11, 26)
AUDIENCES = ("person", "carer", "gp", "team")

#: canary -> the audiences that may see it (everyone else must not).
CANARIES = {
    "CANARY-ABOUT-PERSON-TEAM": {"person", "team"},
    "CANARY-PERSON-ONLY": {"person"},
    "CANARY-GOAL-SHARED-CARER": {"person", "carer", "team"},
    "CANARY-MED": {"person", "team", "gp"},
    "CANARY-CRISIS": {"person", "carer", "team"},
    "CANARY-HIDDEN-MEMBER": {"team"},
}
INJECTIONS = [
    '#read("/etc/passwd")',
    '#include "/etc/passwd"',
    r"\input{/etc/passwd}",
    "$5 ] } [ { <label> @ref",
    "#let x = 1 #x",
]


# -- a workspace with a recorded history ---------------------------------------------------


def git(root: Path, *args: str, when: str = "2026-05-02T10:00:00+00:00", name: str = "Test") -> str:
    env = {
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
        "PATH": "/usr/bin:/bin", "HOME": str(root), "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def record(root: Path, text: str, when: str, name: str, role: str, review: str | None = None,
           plan_id: str = "alex-morgan") -> str:
    (root / "plans" / f"{plan_id}.yaml").write_text(text, encoding="utf-8")
    trailers = f"Plan-Role: {role}" + (f"\nPlan-Review: {review}" if review else "")
    git(root, "add", "plans")
    git(root, "commit", "-q", "-m", f"Edit {plan_id}\n\n{trailers}", when=when, name=name)
    return git(root, "rev-parse", "HEAD").strip()


def versions() -> list[str]:
    """The plan as four recorded edits: started, reviewed, the carer's goal, the person's words."""
    v4 = PLAN
    v3 = v4.replace("My mood has been steady since the summer.", "My mood has been low.")
    sister = v3[v3.index("  - id: sister"):v3.index("actions:")]
    v2 = v3.replace(sister, "")
    v1 = v2[: v2.index("reviews:")]
    return [v1, v2, v3, v4]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdf-ws")
    (root / "plans").mkdir()
    git(root, "init", "-q", "-b", "main")
    v1, v2, v3, v4 = versions()
    record(root, v1, "2026-05-02T10:00:00+00:00", "Priya Shah", "key-worker")
    record(root, v2, "2026-06-01T15:00:00+00:00", "Priya Shah", "key-worker", review="r1")
    record(root, v3, "2026-07-10T09:30:00+00:00", "Sam Morgan", "carer")
    record(root, v4, "2026-08-02T18:00:00+00:00", "Alex Morgan", "person")
    return root


@pytest.fixture(scope="module")
def copies(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf-out")
    made = {a: build_pdf(workspace, "alex-morgan", out / pdf_name("alex-morgan", a), a, today=TODAY)
            for a in AUDIENCES}
    made["large"] = build_pdf(workspace, "alex-morgan", out / "large.pdf", large_print=True,
                              today=TODAY)
    return made


def pdftotext(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def flat(text: str) -> str:
    """Text with line wrapping undone: a break after a hyphen joins, other whitespace is one space."""
    return re.sub(r"\s+", " ", re.sub(r"-\s*\n\s*", "-", text))


def squash(text: str) -> str:
    """Text without spaces or hyphens: pdftotext drops a hyphen where a line breaks after one."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def page_texts(path: Path) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(path).pages]


# -- content -------------------------------------------------------------------------------


def test_first_block_says_who_how_to_reach_the_key_worker_and_which_version(
        workspace: Path, copies: dict[str, Path]) -> None:
    text = flat(pdftotext(copies["person"]))
    head = git(workspace, "rev-parse", "--short=7", "HEAD").strip()
    assert "Wellbeing plan for Alex Morgan" in text
    assert "Preferred name: Al" in text
    assert "NHS number: 943 476 5919" in text
    assert "Key worker: Priya Shah, Key worker, Riverside Community Mental Health Team" in text
    assert "Phone 0161 496 0000 or email priya.shah@riverside.example.org" in text
    assert "Printed on: 26 November 2026" in text
    # A version a person can say, and no commit id: it means nothing to them.
    assert "Recorded version: version 4, recorded 2 August 2026" in text
    assert "with changes not yet recorded" not in text
    raw = pdftotext(copies["person"]) + "".join(page_texts(copies["person"]))
    assert head not in raw and "commit" not in raw.lower()


def test_the_team_copy_gives_the_commit_id_in_small_print(workspace: Path, copies: dict[str, Path]) -> None:
    head = git(workspace, "rev-parse", "--short=7", "HEAD").strip()
    text = flat(pdftotext(copies["team"]))
    assert f"Recorded version: version 4, recorded 2 August 2026 (commit {head})" in text
    pages = page_texts(copies["team"])
    assert all(f"version 4, recorded 2 August 2026 · printed 26 November 2026 · commit {head}" in page
               for page in pages)


def test_what_changed_since_the_last_review_says_who_changed_what(copies: dict[str, Path]) -> None:
    text = flat(pdftotext(copies["person"]))
    section = text[text.index("What changed since the last review"):text.index("About me")]
    assert "Since the review on 1 June 2026." in section
    assert "1 new goal and 1 other change." in section  # the one-line summary comes first
    assert "Who made these changes: Sam Morgan (carer) and Alex Morgan (person)." in section
    assert ("“See my sister every month. CANARY-GOAL-SHARED-CARER” — Sam Morgan (carer) added "
            "this on 10 July 2026.") in section
    # The old words, shown beside the new ones, under the plan's own heading.
    assert ("Mental health • In my own words — Alex Morgan (person) changed this from “My mood "
            "has been low.” to “My mood has been steady since the summer.” on 2 August 2026."
            ) in section
    assert section.index("Mental health") < section.index("Goals")  # the plan's own order


def test_changes_hidden_from_an_audience_are_not_in_its_changes(copies: dict[str, Path]) -> None:
    carer = flat(pdftotext(copies["carer"]))
    carer_changes = carer[carer.index("What changed"):]
    assert "See my sister every month" in carer_changes
    assert "My mood has been low" not in carer
    assert "No review has been recorded" not in carer  # reviews are not shared with the carer
    gp = flat(pdftotext(copies["gp"]))
    assert "Nothing has changed since then." in gp


def test_overdue_is_shouted_and_the_due_list_is_in_date_order(copies: dict[str, Path]) -> None:
    text = flat(pdftotext(copies["person"]))
    # Page one: who to call, then when the next review is (overdue here), then what is due.
    review = text[text.index("Next review due"):text.index("What is due or overdue")]
    assert "Overdue since 1 September 2026" in review
    due = text[text.index("What is due or overdue"):text.index("About this copy")]
    # The count says everything pressing in the list, from the one model of what is due.
    assert "2 things are overdue, 1 has not been done yet and 5 are not in the plan." in due
    assert "The next review" not in due  # said once, on its own line above
    assert "Overdue since 15 October 2026" in due  # the pool pass
    assert "Overdue since 1 November 2026" in due  # blood pressure
    assert due.index("Find out about a discounted pool pass") < due.index("Blood pressure")


def test_mental_and_physical_health_have_the_same_shape(copies: dict[str, Path]) -> None:
    text = flat(pdftotext(copies["person"]))
    mental = text[text.index("Mental health In my own words"):text.index("Physical health In my own")]
    physical = text[text.index("Physical health In my own words"):text.index("Life In my own words")]
    assert "Needs and concerns" in mental and "Needs and concerns" in physical
    assert "Swim once a week" in physical and "Offer talking therapy sessions" in mental


def test_a_check_shows_its_latest_result_and_the_trend_before_it(copies: dict[str, Path]) -> None:
    text = flat(pdftotext(copies["person"]))
    assert ("124/80 mmHg on 20 August 2026 Before: 128/82 mmHg (1 May 2026); "
            "141/91 mmHg (3 November 2025)") in text


def test_the_crisis_plan_has_a_page_of_its_own(copies: dict[str, Path]) -> None:
    pages = page_texts(copies["person"])
    crisis = [i for i, p in enumerate(pages) if "Crisis plan: if things get difficult" in p]
    signing = [i for i, p in enumerate(pages) if "Signing this plan" in p]
    assert len(crisis) == 1 and len(signing) == 1
    page = pages[crisis[0]]
    assert page.lstrip().startswith("Crisis plan: if things get difficult")
    # The numbers are on page one, and the crisis plan's page says so rather than repeat them.
    assert "Riverside crisis line" in pages[0] and "0800 000 1111" in pages[0]
    assert "0800 000 1111" not in page and "numbers, are on page 1" in page
    assert signing[0] > crisis[0]
    assert pages[signing[0]].lstrip().startswith("Signing this plan")
    # Alex's own copy holds what Sam may not see: Sam is not asked to sign it; Sam's copy, yes.
    assert "Alex Morgan" in pages[signing[0]] and "Sam Morgan" not in pages[signing[0]]
    carers = [p for p in page_texts(copies["carer"]) if "Signing this plan" in p]
    assert "Carer Sam Morgan" in carers[0] and "Alex Morgan" in carers[0]


def test_every_page_says_page_x_of_y_and_which_version(copies: dict[str, Path]
                                                      ) -> None:
    # Every copy made from the same recorded plan names the same version, whoever it is for
    # (issue 11: the carer's copy printed the same day carried a different version). What
    # changed in that version stays each audience's own to see.
    for path in copies.values():
        version = "version 4, recorded 2 August 2026"
        pages = page_texts(path)
        assert len(pages) >= 3
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in page
            assert version in page


# -- audiences -----------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audience_sees_exactly_its_canaries(audience: str, copies: dict[str, Path]) -> None:
    text = squash(pdftotext(copies[audience]))
    for canary, allowed in CANARIES.items():
        if audience in allowed:
            assert squash(canary) in text, f"{canary} missing from the {audience} copy"
        else:
            assert squash(canary) not in text, f"{canary} leaked into the {audience} copy"


def test_a_person_hidden_from_the_audience_is_someone_in_the_care_team(
        copies: dict[str, Path]) -> None:
    gp = flat(pdftotext(copies["gp"]))
    assert "Offer talking therapy sessions" in gp
    assert "someone in the care team" in gp
    assert "HIDDEN" not in squash(gp)


# -- hostile text --------------------------------------------------------------------------


def test_typst_and_latex_injection_prints_literally(copies: dict[str, Path]) -> None:
    text = flat(pdftotext(copies["person"]))
    for attack in INJECTIONS:
        assert squash(attack) in squash(text), f"{attack!r} was not printed as written"
    assert "root:" not in text  # nothing was read from /etc/passwd


def test_the_title_and_footer_are_not_an_injection_path(tmp_path: Path) -> None:
    hostile = 'Jo #read("/etc/passwd") ] } \\input{/etc/passwd} $x$'
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    record(root, PLAN.replace("name: Alex Morgan", f"name: '{hostile}'"), "2026-08-02T18:00:00+00:00",
           "Priya Shah", "key-worker")
    out = build_pdf(root, "alex-morgan", tmp_path / "out.pdf", today=TODAY)
    reader = PdfReader(out)
    assert reader.metadata.title == f"Wellbeing plan for {hostile}"
    first = pdftotext(out)
    assert squash(f"Wellbeing plan for {hostile}") in squash(first)
    assert squash(f"{hostile} · wellbeing plan") in squash(page_texts(out)[-1])
    assert "root:" not in first


# -- accessibility -------------------------------------------------------------------------


def test_the_pdf_is_tagged_titled_in_english_with_embedded_fonts(copies: dict[str, Path]) -> None:
    path = copies["carer"]
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    kinds = _structure_kinds(root["/StructTreeRoot"])
    # Headings in order, tables with header cells, lists and paragraphs: a screen
    # reader can move by heading and read a table by its column names.
    assert kinds["/H1"] == 1
    assert {"/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI", "/P"} <= set(kinds)
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]) == "en-GB"
    assert reader.metadata.title == "Wellbeing plan for Alex Morgan"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp  # claims PDF/UA-1, which Typst checked
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        assert " yes yes " in row, f"font not embedded: {row}"
        # Only the fonts the typst package carries, never the machine's own.
        assert re.search(r"Libertinus|NewCM|DejaVuSansMono", row), row


def _structure_kinds(node: object) -> Counter[str]:
    """How many structure elements of each kind (/H1, /Table…) the tagged PDF holds."""
    kinds: Counter[str] = Counter()
    stack = [node]
    while stack:
        item = stack.pop()
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "/S" in item:
                kinds[str(item["/S"])] += 1
            if "/K" in item:
                stack.append(item["/K"])
    return kinds


def _body_size(path: Path) -> float:
    """The most common text size in the document, in points."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes[round(size * abs(tm[3]) * abs(cm[3]), 1)] += len(text)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def test_large_print_has_body_text_of_at_least_16_points_and_the_same_content(
        copies: dict[str, Path]) -> None:
    assert _body_size(copies["person"]) < 13
    assert _body_size(copies["large"]) >= 16
    normal, large = flat(pdftotext(copies["person"])), flat(pdftotext(copies["large"]))
    for phrase in ("Swim once a week", "Riverside crisis line", "CANARY-PERSON-ONLY",
                   "Signing this plan", '#read("/etc/passwd")'):
        assert squash(phrase) in squash(normal) and squash(phrase) in squash(large)
    assert len(PdfReader(copies["large"]).pages) > len(PdfReader(copies["person"]).pages)


# -- where copies go -----------------------------------------------------------------------


def test_a_build_never_writes_inside_plans(workspace: Path) -> None:
    before = sorted(p.name for p in (workspace / "plans").iterdir())
    with pytest.raises(UsageError, match="inside the plans/ folder"):
        build_pdf(workspace, "alex-morgan", workspace / "plans" / "x.pdf", today=TODAY)
    with pytest.raises(UsageError):
        build_all_pdfs(workspace, workspace / "plans", today=TODAY)
    assert sorted(p.name for p in (workspace / "plans").iterdir()) == before


def test_all_plans_on_both_cores_and_a_broken_plan_is_named(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for n in range(4):
        plan = PLAN.replace("name: Alex Morgan", f"name: Person Number{n}")
        record(root, plan, "2026-08-02T18:00:00+00:00", "Priya Shah", "key-worker",
               plan_id=f"p{n}")
    # One copy in this process first: Typst's threads are running when the pool starts,
    # which is what once made forked workers hang.
    build_pdf(root, "p0", tmp_path / "one.pdf", today=TODAY)
    seen: list[tuple[int, int]] = []
    written = build_all_pdfs(root, tmp_path / "out", audience="gp", today=TODAY,
                             progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert [p.name for p in written] == [f"p{n}-gp.pdf" for n in range(4)]
    for n, path in enumerate(written):
        text = flat(pdftotext(path))
        assert f"Wellbeing plan for Person Number{n}" in text  # each body with its own plan
        assert f"Person Number{n} · wellbeing plan" in text
    (root / "plans" / "p9.yaml").write_text("schema_version: 1\nperson: [\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"1 plan could not be printed: plans/p9.yaml .*other 4"):
        build_all_pdfs(root, tmp_path / "out2", today=TODAY)
    assert len(list((tmp_path / "out2").glob("*.pdf"))) == 4


def test_unrecorded_changes_are_said_on_the_copy(workspace: Path, tmp_path: Path) -> None:
    path = workspace / "plans" / "alex-morgan.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("Sleeping better.", "Sleeping much better."),
                        encoding="utf-8")
        out = build_pdf(workspace, "alex-morgan", tmp_path / "x.pdf", today=TODAY)
    finally:
        path.write_text(original, encoding="utf-8")
    text = flat(pdftotext(out))
    assert "with changes not yet recorded" in text
    assert "Someone changed this from “Sleeping better.” to “Sleeping much better.” (not recorded " \
        "yet)." in text
    assert "Some changes are in the plan but not recorded yet, so nobody's name is on them." in text
    assert "Sleeping much better." in text


def test_the_same_plan_on_the_same_day_makes_the_same_bytes(workspace: Path, copies: dict[str, Path],
                                                            tmp_path: Path) -> None:
    again = build_pdf(workspace, "alex-morgan", tmp_path / "again.pdf", today=TODAY)
    assert again.read_bytes() == copies["person"].read_bytes()
