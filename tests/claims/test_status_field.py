"""Nothing but the workflow services assign Claim.status (house style: one place per transition)."""

import ast
from pathlib import Path

from django.conf import settings

# The workflow, and folding a duplicate into its original (which points it at the original).
ALLOWED = {Path("claims/services/workflow.py"), Path("claims/services/duplicates.py")}


def _status_assignments(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            # Other models (verdicts, suggestions) have their own status fields; a claim is
            # recognised by the name it is held in (claim, original, duplicate_claim...).
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "status"
                and "claim" in ast.unparse(target.value).lower()
            ):
                yield node.lineno
        # .update(status=...) and .create(status=...) on claims count too.
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"update", "create", "bulk_update", "update_or_create", "get_or_create"}:
                if any(k.arg == "status" for k in node.keywords) and "Claim" in ast.unparse(node.func):
                    yield node.lineno


def test_only_the_service_module_assigns_claim_status():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in sorted((root / "claims").rglob("*.py")):
        rel = path.relative_to(root)
        if rel in ALLOWED or "migrations" in rel.parts:
            continue
        offenders += [f"{rel}:{line}" for line in _status_assignments(path)]
    assert offenders == []


def test_the_check_finds_an_assignment(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "claim.status = 'published'\n"
        "Claim.objects.filter(pk=1).update(status='x')\n"
        "suggestion.status = 'accepted'\n"
        "self.claim.status = 'new'\n"
    )
    assert sorted(_status_assignments(sample)) == [1, 2, 4]
