"""The stance data's split into train, validation and report parts (``stance_train``,
``stance_eval --holdout``), defined once before any tuning, seeded (:data:`SPLIT_DEFINITION`).

FNC-1 is split by story: headlines and bodies joined by related pairs (agree, disagree,
discuss) are one story; a pair is kept only when its headline's and its body's stories land in
the same part, so no report pair's headline, body or story was seen in training. Emergent is
split by claim, and an Emergent article headline held out there takes its FNC-1 story along.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from claims.corroboration.training import datasets

PARTS = ("train", "validation", "report")
PART_SHARES = (0.6, 0.2, 0.2)
SPLIT_DEFINITION = {
    "parts": dict(zip(PARTS, PART_SHARES, strict=True)),
    "fnc": "by story: headlines and bodies joined by related (agree/disagree/discuss) pairs "
           "form connected stories; each story goes to a part by "
           "sha256(f'{seed}:fnc-story-b:{smallest body id}') (a story without a body: "
           "fnc-story-h:{smallest headline}); a pair is "
           "kept only when its headline's and its body's stories land in the same part (others "
           "are dropped); a story holding an Emergent article headline held out there follows "
           "that Emergent part (two such parts: the story is dropped)",
    "emergent": "by claim: sha256(f'{seed}:emergent-claim:{claim headline}')",
    "practice": "report only (written before training)",
}


def part_of(kind: str, key: str, seed: int) -> str:
    """The part a key (a headline, a body id, a claim) belongs to, for a seed."""
    digest = hashlib.sha256(f"{seed}:{kind}:{key}".encode()).hexdigest()
    u = int(digest[:13], 16) / 16**13
    edge = 0.0
    for part, share in zip(PARTS, PART_SHARES, strict=True):
        edge += share
        if u < edge:
            return part
    return PARTS[-1]


def emergent_claim_split(rows: Sequence[datasets.StanceRow], seed: int
                         ) -> list[tuple[datasets.StanceRow, str]]:
    return [(r, part_of("emergent-claim", r.headline, seed)) for r in rows]


def fnc_stories(rows: Sequence[datasets.StanceRow]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each headline's ``("h", text)`` and body's ``("b", id)`` story: its connected component
    over related pairs, named by its smallest body id (or smallest headline if it has none)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node):
        root = parent.setdefault(node, node)
        while root != parent[root]:
            root = parent[root]
        while node != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    for r in rows:
        head, body = find(("h", r.headline)), find(("b", r.body_id))
        if r.stance != "unrelated" and head != body:
            parent[head] = body
    members: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in parent:
        members.setdefault(find(node), []).append(node)
    story: dict[tuple[str, str], tuple[str, str]] = {}
    for nodes in members.values():
        bodies = sorted(key for kind, key in nodes if kind == "b")
        name = ("b", bodies[0]) if bodies else ("h", min(key for _, key in nodes))
        for node in nodes:
            story[node] = name
    return story


def fnc_split(rows: Sequence[datasets.StanceRow], seed: int,
              pinned_headlines: dict[str, str] | None = None) -> list[tuple[datasets.StanceRow, str]]:
    """Rows with their part, by story (:func:`fnc_stories`); a pair whose headline's and
    body's stories fall in different parts is dropped. ``pinned_headlines``: headline -> part
    for headlines that must follow another data set's split (an Emergent article headline in
    validation or report never trains): their whole story follows, or is dropped when two
    parts claim it."""
    pinned = pinned_headlines or {}
    story = fnc_stories(rows)
    part_of_story: dict[tuple[str, str], str] = {}
    for node, name in story.items():
        wanted = pinned.get(node[1]) if node[0] == "h" else None
        if wanted:
            known = part_of_story.get(name)
            part_of_story[name] = wanted if known in (None, wanted) else "dropped"
    for name in set(story.values()):
        if name not in part_of_story:
            part_of_story[name] = part_of(f"fnc-story-{name[0]}", name[1], seed)
    out = []
    for r in rows:
        ph = part_of_story[story[("h", r.headline)]]
        pb = part_of_story[story[("b", r.body_id)]]
        if ph == pb and ph in PARTS:
            out.append((r, ph))
    return out


def split_rows(fnc_rows: Sequence[datasets.StanceRow], em_rows: Sequence[datasets.StanceRow],
               em_bodies: dict[str, str], seed: int):
    """Both data sets' rows with their parts (:data:`SPLIT_DEFINITION`)."""
    em_split = emergent_claim_split(em_rows, seed)
    pinned: dict[str, str] = {}
    for r, part in em_split:
        headline = em_bodies[r.body_id].strip()
        if part != "train":
            # Held out by Emergent: as an FNC-1 headline it may not train either; two parts
            # claiming it (two claims) send it to neither.
            pinned[headline] = part if pinned.get(headline, part) == part else "dropped"
    return fnc_split(fnc_rows, seed, pinned), em_split
