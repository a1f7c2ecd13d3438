"""The story cache: what it serves is always what would be made afresh, for that audience.

Every test compares against stories made with the cache switched off, in real git
workspaces; a kept story is tampered with to prove when the cache is (and is not) used.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import replace
from pathlib import Path

import msgpack
import pytest

import builder.story.story_cache as story_cache
import builder.story.timeline as timeline
from builder.record.record import record_edit
from builder.story import story_codec
from builder.story.story_cache import SWITCH, StoryCache, folder_digest
from builder.story.timeline import iter_stories, read_stories
from builder.view import AUDIENCES
from tests.history_fixtures import day, edit_text, make_workspace, write_plan
from tests.story.test_history import PRIVATE_PLAN

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate  # noqa: E402


def afresh(ws: Path, audience: str, monkeypatch: pytest.MonkeyPatch, ids: list[str] | None = None):
    with monkeypatch.context() as m:
        m.setenv(SWITCH, "off")
        return read_stories(ws, audience, ids)


def not_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, making a story fails the test: everything must come from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("a story was made again instead of served from the cache")

    monkeypatch.setattr(timeline, "_story", refuse)


def tamper(ws: Path, audience: str, plan_id: str, summary: str) -> None:
    """Rewrite a kept story's first summary, keeping its keys: a marker of 'served from the cache'."""
    path = StoryCache.open(ws)._path(audience, plan_id)
    header, _, body = path.read_bytes().partition(b"\n")
    story = story_codec.loads(body)
    story.entries[0] = replace(story.entries[0], summary=summary)
    path.write_bytes(header + b"\n" + story_codec.dumps(story))


@pytest.fixture
def many(tmp_path):
    """More plans than one chunk, so that they are made on both cores and kept by the workers."""
    ws = tmp_path / "ws"
    generate.generate(ws, 60, 3, 0)
    return ws


def test_kept_stories_are_exactly_the_stories_made_afresh_for_every_audience(many, monkeypatch):
    fresh = {audience: afresh(many, audience, monkeypatch) for audience in AUDIENCES}
    first = {audience: read_stories(many, audience) for audience in AUDIENCES}  # made and kept
    assert first == fresh
    assert len(list((many / ".git" / "wellplan" / "stories").rglob("*.msgpack"))) == 60 * len(AUDIENCES)
    not_made_again(monkeypatch)
    timeline._last.clear()
    for audience in AUDIENCES:
        assert read_stories(many, audience) == fresh[audience]
        some = sorted(fresh[audience])[5:8]
        assert dict(iter_stories(many, audience, some)) == {p: fresh[audience][p] for p in some}


def test_one_new_edit_makes_only_that_plan_again_and_serves_its_new_story(many, monkeypatch):
    ids = sorted(p.stem for p in (many / "plans").glob("*.yaml"))
    read_stories(many, "team")
    tamper(many, "team", ids[1], "MARKER kept")
    generate.record_one_more_edit(many, ids[0], 0)
    made: list[str] = []
    real = timeline._story

    def counting(workspace, plan_id, *args):
        made.append(plan_id)
        return real(workspace, plan_id, *args)

    monkeypatch.setattr(timeline, "_story", counting)
    stories = read_stories(many, "team")
    assert made == [ids[0]]
    assert stories[ids[1]].entries[0].summary == "MARKER kept"  # unchanged plans come from the cache
    monkeypatch.setattr(timeline, "_story", real)
    assert stories[ids[0]] == afresh(many, "team", monkeypatch)[ids[0]]


@pytest.fixture
def private(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    write_plan(ws, "jo", PRIVATE_PLAN)
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(1))
    edit_text(ws, "jo", "CANARY talk about the voices", "CANARY talk about the voices, weekly")
    record_edit(ws, "jo", name="Priya Shah", role="key-worker", when=day(2))
    return ws


def test_a_story_kept_for_one_audience_is_never_served_to_another(private, monkeypatch):
    team = read_stories(private, "team")["jo"]
    assert "CANARY" in repr(team)
    store = StoryCache.open(private)
    for audience in ("carer", "gp"):
        # Even a team story sitting where the carer's would be is not served: its key says team.
        target = store._path(audience, "jo")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(store._path("team", "jo").read_bytes())
        served = read_stories(private, audience)["jo"]
        assert "CANARY" not in repr(served)
        assert served == afresh(private, audience, monkeypatch)["jo"]


def test_changing_who_may_see_a_part_changes_what_is_served(private, monkeypatch):
    assert "CANARY" not in repr(read_stories(private, "carer")["jo"])
    edit_text(private, "jo", "weekly\n    expressed_by: dr-hidden\n    status: active\n"
              "    visible_to: [person, team]", "weekly\n    expressed_by: dr-hidden\n"
              "    status: active\n    visible_to: [person, team, carer]")
    # Not recorded yet: the file as it is now is part of the key.
    now = read_stories(private, "carer")["jo"]
    assert now == afresh(private, "carer", monkeypatch)["jo"]
    assert "CANARY" in repr(now._current)
    record_edit(private, "jo", name="Priya Shah", role="key-worker", when=day(3))
    recorded = read_stories(private, "carer")["jo"]
    assert recorded == afresh(private, "carer", monkeypatch)["jo"]
    assert any("CANARY" in c.sentence() for e in recorded.entries for c in e.changes)


def test_a_plan_text_edited_but_not_recorded_changes_what_is_served(private, monkeypatch):
    before = read_stories(private, "team")["jo"]
    edit_text(private, "jo", "CANARY talk about the voices, weekly", "CANARY talk about the voices, daily")
    after = read_stories(private, "team")["jo"]
    assert after != before
    assert after == afresh(private, "team", monkeypatch)["jo"]
    assert any("daily" in c.sentence() for c in after.since_last_review)


def test_another_version_of_the_program_is_never_served_an_old_story(private, monkeypatch):
    fresh = afresh(private, "team", monkeypatch)["jo"]
    read_stories(private, "team")
    tamper(private, "team", "jo", "MARKER kept")
    assert read_stories(private, "team")["jo"].entries[0].summary == "MARKER kept"  # the cache is used
    monkeypatch.setattr(story_cache, "code_version", lambda: "another version of the program")
    assert read_stories(private, "team")["jo"] == fresh


def test_the_program_version_follows_every_source_file(tmp_path):
    (tmp_path / "story").mkdir()
    source = tmp_path / "story" / "describe.py"
    source.write_text("WORDS = 'Started this plan.'\n")
    before = folder_digest(tmp_path)
    source.write_text("WORDS = 'Began this plan.'\n")
    changed = folder_digest(tmp_path)
    (tmp_path / "story" / "new.py").write_text("")
    assert len({before, changed, folder_digest(tmp_path)}) == 3


def test_a_damaged_cache_file_is_made_again_and_switching_off_writes_nothing(private, monkeypatch):
    fresh = afresh(private, "team", monkeypatch)["jo"]
    assert not (private / ".git" / "wellplan" / "stories").exists()  # switched off: nothing kept
    read_stories(private, "team")
    path = StoryCache.open(private)._path("team", "jo")
    header = path.read_bytes().partition(b"\n")[0]
    path.write_bytes(header + b"\nnot a story")
    assert read_stories(private, "team")["jo"] == fresh


class _Boom:
    def __reduce__(self):
        return (Path("/").joinpath, ("ran-code",))  # what a hostile pickle would ask for


def test_a_kept_story_is_data_and_a_file_that_asks_to_run_code_is_only_a_miss(private, monkeypatch):
    """A CI cache restored from another branch decides what these files hold: reading one
    must never run code. A pickle that would call something, and a file naming a class that
    is no part of a story, are misses; the story is made again and is the same."""
    fresh = afresh(private, "team", monkeypatch)["jo"]
    read_stories(private, "team")
    path = StoryCache.open(private)._path("team", "jo")
    header, _, body = path.read_bytes().partition(b"\n")
    kept = msgpack.unpackb(body, strict_map_key=False)  # plain MessagePack, readable by anything
    assert isinstance(kept, msgpack.ExtType)
    foreign = msgpack.packb(msgpack.ExtType(4, msgpack.packb(["PosixPath", ["/"]])))
    short = msgpack.packb(msgpack.ExtType(4, msgpack.packb(["PlanStory", ["jo"]])))
    for hostile in (pickle.dumps(_Boom()), foreign, short, b"\xc1", b""):
        path.write_bytes(header + b"\n" + hostile)
        timeline._last.clear()
        assert read_stories(private, "team")["jo"] == fresh


def test_the_codec_keeps_every_kind_of_value_a_plan_holds():
    from datetime import UTC, date, datetime

    from builder.story.diff import Change
    from builder.story.history import Revision

    revision = Revision("c" * 40, datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "Jo", "person", False, None,
                        "plans/jo.yaml", "s", None, "a note", ("team", "carer"), True)
    value = {"text": "ٹھیک", "n": 1, "x": 1.5, "day": date(2026, 2, 3), "none": None, "yes": True,
             1: "an int key", "list": [True, (1, 2)], "inf": float("inf"),
             "change": Change("changed", "goals[id=a].what", "What", "a", "b", "Jo", "person",
                              datetime(2026, 1, 2, tzinfo=UTC), "c" * 40),
             "revision": revision}
    back = story_codec.loads(story_codec.dumps(value))
    assert back == value and isinstance(back["list"][1], tuple) and hash(back["revision"]) == hash(revision)


def test_many_stories_are_made_by_the_workers_not_here(many, monkeypatch):
    """The workers are started afresh and sent one chunk each; had they failed, this
    process would make the stories itself, so here it must make none."""
    made_here: list[str] = []
    make = timeline._Plan.make

    def counted(self, ids):
        made_here.extend(ids)
        return make(self, ids)

    monkeypatch.setattr(timeline._Plan, "make", counted)
    stories = read_stories(many, "gp")
    assert len(stories) == 60 and made_here == []


def test_a_script_without_a_main_guard_runs_once(many, tmp_path):
    """The workers must not run the caller's script again (as started-afresh workers do):
    a second run would start another build in the same place."""
    import subprocess

    script = tmp_path / "stories.py"
    script.write_text("import sys\nfrom pathlib import Path\n"
                      "from builder.story.timeline import read_stories\n"
                      "print('made', len(read_stories(Path(sys.argv[1]), 'team')))\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script), str(many)], capture_output=True, text=True,
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["made 60"]
