"""PDF review copies: plan -> audience view -> story -> pandoc document -> Typst -> PDF.

This is the one module that runs the pandoc program (``pandoc -t typst``) and the
Typst compiler (the ``typst`` package, in process); their failures become
:class:`PdfError` here and nowhere else. Plan text reaches Typst only through
pandoc's escaping writer, and the template's own values (title, footer) only as
``sys.inputs`` strings, which Typst shows as text and never runs. Typst sees only
the print theme folder, the fonts it carries and Debian's Noto fonts (never the
machine's other fonts; see fonts.py).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from builder.errors import HistoryError, PdfError, PlanError, UsageError, WorkspaceError
from builder.paper.fonts import font_dirs, missing_fonts_hint
from builder.paper.glyphs import fit_for_print
from builder.paper.pandoc_tool import to_typst
from builder.view import AUDIENCES, is_audience
from builder.workspace import (
    PLAN_ID,
    PLANS_DIR,
    PRINT_THEME_DIR,
    check_plan_id,
    mark_build_output,
    plan_file,
    plan_files,
    plan_rel,
    shown_path,
    suggest_plan,
)

log = logging.getLogger(__name__)

THEME = PRINT_THEME_DIR
TEMPLATE = "review-copy.typ"
#: Plans per pandoc run in ``--all``: one process start shared by many documents.
PANDOC_BATCH = 100
#: Below this many plans a second process costs more than it saves.
PARALLEL_FROM = 4


@dataclass(frozen=True)
class _Job:
    """One copy to make: where it goes and what the template needs besides the body."""

    out: Path
    title: str
    footer: str
    large_print: bool


# -- public: build one copy, or every plan's copy ----------------------------------------


def build_pdf(
    workspace: Path,
    plan_id: str,
    out: Path,
    audience: str = "person",
    large_print: bool = False,
    today: date | None = None,
) -> Path:
    """Write the review copy of one plan for one audience; returns the PDF's path."""
    today = today or date.today()
    _check_audience(audience)
    check_plan_id(plan_id)
    refuse_inside_plans(workspace, out)
    story = _stories(workspace, audience, [plan_id]).get(plan_id)
    document, job = _prepare(workspace, plan_id, out, audience, large_print, today, story)
    [body] = to_typst([document])
    _write(out, typeset(body, job, today))
    return out


def build_all_pdfs(
    workspace: Path,
    out_dir: Path,
    audience: str = "person",
    large_print: bool = False,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write every plan's review copy into out_dir, using both cores; returns the paths.

    ``progress(done, total)`` is called as batches of plans finish. The second process
    starts from a fork server, so a script calling this needs the usual
    ``if __name__ == "__main__":`` guard (the ``wellplan`` command has it).
    """
    today = today or date.today()
    _check_audience(audience)
    refuse_inside_plans(workspace, out_dir)
    files = plan_files(workspace)
    if not files:
        raise PlanError(f"There are no plans in {PLANS_DIR}/ to print.")
    ids = [path.stem for path in files if PLAN_ID.match(path.stem)]
    failed = [f"{shown_path(path)}: the file name is not a plan id (use lowercase "
              "letters, digits and hyphens)." for path in files if not PLAN_ID.match(path.stem)]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PdfError(f"Could not make the folder {out_dir} ({e.strerror or e}). Choose "
                       "another place with --out.") from e
    mark_build_output(workspace, out_dir)
    written: list[Path] = []
    for paths, problems in _run_batches(workspace, ids, out_dir, audience, large_print, today,
                                        progress):
        written += paths
        failed += problems
    if failed:
        more = f" The other {len(written)} were written to {out_dir}." if written else ""
        raise PlanError(f"{len(failed)} plan{'s' if len(failed) != 1 else ''} could not be printed: "
                        + " ".join(failed) + more)
    return sorted(written)


def _run_batches(workspace: Path, ids: list[str], out_dir: Path, audience: str, large_print: bool,
                 today: date, progress: Callable[[int, int], None] | None
                 ) -> Iterator[tuple[list[Path], list[str]]]:
    """Batches of plans on both cores (or here, for a few plans), as each batch finishes."""
    workers = min(2, os.cpu_count() or 1) if len(ids) >= PARALLEL_FROM else 1
    # Several batches per worker keep both cores busy to the end and let progress show;
    # each batch reads its plans' history in one git pass and runs pandoc once.
    size = min(PANDOC_BATCH, max(8, -(-len(ids) // (workers * 4))))
    batches = [ids[i:i + size] for i in range(0, len(ids), size)]
    done = 0
    if workers == 1:
        for batch in batches:
            result = _build_batch(workspace, batch, out_dir, audience, large_print, today)
            done += len(batch)
            if progress:
                progress(done, len(ids))
            yield result
        return
    # Not plain fork: this process may already run Typst's threads, and a forked copy
    # of a held lock would hang the child. The fork server starts clean.
    context = multiprocessing.get_context("forkserver")
    # Workers start with the heavy modules already imported (none of them starts a thread).
    context.set_forkserver_preload([__name__, "builder.paper.document", "builder.plan.validate",
                                    "builder.story.timeline", "typst"])
    left = dict(enumerate(batches))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(_build_batch, workspace, batch, out_dir, audience,
                                   large_print, today): n for n, batch in left.items()}
            for future in as_completed(futures):
                result = future.result()
                done += len(left.pop(futures[future]))
                if progress:
                    progress(done, len(ids))
                yield result
    except BrokenProcessPool:
        # A worker could not start (say, Python was fed its program on stdin, which a
        # fresh process cannot re-read). This process makes the copies still to make.
        log.warning("Could not start a second process; making the rest of the PDFs in one.")
        for batch in left.values():
            result = _build_batch(workspace, batch, out_dir, audience, large_print, today)
            done += len(batch)
            if progress:
                progress(done, len(ids))
            yield result


def pdf_name(plan_id: str, audience: str = "person", large_print: bool = False) -> str:
    """The file name of a copy: alex.pdf, alex-carer.pdf, alex-large-print.pdf."""
    parts = [plan_id] + ([audience.replace(":", "-")] if audience != "person" else []) + (
        ["large-print"] if large_print else [])
    return "-".join(parts) + ".pdf"


def refuse_inside_plans(workspace: Path, out: Path) -> None:
    """A build never writes into plans/: refuse an output there."""
    plans = (workspace / PLANS_DIR).resolve()
    target = out.resolve()
    if target == plans or target.is_relative_to(plans):
        raise UsageError(
            f"{out} is inside the {PLANS_DIR}/ folder, which holds only plans. "
            "Choose somewhere else with --out."
        )


# -- the stages --------------------------------------------------------------------------


def _build_batch(workspace: Path, ids: list[str], out_dir: Path, audience: str,
                 large_print: bool, today: date) -> tuple[list[Path], list[str]]:
    """Make the copies of some plans in this process: one git pass, few pandoc runs."""
    stories = _stories(workspace, audience, ids)
    written: list[Path] = []
    failed: list[str] = []
    for start in range(0, len(ids), PANDOC_BATCH):
        documents, jobs = [], []
        for plan_id in ids[start:start + PANDOC_BATCH]:
            out = out_dir / pdf_name(plan_id, audience, large_print)
            try:
                document, job = _prepare(workspace, plan_id, out, audience, large_print, today,
                                         stories.get(plan_id))
            except (PlanError, WorkspaceError) as e:
                failed.append(str(e))
                continue
            documents.append(document)
            jobs.append(job)
        for body, job in zip(to_typst(documents), jobs, strict=True):
            _write(job.out, typeset(body, job, today))
            written.append(job.out)
    return written, failed


def _stories(workspace: Path, audience: str, ids: list[str]) -> dict[str, Any]:
    """Each plan's story for this audience; none (with a warning) if there is no history."""
    from builder.story.timeline import read_stories

    try:
        return read_stories(workspace, audience, ids)
    except HistoryError as e:
        # A copy without its history is still worth printing; it says it is not recorded.
        log.warning("%s The PDF is made without the plan's history.", e)
        return {}


def _prepare(workspace: Path, plan_id: str, out: Path, audience: str, large_print: bool,
             today: date, story: Any) -> tuple[Any, _Job]:
    """Check the plan, take this audience's view of it, and make its pandoc document."""
    from builder.paper.document import print_copy
    from builder.plan.validate import check_plan
    from builder.story.fallback import last_valid_version
    from builder.view import marked_view, unknown_carer

    path = plan_file(workspace, plan_id)
    shown = plan_rel(workspace, plan_id)
    if not path.is_file():
        raise PlanError(f"There is no plan called '{plan_id}' in {PLANS_DIR}/."
                        f"{suggest_plan(workspace, plan_id)}")
    loaded, findings = check_plan(path, shown, today)
    errors = [f for f in findings if f.severity == "error"]
    data, notice, version = loaded.data, None, None
    if errors or not isinstance(loaded.data, dict):
        # A plan never drops out: print its last valid recorded version, saying so on the page.
        fallback = last_valid_version(workspace, plan_id, today)
        if fallback is None:
            count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
            first = f" The first is {errors[0].as_text()}" if errors else ""
            them = "it" if len(errors) == 1 else "them"
            raise PlanError(f"{shown} has {count}, so it cannot be printed.{first} "
                            f"Run 'wellplan check' to see how to fix {them}.")
        data, notice, version = fallback.data, fallback.banner(), fallback.shown
        log.warning("%s has problems, so its last valid version is printed. %s", shown, notice)
    nobody = unknown_carer(data, audience, plan_id)
    if nobody:
        raise UsageError(nobody)
    seen = marked_view(data, audience)
    copy = print_copy(seen, story, audience, today, notice, version)
    document = fit_for_print(copy.document, cannot_draw, _language(data))
    large = large_print or (audience == "person" and _wants_large_print(data))
    return document, _Job(out, copy.title, copy.footer, large)


def _language(plan: dict[str, Any]) -> Any:
    """The person's language as written in their plan (None if not given)."""
    needs = (plan.get("person") or {}).get("communication") or {}
    return needs.get("language") if isinstance(needs, dict) else None


def _wants_large_print(plan: dict[str, Any]) -> bool:
    """The person's own copy follows their 'large print' communication need."""
    needs = (plan.get("person") or {}).get("communication") or {}
    return isinstance(needs, dict) and needs.get("large_print") is True


def typeset(body: str, job: _Job, today: date) -> bytes:
    """A tagged PDF (PDF/UA-1) from pandoc's Typst body and the print template."""
    import typst

    source = f'#import "/{TEMPLATE}": review-copy\n#show: review-copy\n{body}'
    inputs = {
        "title": job.title,
        "footer": job.footer,
        "large-print": "yes" if job.large_print else "no",
    }
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    compiler = _compiler()
    try:
        pdf, warnings = compiler.compile_with_warnings(
            input=source.encode("utf-8"), format="pdf", sys_inputs=inputs,
            pdf_standards=["ua-1"], timestamp=stamp,
        )
    except typst.TypstError as e:
        if "could not be displayed" not in e.message:
            raise PdfError(f"Typst could not lay out the PDF ({e.message}).", None,
                           getattr(e, "diagnostic", "")) from e
        # PDF/UA-1 refuses text the fonts cannot draw (a script they lack). The copy is
        # still made, still tagged, with the text kept for screen readers and copying
        # and a note on the page by that text; it just cannot claim PDF/UA-1.
        log.warning("%s: some characters cannot be drawn with the print fonts (%s). They print "
                    "as empty boxes with a note next to them, and the PDF is tagged but not "
                    "marked PDF/UA-1.%s", job.out.name, _named(e), _hint())
        try:
            pdf, warnings = compiler.compile_with_warnings(
                input=source.encode("utf-8"), format="pdf", sys_inputs=inputs,
                timestamp=stamp, pdf_tags=True,
            )
        except typst.TypstError as again:
            raise PdfError(f"Typst could not lay out the PDF ({again.message}).") from again
    for warning in warnings:
        log.debug("typst: %s", getattr(warning, "message", warning))
    if not isinstance(pdf, bytes):
        raise PdfError("Typst did not return a PDF.")
    return pdf


# -- Typst, wrapped once (pandoc is wrapped in pandoc_tool) ------------------------------


@cache
def _compiler() -> Any:
    """One Typst compiler per process: it sees the theme folder, its own fonts and Noto only."""
    import typst

    return typst.Compiler(root=str(THEME), font_paths=[str(d) for d in font_dirs()],
                          ignore_system_fonts=True)


def cannot_draw(chars: set[str]) -> set[str]:
    """The characters no print font can draw, found by asking Typst to typeset them all once.

    Under PDF/UA-1 Typst refuses each piece of text it has no glyph for and names it,
    which covers its own fonts as well as Noto's.
    """
    import typst

    wanted = {c for c in chars if ord(c) >= _ALWAYS_DRAWN and not c.isspace()}
    if not wanted:
        return set()
    source = f'#import "/{TEMPLATE}": review-copy\n#show: review-copy\n#sys.inputs.at("probe")'
    try:
        _compiler().compile(input=source.encode("utf-8"), format="pdf", pdf_standards=["ua-1"],
                            sys_inputs={"title": "probe", "probe": " ".join(sorted(wanted))})
    except typst.TypstError as e:
        found = _UNDRAWN.findall(f"{e.message}\n{getattr(e, 'diagnostic', '')}")
        # Typst names a run of text, which may hold the spaces between the characters.
        return {c for quoted in found for c in _typst_string(quoted) if c in wanted}
    return set()


#: How Typst names text it cannot draw under PDF/UA-1.
_UNDRAWN = re.compile(r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed')
_ESCAPE = re.compile(r"\\(u\{([0-9a-fA-F]+)\}|.)")
#: Latin-1 and Latin Extended-A: Libertinus Serif, inside Typst, draws all of them.
_ALWAYS_DRAWN = 0x180


def _typst_string(quoted: str) -> str:
    """The text inside a Typst string literal as Typst prints it in a message."""
    simple = {"n": "\n", "t": "\t", "r": "\r"}
    return _ESCAPE.sub(lambda m: chr(int(m.group(2), 16)) if m.group(2)
                       else simple.get(m.group(1), m.group(1)), quoted)


def _named(error: Any) -> str:
    """The characters a PDF/UA-1 error names, with their code points: '𐕰 (U+10570)'."""
    found = _UNDRAWN.findall(f"{error.message}\n{getattr(error, 'diagnostic', '')}")
    chars = dict.fromkeys(c for quoted in found for c in _typst_string(quoted) if not c.isspace())
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in chars) or error.message


def _hint() -> str:
    hint = missing_fonts_hint()
    return f" {hint}" if hint else ""


def _check_audience(audience: str) -> None:
    if not is_audience(audience):
        raise UsageError(f"'{audience}' is not an audience; use one of {', '.join(AUDIENCES)}, "
                        "or carer:ID for one carer.")


def _write(out: Path, data: bytes) -> None:
    """Write a file whole or not at all: a reader never sees half a PDF."""
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, out)
    except OSError as e:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise PdfError(f"Could not write {out} ({e.strerror or e}). Choose another place "
                       "with --out.") from e
