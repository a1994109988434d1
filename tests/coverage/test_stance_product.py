"""Product stance on realistic newsroom coverage (title + lede), not FNC-1 article bodies.

The demo feed's items carry a human stance label; the extra pairs below were written for
this test (other claims: party denials, debunks, corroborations, neutral discussion). The
product label is ``PRODUCT_STANCE[label]`` of ``predict(..., cues=True)``; ``None``
(unrelated) counts as wrong for every item here, since each one is about its claim.

Measured when this file was written: model alone 8/25 (32%), with the cue layer 21/25 (84%). The four left wrong are neutral
stories the model calls unrelated (2) or supports (2); the cue layer does not touch them.
"""

from __future__ import annotations

import pytest

from claims.corroboration.stance import PRODUCT_STANCE, get_stance_model
from sources.demo_feed import DEMO_ITEMS

DEMO_CLAIM = "Russia asked China for military assistance for its war in Ukraine."

EXTRA = [
    # (claim, title, lede, human stance)
    ("The city council voted to close the Eastside public library.",
     "Council denies plan to close Eastside library",
     "City council members said on Tuesday that there was no vote to close the Eastside "
     "library, calling social media posts about a closure false.", "denies"),
    ("The health ministry banned the sale of energy drinks to teenagers.",
     "Health ministry rejects reports of energy drink ban as 'fake news'",
     "The health ministry dismissed reports that it had banned energy drinks for teenagers, "
     "saying no such rule exists.", "denies"),
    ("The mayor used public funds to pay for a family holiday.",
     "Mayor says claims he used public money for holiday are 'baseless'",
     "The mayor said accusations that he used public funds for a family holiday were baseless "
     "and politically motivated.", "denies"),
    ("The company laid off 2,000 workers at its Ohio plant.",
     "Company did not lay off Ohio workers, spokesperson says",
     "A spokesperson said the company had not laid off workers at the Ohio plant and that "
     "reports of 2,000 job cuts were untrue.", "denies"),
    ("The prime minister met the opposition leader in secret last week.",
     "Fact check: no evidence the prime minister met the opposition leader in secret",
     "Official diaries and both parties' statements show no secret meeting between the prime "
     "minister and the opposition leader last week.", "denies"),
    ("The central bank raised interest rates by half a point.",
     "Central bank raises interest rates by half a point, statement confirms",
     "The central bank confirmed on Thursday that it raised interest rates by half a point, "
     "its largest increase in two decades.", "supports"),
    ("The river pollution was caused by waste from the chemical factory.",
     "Tests show chemical factory waste caused river pollution, regulator says",
     "Laboratory tests show the river pollution was caused by waste from the chemical factory, "
     "the environmental regulator said.", "supports"),
    ("The minister resigned after the expenses scandal.",
     "Minister resigns over expenses scandal, government confirms",
     "The government confirmed that the minister resigned on Friday after the expenses "
     "scandal.", "supports"),
    ("The city council voted to close the Eastside public library.",
     "What a library closure would mean for Eastside readers",
     "As the city council debates its budget, residents wonder whether the Eastside library "
     "could close and what would replace it.", "discusses"),
    ("The central bank raised interest rates by half a point.",
     "Economists split on whether the central bank should raise interest rates",
     "Economists disagree on whether the central bank will raise interest rates by half a "
     "point next month, with some warning of a recession.", "discusses"),
    ("The mayor used public funds to pay for a family holiday.",
     "Auditors to review mayor's expenses after holiday questions",
     "The city's auditors will review the mayor's expenses after questions about whether "
     "public funds paid for a family holiday, officials said.", "discusses"),
    ("The health ministry banned the sale of energy drinks to teenagers.",
     "Energy drinks and teenagers: the debate over a possible ban",
     "Doctors have urged the health ministry to consider a ban on the sale of energy drinks "
     "to teenagers, but no decision has been announced.", "discusses"),
    ("The company laid off 2,000 workers at its Ohio plant.",
     "Union says 2,000 Ohio plant workers laid off, documents show",
     "Internal documents show the company laid off 2,000 workers at its Ohio plant, the union "
     "said on Monday.", "supports"),
    ("The prime minister met the opposition leader in secret last week.",
     "Opposition leader denies secret meeting with prime minister",
     "The opposition leader denied meeting the prime minister in secret, calling the report "
     "a fabrication.", "denies"),
]


def practice_pairs() -> list[tuple[str, str, str]]:
    """(claim, document text as the matcher builds it: title, newline, lede; human label)."""
    demo = [(DEMO_CLAIM, f"{item.title}\n{item.lede}", item.stance) for item in DEMO_ITEMS]
    return demo + [(claim, f"{title}\n{lede}", stance) for claim, title, lede, stance in EXTRA]


def product_labels(*, cues: bool) -> list[str | None]:
    pairs = practice_pairs()
    predictions = get_stance_model().predict([(c, d) for c, d, _ in pairs], cues=cues)
    return [PRODUCT_STANCE[p.label] for p in predictions]


def accuracy(labels) -> float:
    gold = [s for _, _, s in practice_pairs()]
    return sum(1 for g, p in zip(gold, labels, strict=True) if g == p) / len(gold)


def test_it_labels_most_practice_coverage_right_with_the_cue_layer():
    before, after = accuracy(product_labels(cues=False)), accuracy(product_labels(cues=True))
    print(f"practice set: model alone {before:.0%}, with cues {after:.0%}")
    assert after >= 0.75
    assert after > before


@pytest.mark.parametrize("slug", [i.slug for i in DEMO_ITEMS if i.stance == "denies"])
def test_it_labels_every_demo_denial_denies(slug):
    item = next(i for i in DEMO_ITEMS if i.slug == slug)
    [pred] = get_stance_model().predict([(DEMO_CLAIM, f"{item.title}\n{item.lede}")], cues=True)
    assert PRODUCT_STANCE[pred.label] == "denies"
    assert pred.cue.startswith("denial")
    assert 0.5 <= pred.confidence <= 1


def test_it_labels_the_demo_cable_story_supports():
    item = next(i for i in DEMO_ITEMS if i.slug == "northern-post-drones-request")
    [pred] = get_stance_model().predict([(DEMO_CLAIM, f"{item.title}\n{item.lede}")], cues=True)
    assert PRODUCT_STANCE[pred.label] == "supports"


def test_it_never_turns_a_denial_cue_on_a_claim_that_is_itself_a_denial():
    claim = "The Kremlin denied asking China for military help."
    doc = "Kremlin denies asking China for military help\nThe Kremlin denied the reports."
    [pred] = get_stance_model().predict([(claim, doc)], cues=True)
    assert pred.cue == ""


def test_it_leaves_neutral_discussion_alone():
    doc = ("Explainer: whether China could send weapons to Russia\nAnalysts disagree on whether "
           "Russia asked China for military assistance, and what Beijing might do.")
    [pred] = get_stance_model().predict([(DEMO_CLAIM, doc)], cues=True)
    assert PRODUCT_STANCE[pred.label] != "denies"
    assert not pred.cue
