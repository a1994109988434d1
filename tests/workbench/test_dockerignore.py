"""The Docker build context never carries secrets or local state.

Docker reads ``.dockerignore`` line by line: patterns are relative to the context root
(``*`` and ``?`` stay within one path segment, ``**`` spans any number), a path is left out
when it or a folder above it matches, ``!`` puts a path back, and the last matching line
wins. This test applies those rules to a tree holding everything a checkout can hold, and
to the real checkout.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _rules() -> list[tuple[bool, re.Pattern]]:
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            elif pattern[i] == "[":
                end = pattern.index("]", i)
                regex += pattern[i:end + 1]
                i = end + 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        rules.append((keep, re.compile(regex + r"\Z")))
    return rules


def in_context(path: str, rules=None) -> bool:
    """Whether Docker sends ``path`` (relative, with /) in the build context."""
    rules = rules or _rules()
    parts = path.split("/")
    included = True
    for keep, regex in rules:
        # A line matches the path itself or any folder above it.
        if any(regex.match("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            included = keep
    return included


def build_context(root: Path) -> set[str]:
    rules = _rules()
    files = set()
    for folder, dirs, names in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        rel = "" if rel == "." else rel + "/"
        dirs[:] = [d for d in dirs if in_context(rel + d, rules) or d in ("",)]
        files |= {rel + name for name in names if in_context(rel + name, rules)}
    return files


def test_secrets_and_local_state_stay_out_of_the_image(tmp_path):
    present = {
        ".env": "DJANGO_SECRET_KEY=real", ".env.local": "x", ".env.production": "x",
        "var/secret-key": "k", "var/demo-password": "p", "var/pgdata/PG_VERSION": "16",
        "var/celery-broker/queue/msg": "m", ".venv/bin/python": "", ".git/config": "",
        "claims/__pycache__/models.cpython-311.pyc": "", "tests/__pycache__/x.pyc": "",
        ".pytest_cache/v/cache": "", ".ruff_cache/x": "", "workbench/local.pyc": "",
        "sources/.env": "x", "node_modules/x/index.js": "",
        ".env.example": "DJANGO_SECRET_KEY=change-me", "manage.py": "", "requirements.lock": "",
        "workbench/settings.py": "", "claims/models/core.py": "", "templates/base.html": "",
        "static/css/app.css": "", "Dockerfile": "",
    }
    for name, text in present.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    context = build_context(tmp_path)
    assert context == {".env.example", "manage.py", "requirements.lock", "workbench/settings.py",
                       "claims/models/core.py", "templates/base.html", "static/css/app.css",
                       "Dockerfile"}


def test_the_real_checkout_sends_the_code_and_nothing_local():
    context = build_context(ROOT)
    for needed in ("manage.py", "requirements.lock", "Dockerfile", "workbench/settings.py",
                   "workbench/wsgi.py", "claims/corroboration/artifacts/stance_model.npz",
                   "static/js/htmx.min.js", "templates/base.html"):
        assert needed in context, needed
    forbidden = re.compile(r"(^|/)(\.env($|\.(?!example$))|var/|\.venv/|\.git/|__pycache__/)")
    leaked = sorted(path for path in context if forbidden.search(path))
    assert not leaked, leaked[:20]
