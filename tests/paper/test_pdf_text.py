"""Plan text in a PDF is text: markup-looking input prints as typed; odd scripts never crash a build."""

from __future__ import annotations

import io
import logging
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from pypdf import PdfReader

from builder.commands.cli import main
from builder.paper import words as printtext
from builder.paper.blocks import WORD_JOINER
from builder.paper.pandoc_tool import to_typst
from builder.paper.pdf import _Job, build_pdf, typeset
from builder.plan.schema import plan_schema
from builder.view import AUDIENCES, view_plan

TODAY = date(2026, 11, 26)
PLAN = (Path(__file__).resolve().parent / "alex-morgan.yaml").read_text(encoding="utf-8")

#: Text that means something in Typst, LaTeX or Markdown, at the start of a line or anywhere.
AS_TYPED = [
    "= Heading", "== Two", "- dash", "+ plus", "1. one", "12) twelve", "/ term: description",
    "```py\nx = 1```", "# hash", "// slash comment", "/* block comment */", "<label>", "@ref",
    "\\", "~~", "*bold*", "_emphasis_", "`raw`", "$ x^2 $", "line one\n= two\n- three\n1. four",
    "a -- b --- c", "https://example.org/x?y=1", "#{panic()}", "#sys.inputs", "]", "}", "[{",
    '#read("/etc/passwd")', '#include "/etc/passwd"', "\\input{/etc/passwd}",
    "\\begin{document}", "%comment", "#set page(width: 1cm)", '#image("/etc/passwd")',
    '"quoted" and \'single\'', "<script>alert(1)</script>", "Ünïcödé café naïve",
    "/", "-", "+", "=", "-? soft", "  - indented", "x -? y",
]


def pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("place", ["paragraph", "list item", "table cell"])
def test_markup_in_plan_text_prints_exactly_as_typed(tmp_path: Path, place: str) -> None:
    from builder.paper.blocks import NO_ATTR, T, paragraphs, text

    def put(case: str) -> list:
        if place == "paragraph":
            return paragraphs(case)
        if place == "list item":
            return [T.BulletList([[T.Plain(text(case))]])]
        cell = T.Cell(NO_ATTR, T.AlignDefault(), 1, 1, [T.Plain(text(case))])
        body = T.TableBody(NO_ATTR, 0, [], [T.Row(NO_ATTR, [cell])])
        return [T.Table(NO_ATTR, T.Caption(None, []), [(T.AlignDefault(), T.ColWidthDefault())],
                        T.TableHead(NO_ATTR, []), [body], T.TableFoot(NO_ATTR, []))]

    blocks = []
    for i, case in enumerate(AS_TYPED):
        blocks.append(T.Para(text(f"<<{i}>>")))
        blocks += put(case)
    blocks.append(T.Para(text(f"<<{len(AS_TYPED)}>>")))
    [body] = to_typst([T.Pandoc(T.Meta({}), blocks)])
    pdf = typeset(body, _Job(tmp_path / "t.pdf", "Test", "", False), TODAY)
    # pypdf, not pdftotext: pdftotext joins a line ending in "-" to the next one.
    out = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    parts = re.split(r"<<(\d+)>>", re.sub(r"Page \d+ of \d+", "", out))
    printed = {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    wrong = []
    for i, case in enumerate(AS_TYPED):
        expected = re.sub(r"\s+", " ", case).strip()
        # The word joiner that keeps a line-start "- " from being a list is invisible.
        shown = printed.get(i, "<missing>").replace(WORD_JOINER, "").replace("•", "")
        got = re.sub(r"\s+", " ", shown).strip()
        if got != expected:
            wrong.append(f"{case!r} printed as {got!r}")
    assert not wrong, "\n".join(wrong)
    assert "root:" not in out


def workspace_with(tmp_path: Path, plan: str) -> Path:
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    (root / "plans" / "alex-morgan.yaml").write_text(plan, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def test_right_to_left_text_and_emoji_make_a_copy_marked_pdf_ua(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    plan = PLAN.replace("Sleeping better.", "'Sleeping better 😀. שלום עליכם. مرحبا بالعالم.'")
    root = workspace_with(tmp_path, plan)
    with caplog.at_level(logging.WARNING, logger="builder.paper.pdf"):
        out = build_pdf(root, "alex-morgan", tmp_path / "rtl.pdf", today=TODAY)
    reader = PdfReader(out)
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp  # every character could be drawn
    text = pdftotext(out.read_bytes(), tmp_path)
    assert "שלום" in text and "مرحبا" in text and "Sleeping better [emoji: grinning face]" in text
    assert "cannot be drawn" not in caplog.text


def test_a_copy_before_anything_is_recorded_says_so(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, PLAN)
    out = build_pdf(root, "alex-morgan", tmp_path / "new.pdf", today=TODAY)
    text = re.sub(r"\s+", " ", pdftotext(out.read_bytes(), tmp_path))
    assert "Recorded version: not yet recorded" in text
    assert "No changes have been recorded yet." in text


def test_a_folder_that_is_not_a_git_repository_still_gets_a_copy(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "plain"
    (root / "plans").mkdir(parents=True)
    (root / "plans" / "alex-morgan.yaml").write_text(PLAN, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="builder.paper.pdf"):
        out = build_pdf(root, "alex-morgan", tmp_path / "plain.pdf", today=TODAY)
    text = re.sub(r"\s+", " ", pdftotext(out.read_bytes(), tmp_path))
    assert "Recorded version: not yet recorded" in text and "Swim once a week" in text
    assert "not a git repository" in caplog.text


# -- the command ---------------------------------------------------------------------------


def test_the_command_writes_outside_plans_and_says_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace_with(tmp_path, PLAN)
    monkeypatch.chdir(root)
    assert main(["pdf", "alex-morgan", "--audience", "carer", "--today", "2026-11-26"]) == 0
    written = root / "build" / "pdf" / "alex-morgan-carer.pdf"
    assert written.is_file() and f"Wrote {written}." in capsys.readouterr().out
    assert main(["pdf", "--all", "--out", "copies", "--today", "2026-11-26"]) == 0
    out, err = capsys.readouterr()
    assert out == "Wrote 1 PDF to copies.\n" and err == ""  # quiet when not on a terminal
    assert (root / "copies" / "alex-morgan.pdf").is_file()
    assert main(["pdf", "alex-morgan", "--out", "plans/copy.pdf"]) == 2
    assert "inside the plans/ folder" in capsys.readouterr().err
    assert sorted(p.name for p in (root / "plans").iterdir()) == ["alex-morgan.yaml"]


@pytest.mark.parametrize("argv, code, message", [
    (["pdf"], 2, "Say which plan to print"),
    (["pdf", "alex-morgan", "--all"], 2, "Say which plan to print"),
    (["pdf", "../../etc/passwd"], 1, "is not a plan id"),
    (["pdf", "nobody"], 1, "There is no plan called 'nobody'"),
    (["pdf", "broken"], 1, "plans/broken.yaml has 1 problem, so it cannot be printed"),
    (["pdf", "alex-morgan", "--out", "a-file/copy.pdf"], 1, "Could not write a-file/copy.pdf"),
    (["pdf", "--all", "--out", "a-file/copies"], 1, "Could not make the folder a-file/copies"),
])
def test_the_command_answers_mistakes_in_one_plain_line(
        argv: list[str], code: int, message: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace_with(tmp_path, PLAN)
    (root / "plans" / "broken.yaml").write_text(PLAN.replace("status: active", "status: activ", 1),
                                                encoding="utf-8")
    (root / "a-file").write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(argv) == code
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3


def test_all_names_the_plans_it_will_not_read_and_prints_the_rest(tmp_path: Path) -> None:
    from builder.errors import PlanError
    from builder.paper.pdf import build_all_pdfs

    root = workspace_with(tmp_path, PLAN)
    (root / "plans" / "Not An Id.yaml").write_text(PLAN, encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text(PLAN.replace("Alex Morgan", "Secret Person"), encoding="utf-8")
    (root / "plans" / "linked.yaml").symlink_to(outside)
    with pytest.raises(PlanError) as refused:
        build_all_pdfs(root, tmp_path / "out", today=TODAY)
    message = str(refused.value)
    assert message.startswith("2 plans could not be printed:")
    assert "plans/Not An Id.yaml: the file name is not a plan id" in message
    assert "linked.yaml points outside the workspace's plans folder" in message
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["alex-morgan.pdf"]


# -- words ---------------------------------------------------------------------------------


def test_plain_words_for_numbers_dates_and_spans() -> None:
    assert printtext.nhs_number("9434765919") == "943 476 5919"
    assert printtext.nhs_number("943 476 5919") == "943 476 5919"
    assert printtext.nhs_number("12345") == "12345"
    assert printtext.long_date("2026-03-01") == "1 March 2026"
    assert printtext.long_date("not a date") == "not a date"
    assert [printtext.span(d) for d in (1, 3, 20, 90, 400, 800)] == [
        "1 day", "3 days", "2 weeks", "3 months", "13 months", "2 years and 2 months"]
    check = {"unit": "mmHg", "range": {"high": 140}}
    assert printtext.result({"systolic": 128, "diastolic": 82.0}, check) == "128/82 mmHg"
    assert printtext.plain_range(check) == "140 mmHg or less"  # as the site says it
    assert printtext.label(("person", "nhs_number")) == "NHS number"  # the schema's own title


# -- any plan the schema allows ------------------------------------------------------------


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(from_schema(plan_schema()), st.sampled_from(AUDIENCES))
def test_any_plan_the_schema_allows_makes_a_copy_for_any_audience(plan: dict, audience: str) -> None:
    from builder.paper.document import print_copy

    copy = print_copy(view_plan(plan, audience), None, audience, TODAY)
    assert copy.title.startswith("Wellbeing plan for ")
    [body] = to_typst([copy.document])
    pdf = typeset(body, _Job(Path("generated.pdf"), copy.title, copy.footer, False), TODAY)
    assert pdf.startswith(b"%PDF")
