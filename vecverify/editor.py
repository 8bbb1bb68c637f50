"""Editor integration files: the VS Code tasks `vecverify init vscode` writes.

The tasks run `vecverify verify` in a terminal; their problem matchers turn its gcc-style lines
(`file:line:col: severity: [tag] ...`, see `reports/render.py`) into entries of the Problems
panel, with the check kind as the problem's code:

- `error: [kind] message (in f)`: a violated check (an error);
- `warning: [unknown] kind: message; reason (in f)` and `error: [disagreement] kind: ...`:
  a check that is not proved, with the reason (a warning; a solver disagreement an error);
- `warning: [unsupported] construct (in f)`: a function that was not verified (code
  `unsupported`).

The regular expressions use only syntax that JavaScript (VS Code) and Python (the tests)
read alike.
"""
from __future__ import annotations

import json
import os
from typing import Any

_WHERE = r"^(.+?):(\d+):(\d+): "
_LOCATION = ["autoDetect", "${workspaceFolder}"]


def problem_matchers() -> list[dict[str, Any]]:
    def matcher(regexp: str, code: int, message: int) -> dict[str, Any]:
        return {"owner": "vecverify", "source": "vecverify", "fileLocation": _LOCATION,
                "pattern": {"regexp": regexp, "file": 1, "line": 2, "column": 3,
                            "severity": 4, "code": code, "message": message}}

    return [
        matcher(_WHERE + r"(error): \[(?!disagreement\])([a-z-]+)\] (.*)$", 5, 6),
        matcher(_WHERE + r"(warning|error): \[(?:unknown|disagreement)\] ([a-z-]+): (.*)$",
                5, 6),
        matcher(_WHERE + r"(warning): \[(unsupported)\] (.*)$", 5, 6),
    ]


def vscode_tasks() -> dict[str, Any]:
    def task(label: str, target: str, detail: str) -> dict[str, Any]:
        return {"label": label, "type": "shell", "command": "vecverify",
                "args": ["verify", target], "detail": detail, "group": "test",
                "presentation": {"reveal": "always", "panel": "dedicated", "clear": True},
                "problemMatcher": problem_matchers()}

    return {"version": "2.0.0", "tasks": [
        task("vecverify: verify file", "${file}",
             "Verify the open .vec or .sol file; problems go to the Problems panel."),
        task("vecverify: verify workspace", "${workspaceFolder}",
             "Verify every .vec and .sol file of the workspace."),
    ]}


def write_vscode_tasks(directory: str, force: bool = False) -> str:
    """Write DIRECTORY/.vscode/tasks.json; an existing file is kept unless `force`.
    Returns the path written."""
    from vecverify.errors import InputError
    path = os.path.join(directory, ".vscode", "tasks.json")
    if os.path.exists(path) and not force:
        raise InputError(None, f"{path} exists; add the tasks by hand (see `vecverify init "
                         "vscode --print`) or pass --force to replace it", "usage.file")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(vscode_tasks(), indent=2) + "\n")
    return path
