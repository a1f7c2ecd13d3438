"""The editing server's pages (Flask): read the plan, show a page, save the answers as a recorded change."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, abort, redirect, render_template, request
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from builder.editor import pages
from builder.editor.answers import Field, read_answers
from builder.editor.patch import Edit, key_order
from builder.editor.questions import Place, find_place, plan_questions
from builder.editor.save import Conflicted, Editor, Invalid, NothingChanged, recorded, save
from builder.editor.security import HEADERS, Gate
from builder.errors import WellplanError
from builder.plan.ids import all_ids, unused_id
from builder.plan.labels import words
from builder.plan.load import load_plan_bytes
from builder.story.history import git
from builder.view import audience_kind, view_plan
from builder.workspace import EDITOR_STATIC_DIR, EDITOR_TEMPLATES_DIR

#: The only files served besides pages, read once: nothing in a URL names a file to read.
ASSETS = {
    "nhsuk.css": ("nhsuk-frontend-10.6.1.min.css", "text/css"),
    "editor.css": ("editor.css", "text/css"),
    "images/favicon.ico": ("images/favicon.ico", "image/x-icon"),
    **{f"images/{n}": (f"images/{n}", "image/svg+xml") for n in (
        "nhsuk-icon-arrow-down.svg", "nhsuk-icon-arrow-up-down.svg", "nhsuk-icon-arrow-up.svg",
        "nhsuk-icon-cross.svg")},
}
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


def make_app(editor: Editor, gate: Gate) -> Flask:
    """The Flask application for one plan, one editor and one session."""
    app = Flask(__name__, static_folder=None, template_folder=None)
    # NHS.UK frontend's macros read optional parameters that may be absent, as Nunjucks allows.
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined}
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.jinja_loader = ChoiceLoader([FileSystemLoader(EDITOR_TEMPLATES_DIR),
                                     PackageLoader("nhsuk_frontend_jinja", "templates")])
    app.jinja_env.autoescape = True
    assets = {name: ((EDITOR_STATIC_DIR / file).read_bytes(), kind) for name, (file, kind) in ASSETS.items()}

    @app.before_request
    def gatekeeper() -> Any:
        if not gate.host_ok(request.headers.get("Host")):
            return _refuse("This editor only answers to the address it printed (127.0.0.1).")
        if request.path.startswith("/assets/") or request.path == "/start":
            return None
        if not gate.cookie_ok(request.cookies.get(gate.cookie)):
            return _refuse("Open the editor with the link wellplan printed when it started.")
        if request.method == "POST" and not gate.post_ok(request.headers.get("Origin"),
                                                         request.form.get("csrf")):
            return _refuse("This form did not come from the editor's own page, so it was not saved.")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        if request.path.startswith("/assets/") and response.status_code == 200:
            response.headers["Cache-Control"] = "private, max-age=3600"  # the same files all session
        return response

    def _refuse(message: str) -> Response:
        page = render_template("message.html", page_title="Not allowed", message=message,
                               plan_name=editor.plan_id, who=_who(editor), errors=[], back="")
        return Response(page, status=403)

    @app.get("/assets/<path:name>")
    def asset(name: str) -> Response:
        if name not in assets:
            abort(404)
        body, kind = assets[name]
        return Response(body, mimetype=kind)

    @app.get("/start")
    def start() -> Response:
        if not gate.take_token(request.args.get("token")):
            if gate.cookie_ok(request.cookies.get(gate.cookie)):
                return redirect("/", code=303)
            return _refuse("This link has been used already. Stop wellplan and start the editor again "
                           "for a new link.")
        response = redirect("/", code=303)
        response.set_cookie(gate.cookie, gate.session, httponly=True, samesite="Strict", path="/")
        return response

    def state() -> tuple[str, dict[str, Any], dict[str, Any]]:
        blob, current = recorded(editor)
        data = load_plan_bytes(current, editor.rel).data
        if not isinstance(data, dict):
            raise WellplanError(f"{editor.rel} cannot be read as a plan. Run 'wellplan check' to see why.")
        return blob, data, view_plan(data, editor.audience)

    def render(template: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("errors", [])
        context.setdefault("back", "")
        context.setdefault("notice", _notice())
        return Response(render_template(template, csrf=gate.csrf, who=_who(editor),
                                        plan_name=context.pop("plan_name", editor.plan_id), **context),
                        status=status)

    def _notice() -> str:
        commit = request.args.get("saved", "")
        if not COMMIT.match(commit):
            return ""
        try:
            subject = git(editor.workspace, "log", "-1", "--format=%s", commit).decode("utf-8", "replace")
        except WellplanError:
            return ""
        return f"Recorded as {_who(editor)}: {subject.strip()}"

    @app.errorhandler(WellplanError)
    def problem(error: WellplanError) -> Response:
        return render("message.html", status=409, page_title="The plan cannot be edited just now",
                      message=str(error), back="/")

    @app.errorhandler(404)
    def not_found(_: Exception) -> Response:
        return render("message.html", status=404, page_title="Page not found", back="/",
                      message="There is no part of this plan at that address that you can open. "
                      "Go back to the plan to choose a part.")

    @app.get("/")
    def tasks() -> Response:
        _, data, viewed = state()
        return render("tasks.html", page_title="Your plan", plan_name=_plan_name(viewed),
                      rows=pages.task_list(viewed, data, _adds(editor), audience_kind(editor.audience),
                                           _plan_name(viewed)), notice_ok=True)

    def place_of(where: str, data: dict[str, Any], viewed: dict[str, Any]) -> Place:
        steps = tuple(where.strip("/").split("/"))
        if not all(pages.STEP.match(s) for s in steps):
            abort(404)
        place = find_place(steps)
        if place is None or not pages.may_open(place, viewed, data, _adds(editor)):
            abort(404)
        return place

    @app.route("/part/<path:where>", methods=["GET", "POST"])
    def part(where: str) -> Response:
        blob, data, viewed = state()
        place = place_of(where, data, viewed)
        page = pages.part_page(place, viewed, data, audience_kind(editor.audience), _plan_name(viewed))
        is_list = place.question.kind == "list" and not place.is_item
        if is_list:
            return render("list.html", page=page, base=blob, back=page.back, page_title=page.title,
                          notice_ok=True, plan_name=_plan_name(viewed))
        # One question a page (?q=its key); without one, the part's answers, each with Change.
        asked = pages.one_question(page, request.args.get("q", ""), place) if "q" in request.args else page
        if asked is None:
            abort(404)
        if request.method == "GET":
            shown = asked if "q" in request.args else pages.summary_page(page, place, viewed)
            remove = pages.url("remove", place.steps) if place.is_item and shown is not asked else ""
            return render("part.html", page=shown, base=blob, back=shown.back, page_title=shown.title,
                          notice_ok=True, plan_name=_plan_name(viewed), remove=remove)
        values = read_answers(page.fields, request.form)
        edit = Edit(place.steps, "set", values, key_order(place.question))
        return submit(asked, edit, "part.html", values, place, viewed, after=pages.url("part", place.steps))

    @app.route("/add/<path:where>", methods=["GET", "POST"])
    def add(where: str) -> Response:
        blob, data, viewed = state()
        place = place_of(where, data, viewed)
        if place.question.kind != "list" or place.is_item:
            abort(404)
        page = pages.new_item_page(place, viewed)
        if request.method == "GET":
            return render("part.html", page=page, base=blob, back=page.back, page_title=page.title,
                          plan_name=_plan_name(viewed), save_label="Add and record")
        values = read_answers(page.fields, request.form)
        words = [values[f.key] for f in page.fields if f.kind in ("text", "line") and values.get(f.key)]
        item = {"id": _new_id(place, words, data), **{k: v for k, v in values.items() if v is not None}}
        edit = Edit(place.steps, "add", item, key_order(place.question))
        return submit(page, edit, "part.html", values, place, viewed, save_label="Add and record",
                      after=pages.url("part", place.steps))

    @app.route("/remove/<path:where>", methods=["GET", "POST"])
    def remove(where: str) -> Response:
        blob, data, viewed = state()
        place = place_of(where, data, viewed)
        if not place.is_item:
            abort(404)
        page = pages.remove_page(place, viewed)
        if request.method == "GET":
            return render("remove.html", page=page, base=blob, back=page.back, page_title=page.title,
                          plan_name=_plan_name(viewed))
        return submit(page, Edit(place.steps, "remove", {}), "remove.html", {"remove": True}, place,
                      viewed, after=page.back)

    def submit(page: pages.Page, edit: Edit, template: str, values: dict[str, Any], place: Place,
               viewed: dict[str, Any], after: str = "", **extra: Any) -> Response:
        """Save the answers, or show the page again saying what to fix (nothing written)."""
        again = {"page": page, "base": request.form.get("base", ""), "back": page.back,
                 "page_title": page.title, "plan_name": _plan_name(viewed), **extra}
        errors = [(f.error, f"#{f.html_id}") for f in page.fields if f.error]
        if errors:
            return render(template, status=400, errors=errors, nothing_written=True, **again)
        after = after or page.back
        if not values:
            return redirect(after, code=303)
        try:
            commit = save(editor, edit, request.form.get("base", ""))
        except NothingChanged:
            return redirect(after, code=303)
        except Invalid as e:
            return render(template, status=400, errors=_findings(e, page.fields), nothing_written=True,
                          **again)
        except Conflicted as e:
            return render("conflict.html", status=409, other=e.other, page_title="Both changed",
                          conflicts=[_both(c) for c in e.conflicts], again=request.path,
                          plan_name=_plan_name(viewed), back=page.back)
        except WellplanError as e:
            return render(template, status=409, errors=[(str(e), "")], nothing_written=True, **again)
        return redirect(f"{after}?saved={commit[:12]}", code=303)

    return app


def _findings(error: Invalid, fields: list[Field]) -> list[tuple[str, str]]:
    """The plan's problems, each linked to its field on this page when it has one."""
    by_key = {f.key: f for f in fields}
    found = []
    for finding in error.findings[:10]:
        key = re.split(r"[.\]]", finding.path)[-1] if finding.path else ""
        f = by_key.get(key)
        message = f"{finding.message} {finding.hint}".strip()
        if f is not None and not f.error:
            f.error = message
        found.append((message, f"#{f.html_id}" if f is not None else ""))
    return found


def _both(conflict: Any) -> dict[str, str]:
    def shown(value: Any) -> str:
        text = str(value)
        return "(removed)" if text == "MISSING" else text
    return {"where": _where(conflict.path), "ours": shown(conflict.ours), "theirs": shown(conflict.theirs)}


def _where(path: tuple[Any, ...]) -> str:
    """'About me: What a good day looks like', from the schema's titles along a merge's path."""
    q, names = plan_questions(), []
    for step in path:
        if isinstance(step, tuple):
            names.append(f"“{step[1]}”")
            continue
        child = q.child(step) if q else None
        names.append(child.title if child else words(step))
        q = child
    return ": ".join(names) or "The plan"


def _new_id(place: Place, words: list[str], data: dict[str, Any]) -> str:
    """An id for a new item from its first words (ASCII letters and digits), never one in use."""
    text = words[0] if words else ""
    slug = "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:40].strip("-")
    if not slug or not slug[0].isalnum():
        slug = "-".join(re.findall(r"[a-z0-9]+", place.question.item_title.lower())) or "item"
    return unused_id(slug, all_ids(data))


def _adds(editor: Editor) -> bool:
    """The person and the team may start parts the plan does not have yet."""
    return audience_kind(editor.audience) in ("person", "team")


def _who(editor: Editor) -> str:
    return f"{editor.name} ({words(editor.role)})"


def _plan_name(viewed: dict[str, Any]) -> str:
    person = viewed.get("person") if isinstance(viewed.get("person"), dict) else {}
    return str(person.get("preferred_name") or person.get("name") or "This")
