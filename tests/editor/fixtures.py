"""A workspace holding one recorded example plan, and the editor's app opened on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.editor.app import make_app
from builder.editor.people import audience_for
from builder.editor.save import Editor, recorded
from builder.editor.security import Gate
from builder.plan.load import load_plan_bytes
from tests.history_fixtures import day, make_workspace, raw_commit

ROOT = Path(__file__).resolve().parents[2]
PLAN = "dan-okafor"


def plan_workspace(root: Path) -> Path:
    """A git workspace with plans/dan-okafor.yaml recorded once, by Priya (care coordinator)."""
    workspace = make_workspace(root)
    (workspace / "plans" / f"{PLAN}.yaml").write_bytes((ROOT / "plans" / f"{PLAN}.yaml").read_bytes())
    raw_commit(workspace, "The plan as it was", day(1), "Priya Sharma", "care-coordinator",
               f"plans/{PLAN}.yaml")
    return workspace


def editor_for(workspace: Path, name: str, role: str, plan_id: str = PLAN) -> Editor:
    data = load_plan_bytes((workspace / "plans" / f"{plan_id}.yaml").read_bytes(), plan_id).data
    return Editor(workspace, plan_id, name, role, audience_for(data, name, role))


class Client:
    """Flask's test client for one editor, signed in, posting as the editor's own pages do."""

    def __init__(self, workspace: Path, name: str, role: str, plan_id: str = PLAN) -> None:
        self.gate = Gate(port=8000)
        self.editor = editor_for(workspace, name, role, plan_id)
        self.app = make_app(self.editor, self.gate)
        self.http = self.app.test_client()
        self.http.set_cookie(self.gate.cookie, self.gate.session, domain="127.0.0.1")
        self.headers = {"Host": "127.0.0.1:8000"}

    def get(self, path: str) -> Any:
        return self.http.get(path, headers=self.headers)

    def post(self, path: str, data: dict[str, Any], base: str | None = None) -> Any:
        if base is None:  # the recorded version, as every page of the editor names it now
            base = recorded(self.editor)[0]
        asked = sorted({k[2:].split("[")[0] for k in data if k.startswith("f-")})
        form = {"csrf": self.gate.csrf, "base": base, "asked": asked, **data}
        return self.http.post(path, data=form, headers={**self.headers, "Origin": self.gate.origin})

    def crawl(self, skip: tuple[str, ...] = ("/assets/",)) -> dict[str, str]:
        """Every page reachable from the task list by its links, but those starting with skip."""
        import re

        pages: dict[str, str] = {}
        queue = ["/"]
        while queue:
            path = queue.pop()
            if path in pages:
                continue
            response = self.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            pages[path] = response.get_data(as_text=True)
            queue += [h.split("?")[0] for h in re.findall(r'href="(/[^"]*)"', pages[path])
                      if not h.startswith(skip)]
        return pages
