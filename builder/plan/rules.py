"""Rules a schema cannot say: check digits, unique ids, references, dates that make sense."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from builder.plan.due import Obligation, obligations
from builder.plan.findings import Finding, display_path
from builder.plan.load import LoadedPlan, PathKey
from builder.plan.schema import PERSON_FIELDS, PERSON_LIST_FIELDS

ME = "me"
#: Audiences that consent may name instead of a person.
AUDIENCE_WORDS = frozenset({"carer", "gp", "team"})
#: Lists whose items' ids must be unique across the whole plan.
TOP_LEVEL_LISTS = (
    "care_team",
    "goals",
    "actions",
    "health_checks",
    "medications",
    "requests",
    "carers",
    "appointments",
    "consent",
    "reviews",
)
#: How far away the next review may be, at most.
MAX_REVIEW_GAP_DAYS = 366


#: A rule: it reads a plan and calls ``add(path, message, hint, severity)`` for each problem.
Rule = Callable[[dict[str, Any], Callable[..., None]], None]


def named_rules(today: date) -> list[tuple[str, Rule]]:
    """Every rule, with the words that name it if it cannot run."""
    return [
        ("the NHS number check", _nhs_number),
        ("the check that ids are not used twice", _unique_ids),
        ("the check that every person and goal named is in the plan", _references),
        ("the check that linked medicines, checks, signs and results exist", _links),
        ("the check that people named in sharing are in the care team", _named_sharing),
        ("the key worker check", _key_worker),
        ("the date checks", lambda plan, add: _dates(plan, today, add)),
        ("the due dates and the monitoring rules", lambda plan, add: _due(plan, today, add)),
    ]


def rule_findings(loaded: LoadedPlan, today: date, shape_checked: bool = True) -> list[Finding]:
    """Every rule's findings for a plan; ``shape_checked`` says the schema found nothing wrong.

    A rule that fails on a plan the schema allows is a fault in wellplan: it is reported
    as a finding, never hidden, and the other rules still run. On a plan the schema has
    already found wrong, a rule may trip over the wrong shape; the schema's findings say
    what to fix, so that failure is not reported twice.
    """
    plan = loaded.data
    out: list[Finding] = []

    def add(path: PathKey, message: str, hint: str = "", severity: str = "error",
            due: dict[str, Any] | None = None) -> None:
        line, column = loaded.positions.of_value(path)
        out.append(
            Finding(loaded.file, line, column, display_path(plan, path), message, hint, severity,
                    **(due or {}))
        )  # type: ignore[arg-type]

    for name, rule in named_rules(today):
        try:
            rule(plan, add)
        except Exception as e:  # noqa: BLE001 - any fault in a rule is reported, not raised
            if shape_checked:
                out.append(could_not_run(loaded.file, name, e))
    return out


def could_not_run(file: str, name: str, error: Exception) -> Finding:
    """The finding for a rule that failed: said plainly, as a fault of ours, never hidden."""
    return Finding(
        file,
        1,
        1,
        "",
        f"A check could not run: {name} failed ({type(error).__name__}: {error}).",
        "This is a fault in wellplan, not in the plan; the other checks still ran. Please tell "
        "whoever looks after wellplan, with this message (not the plan: it holds health information).",
        "warning",
    )


def nhs_number_is_valid(number: str) -> bool:
    """The NHS number's Modulus 11 check digit."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def _nhs_number(plan: dict[str, Any], add) -> None:  # noqa: ANN001
    number = plan.get("person", {}).get("nhs_number")
    # A number without ten digits is already reported by the schema; one error is enough.
    ten_digits = isinstance(number, str) and sum(c.isdigit() for c in number) == 10
    if ten_digits and not nhs_number_is_valid(number):
        add(
            ("person", "nhs_number"),
            f'"{number}" is not a valid NHS number: its last digit does not match the others.',
            "Check each digit against the person's NHS card or letter.",
        )


def _unique_ids(plan: dict[str, Any], add) -> None:  # noqa: ANN001
    seen: dict[str, PathKey] = {}
    for section in TOP_LEVEL_LISTS:
        for index, item in enumerate(plan.get(section) or []):
            ident = item.get("id")
            if ident in seen:
                add(
                    (section, index, "id"),
                    f"The id '{ident}' is already used elsewhere in this plan.",
                    "Give this item an id of its own; ids are never shared or reused.",
                )
            else:
                seen[ident] = (section, index)
    for path, items in _nested_lists(plan, ()):
        local: set[str] = set()
        for index, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if ident is None:
                continue
            if ident in local:
                add(
                    (*path, index, "id"),
                    f"The id '{ident}' is used twice in this list.",
                    "Give this item an id of its own; ids are never shared or reused.",
                )
            local.add(ident)


def _nested_lists(node: Any, path: PathKey) -> Iterator[tuple[PathKey, list[Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _nested_lists(value, (*path, key))
    elif isinstance(node, list):
        if len(path) > 1 and node and isinstance(node[0], dict):
            yield path, node
        for index, item in enumerate(node):
            yield from _nested_lists(item, (*path, index))


def _references(plan: dict[str, Any], add) -> None:  # noqa: ANN001
    team = {m.get("id") for m in plan.get("care_team") or []}
    goals = {g.get("id") for g in plan.get("goals") or []}
    for index, member in enumerate(plan.get("care_team") or []):
        if member.get("id") == ME:
            add(
                ("care_team", index, "id"),
                "'me' is kept for the person this plan is about.",
                "Give this care-team member another id, such as their first name.",
            )
    known = ", ".join(sorted(t for t in team if t)) or "none yet"
    for path, value in _person_refs(plan, ()):
        if value != ME and value not in team:
            add(
                path,
                f"'{value}' is not anyone in the care team.",
                f"Use 'me' for the person, or one of the care team's ids: {known}.",
            )
    for index, action in enumerate(plan.get("actions") or []):
        goal = action.get("goal")
        if goal is not None and goal not in goals:
            listed = ", ".join(sorted(g for g in goals if g)) or "none yet"
            add(
                ("actions", index, "goal"),
                f"There is no goal with the id '{goal}'.",
                f"Use the id of one of the plan's goals: {listed}.",
            )


def _links(plan: dict[str, Any], add) -> None:  # noqa: ANN001
    """Ids that point at other items: medicines, checks, warning signs, results."""
    meds = _ids(plan.get("medications"))
    checks = _ids(plan.get("health_checks"))
    crisis = plan.get("crisis") if isinstance(plan.get("crisis"), dict) else {}
    signs, helps = _ids(crisis.get("early_warning_signs")), _ids(crisis.get("what_helps"))

    def need(path: PathKey, value: Any, known: set[str], what: str) -> None:
        if isinstance(value, str) and value not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            add(path, f"There is no {what} with the id '{value}'.", f"Use one of these ids: {listed}.")

    for i, med in enumerate(plan.get("medications") or []):
        for j, ref in enumerate(med.get("monitoring_checks") or []):
            need(("medications", i, "monitoring_checks", j), ref, checks, "health check")
        need(("medications", i, "replaced_by"), med.get("replaced_by"), meds, "medicine")
        started, stopped = _day(med.get("started")), _day(med.get("stopped"))
        if started and stopped and stopped < started:
            add(("medications", i, "stopped"), f"This medicine stopped ({stopped}) before it started "
                f"({started}).", "Check the two dates.")
    for i, check in enumerate(plan.get("health_checks") or []):
        for j, ref in enumerate(check.get("for_medicines") or []):
            need(("health_checks", i, "for_medicines", j), ref, meds, "medicine")
        results = _ids(check.get("results"))
        for j, offer in enumerate(check.get("offers") or []):
            need(("health_checks", i, "offers", j, "result"), offer.get("result"), results,
                 "result of this check")
    for i, sign in enumerate(crisis.get("physical_warning_signs") or []):
        need(("crisis", "physical_warning_signs", i, "medicine"), sign.get("medicine"), meds, "medicine")
    for i, stage in enumerate(crisis.get("relapse_signature") or []):
        for j, ref in enumerate(stage.get("signs") or []):
            need(("crisis", "relapse_signature", i, "signs", j), ref, signs, "early warning sign")
        for j, ref in enumerate(stage.get("helps") or []):
            need(("crisis", "relapse_signature", i, "helps", j), ref, helps, "thing that helps")


def _due(plan: dict[str, Any], today: date, add) -> None:  # noqa: ANN001
    """Warnings (never errors) for what is overdue, never done or missing, read from the one
    model of what is due (``plan/due.py``), so ``check`` says what every page says."""
    for ob in obligations(plan, today):
        if ob.pressing:
            path, hint = _where(plan, ob)
            add(path, ob.sentence(today, "team"), hint, "warning",
                {"obligation": ob.key, "due": ob.due.isoformat() if ob.due else None, "state": ob.state})


def _where(plan: dict[str, Any], ob: Obligation) -> tuple[PathKey, str]:
    """Where in the file an obligation is best fixed, and how."""
    def index(part: str, ident: str | None) -> int | None:
        ids = [item.get("id") if isinstance(item, dict) else None for item in plan.get(part) or []]
        return ids.index(ident) if ident in ids else None

    if ob.kind == "review":
        return (("reviews", len(plan["reviews"]) - 1, "next_review_due"),
                "Arrange a review with the person and record it with 'wellplan review'.")
    if ob.kind == "action" and (i := index("actions", ob.key.split(":", 1)[1])) is not None:
        return ("actions", i, "due"), "Do it, or agree a new date and record it."
    if ob.check_ids and (i := index("health_checks", ob.check_ids[0])) is not None:
        field = ("next_due",) if plan["health_checks"][i].get("next_due") else ()
        # Booked already: what is left is the result (never "book it" beside "booked for …").
        todo = "When it is done, add the result to the plan." if ob.booking else \
            "Book it, then add the result to the plan."
        return ("health_checks", i, *field), todo
    if ob.kind == "request" and (i := index("requests", ob.request_ids[0])) is not None:
        return ("requests", i, "due_by"), "Chase it with whoever was asked, then record what happened."
    needed_for = next((r.needed_for for r in ob.reasons if r.needed_for), None)
    meds = [m.get("name") if isinstance(m, dict) else None for m in plan.get("medications") or []]
    path: PathKey = ("medications", meds.index(needed_for)) if needed_for in meds else ("health_checks",)
    kind = ob.kinds[0] if ob.kinds else "other"
    return path, (f"Add a health check of kind {kind} with its results, or ask the prescriber "
                  "whether it is needed.")


def _named_sharing(plan: dict[str, Any], add) -> None:  # noqa: ANN001
    """People named in visible_to must be in the care team; a sharing setting of its own, a carer."""
    members = {m.get("id"): m for m in plan.get("care_team") or [] if isinstance(m, dict)}
    carers = sorted(i for i, m in members.items() if m.get("role") == "carer")
    for path, names in _visible_lists(plan, ()):
        for index, name in enumerate(names):
            if isinstance(name, str) and name not in AUDIENCE_WORDS | {"person", ME} and name not in members:
                add((*path, index), f"'{name}' is neither an audience nor anyone in the care team.",
                    "Use person, carer, gp or team, or the care-team id of someone who may see this.")
    sharing = plan.get("sharing") if isinstance(plan.get("sharing"), dict) else {}
    for key in sharing:
        if key not in ("carer", "gp") and key not in carers:
            listed = ", ".join(carers) or "none yet"
            add(("sharing", key), f"'{key}' is not a carer in the care team, so it cannot have sharing "
                "settings of its own.", f"Use carer, gp, or a carer's care-team id: {listed}.")


def _visible_lists(node: Any, path: PathKey) -> Iterator[tuple[PathKey, list[Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "visible_to" and isinstance(value, list):
                yield (*path, key), value
            else:
                yield from _visible_lists(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _visible_lists(item, (*path, index))


def _ids(items: Any) -> set[str]:
    if not isinstance(items, list):
        return set()
    return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def _person_refs(node: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            child = (*path, key)
            if key in PERSON_FIELDS and isinstance(value, str) and path[:1] != ("care_team",):
                yield child, value
            elif key in PERSON_LIST_FIELDS and isinstance(value, list):
                for i, who in enumerate(value):
                    if isinstance(who, str) and not (key == "shared_with" and who in AUDIENCE_WORDS):
                        yield (*child, i), who
            else:
                yield from _person_refs(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _person_refs(item, (*path, index))


def _key_worker(plan: dict[str, Any], add) -> None:  # noqa: ANN001
    named = [i for i, m in enumerate(plan.get("care_team") or []) if m.get("key_worker")]
    if len(named) > 1:
        add(
            ("care_team", named[1], "key_worker"),
            "More than one person is marked as the named key worker.",
            "Keep 'key_worker: yes' on one person only.",
        )
    elif not named:
        add(
            ("care_team",),
            "Nobody in the care team is marked as the named key worker.",
            "Add 'key_worker: yes' to the person who coordinates this plan.",
            "warning",
        )


#: Dates that record something that has happened, so cannot be in the future.
PAST_DATES = {"date", "started", "asked_on", "done_on", "since", "date_of_birth", "stopped",
              "made_on", "given_on", "offered_on", "withdrawn_on"}


def _dates(plan: dict[str, Any], today: date, add) -> None:  # noqa: ANN001
    for path, value in _dated(plan, ()):
        when = _day(value)
        if when and path[-1] in PAST_DATES and when > today and path[0] != "appointments":
            add(
                path,
                f"{value} is in the future, but this records something that has already happened.",
                "Check the year and month; plan future dates as due dates instead.",
            )
    reviews = plan.get("reviews") or []
    for index, review in enumerate(reviews):
        held, due = _day(review.get("date")), _day(review.get("next_review_due"))
        if held and due and due <= held:
            add(
                ("reviews", index, "next_review_due"),
                f"The next review ({due}) is not after this review ({held}).",
                "Set the next review 3 to 6 months after this one.",
            )
        elif held and due and (due - held).days > MAX_REVIEW_GAP_DAYS:
            add(
                ("reviews", index, "next_review_due"),
                f"The next review is more than 12 months after this one ({held} → {due}).",
                "Plans should be reviewed at least once a year; people asked for every 3 to 6 months.",
                "warning",
            )
    for index, request in enumerate(plan.get("requests") or []):
        asked, done = _day(request.get("asked_on")), _day(request.get("done_on"))
        if asked and done and done < asked:
            add(
                ("requests", index, "done_on"),
                f"This was done ({done}) before it was asked for ({asked}).",
                "Check the two dates.",
            )


def _dated(node: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key in PAST_DATES:
                yield (*path, key), value
            else:
                yield from _dated(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _dated(item, (*path, index))


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
