"""The activity log: a fixed vocabulary of verbs, and edits shown as readable diffs."""

import importlib

import pytest
from django.apps import apps as global_apps

from claims.activity import (
    activity_record,
    activity_rows,
    describe_changes,
    field_changes,
    word_diff,
)
from claims.models import ActivityEvent, ActivityVerb
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

migration = importlib.import_module("claims.migrations.0007_activity_verbs")


def test_a_verb_outside_the_vocabulary_is_refused_and_nothing_is_written(editor):
    claim = make_claim(editor)
    before = ActivityEvent.objects.count()
    with pytest.raises(ValueError):
        activity_record(actor=editor, verb="quietly rewrote the claim", claim=claim)
    assert ActivityEvent.objects.count() == before


def test_the_migration_turns_old_words_into_codes_and_keeps_unknown_words(editor):
    claim = make_claim(editor)
    old = {
        word: ActivityEvent.objects.create(actor=editor, verb=word, claim=claim, details={"n": i})
        for i, word in enumerate(["started research", "recorded a denial", "approved a correction",
                                  "emailed a notification", "did a rain dance"])
    }
    migration.words_to_codes(global_apps, None)
    verbs = {word: ActivityEvent.objects.get(pk=event.pk) for word, event in old.items()}
    assert verbs["started research"].verb == ActivityVerb.STARTED_RESEARCH
    assert verbs["recorded a denial"].verb == ActivityVerb.DENIAL_RECORDED
    assert verbs["approved a correction"].verb == ActivityVerb.CORRECTION_APPROVED
    assert verbs["emailed a notification"].verb == ActivityVerb.NOTIFICATION_EMAILED
    legacy = verbs["did a rain dance"]
    assert legacy.verb == ActivityVerb.LEGACY
    assert legacy.details == {"n": 4, "legacy_verb": "did a rain dance"}
    assert legacy.verb_text == "did a rain dance"
    assert set(ActivityEvent.objects.values_list("verb", flat=True)) <= set(ActivityVerb.values)

    migration.codes_to_words(global_apps, None)
    assert ActivityEvent.objects.get(pk=old["did a rain dance"].pk).verb == "did a rain dance"
    assert ActivityEvent.objects.get(pk=old["started research"].pk).verb == "started research"


# Verbs added after migration 0007 by later features: no row older than 0007 can carry them.
ADDED_AFTER_0007 = {"comment_posted", "comment_edited", "comment_deleted"}


def test_the_migration_knows_every_code_of_the_vocabulary():
    assert migration.CODES == set(ActivityVerb.values) - ADDED_AFTER_0007


def test_field_changes_keeps_only_what_changed_as_json():
    import datetime

    changes = field_changes(
        {"said_on": datetime.date(2022, 3, 13), "claimant": "A", "tags": ["b", "a"]},
        {"said_on": datetime.date(2022, 3, 14), "claimant": "A", "tags": ["b", "a"]},
    )
    assert changes == {"said_on": {"old": "2022-03-13", "new": "2022-03-14"}}


def test_changes_read_as_labels_and_long_text_as_a_word_diff():
    rows = describe_changes({
        "stance": {"old": "supports", "new": "denies"},
        "speaker_is_party": {"old": False, "new": True},
        "said_on": {"old": None, "new": "2022-03-14"},
        "quote": {"old": "Russia asked China for drones and for food ready to eat last month",
                  "new": "Russia asked China for drones and for armoured vehicles last month"},
    })
    by_name = {row.name: row for row in rows}
    assert (by_name["stance"].old, by_name["stance"].new) == ("Supports", "Denies or refutes")
    assert (by_name["speaker_is_party"].old, by_name["speaker_is_party"].new) == ("no", "yes")
    assert (by_name["said_on"].old, by_name["said_on"].new) == ("", "14 Mar 2022")
    assert not by_name["stance"].segments
    assert ("removed", "food ready to eat ") in by_name["quote"].segments
    assert ("added", "armoured vehicles ") in by_name["quote"].segments


def test_word_diff_reassembles_both_texts():
    old, new = "The ministry denied it on Monday.", "The foreign ministry firmly denied it on Tuesday."
    segments = word_diff(old, new)
    assert "".join(t for kind, t in segments if kind != "added") == old
    assert "".join(t for kind, t in segments if kind != "removed") == new


def test_rows_without_changes_read_as_before(editor):
    claim = make_claim(editor)
    [event] = activity_rows(ActivityEvent.objects.filter(claim=claim))
    assert event.changes == [] and event.verb_text == "logged the claim"
