"""Publishers' ratings on our scale: the admin's table, then the defaults, then the numbers."""

from __future__ import annotations

import pytest

from sources.factchecks.ratings import rating_key, rating_normalise
from sources.factchecks.services import prior_factchecks_renormalise
from sources.models import PriorFactCheck, RatingMapping

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("textual", "label"), [
    ("False", "False"), ("  Pants on  Fire! ", "False"), ("MOSTLY FALSE.", "Mostly false"),
    ("Missing context", "Misleading"), ("Half True", "Half true"), ("Mixture", "Half true"),
    ("Mostly true", "Mostly true"), ("Correct", "True"), ("Unproven", "Unproven"),
    ("Irreführend", "Misleading"), ("FAUX", "False"), ("Фейк", "False"), ("误导", "Misleading"),
])
def test_common_english_ratings(textual, label):
    assert rating_normalise(textual=textual) == label


def test_numbers_speak_when_the_text_is_unknown_and_nothing_is_guessed_otherwise():
    assert rating_normalise(textual="Nonsense", value=1, best=5, worst=1) == "False"
    assert rating_normalise(textual="", value=3, best=5, worst=1) == "Half true"
    assert rating_normalise(textual="", value=10, best=10, worst=0) == "True"
    assert rating_normalise(textual="Nonsense") == ""
    assert rating_normalise(textual="", value=7, best=5, worst=1) == ""  # out of its own range
    assert rating_normalise(textual="", value=1, best=1, worst=1) == ""


def test_a_publishers_own_mapping_beats_the_general_one_which_beats_the_default():
    RatingMapping.objects.create(textual_rating="false", normalised_rating="Mostly false")
    RatingMapping.objects.create(textual_rating="false", publisher="Strict Desk", normalised_rating="Misleading")
    assert rating_normalise(textual="False", publisher="Strict Desk") == "Misleading"
    assert rating_normalise(textual="False", publisher="Another") == "Mostly false"


def test_a_mapping_is_stored_in_the_form_it_is_matched_in():
    mapping = RatingMapping(textual_rating="  Four  Pinocchios! ", normalised_rating=" False ")
    mapping.clean()
    assert (mapping.textual_rating, mapping.normalised_rating) == ("four pinocchios", "False")
    assert rating_key("Four Pinocchios.") == "four pinocchios"


def test_changing_the_table_applies_to_what_was_imported():
    row = PriorFactCheck.objects.create(url="https://checkers.example/1", fingerprint="x" * 64,
                                        publisher="Example", claim_reviewed="Aid was sent",
                                        textual_rating="Cherry-picked", origin="feed")
    assert prior_factchecks_renormalise() == 0
    RatingMapping.objects.create(textual_rating="cherry-picked", normalised_rating="Misleading")
    assert prior_factchecks_renormalise() == 1
    row.refresh_from_db()
    assert row.normalised_rating == "Misleading"
