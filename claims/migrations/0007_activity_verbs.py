"""Activity verbs become a fixed vocabulary (claims.models.ActivityVerb).

Existing rows carried free words ("started research", "recorded a denial"); each known word
becomes its code. A word the vocabulary does not know is kept in details["legacy_verb"] and
the row gets the code "legacy", so nothing said in the log is lost. Reversible.
"""

from django.db import migrations, models

# The words written before the vocabulary, and their codes.
WORDS_TO_CODES = {
    "logged": "logged",
    "triaged": "triaged",
    "started research": "started_research",
    "moved back": "moved_back",
    "submitted for review": "submitted_for_review",
    "published": "published",
    "rejected": "rejected",
    "reopened": "reopened",
    "assigned": "assigned",
    "unassigned": "unassigned",
    "edited": "edited",
    "changed priority": "priority_changed",
    "marked duplicate": "marked_duplicate",
    "merged a duplicate": "merged_duplicate",
    "added a note": "note_added",
    "added evidence": "evidence_added",
    "recorded a denial": "denial_recorded",
    "drafted a verdict": "verdict_drafted",
    "edited the verdict draft": "verdict_draft_edited",
    "submitted the verdict for review": "verdict_submitted",
    "submitted a correction for review": "correction_submitted",
    "approved and published the verdict": "verdict_approved",
    "approved a correction": "correction_approved",
    "requested changes to the verdict": "changes_requested",
    "accepted coverage": "coverage_accepted",
    "dismissed coverage": "coverage_dismissed",
    "restored coverage": "coverage_restored",
    "gathered coverage": "coverage_gathered",
    "emailed a notification": "notification_emailed",
}
CODES = set(WORDS_TO_CODES.values()) | {
    "evidence_edited", "evidence_removed", "claim_corrected", "evidence_corrected", "legacy",
    "coverage_stance_corrected",
}


def words_to_codes(apps, schema_editor):
    ActivityEvent = apps.get_model("claims", "ActivityEvent")
    for word, code in WORDS_TO_CODES.items():
        if word != code:
            ActivityEvent.objects.filter(verb=word).update(verb=code)
    for event in ActivityEvent.objects.exclude(verb__in=CODES).only("pk", "verb", "details").iterator():
        details = dict(event.details or {})
        details["legacy_verb"] = event.verb
        ActivityEvent.objects.filter(pk=event.pk).update(verb="legacy", details=details)


def codes_to_words(apps, schema_editor):
    ActivityEvent = apps.get_model("claims", "ActivityEvent")
    for word, code in WORDS_TO_CODES.items():
        if word != code:
            ActivityEvent.objects.filter(verb=code).update(verb=word)
    for event in ActivityEvent.objects.filter(verb="legacy").only("pk", "details").iterator():
        details = dict(event.details or {})
        word = details.pop("legacy_verb", "legacy")
        ActivityEvent.objects.filter(pk=event.pk).update(verb=word[:60], details=details)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_desk_indexes")]

    operations = [
        migrations.RunPython(words_to_codes, codes_to_words, elidable=False),
        migrations.AlterField(
            model_name="activityevent",
            name="verb",
            field=models.CharField(
                choices=[
                    ("logged", "logged the claim"),
                    ("triaged", "triaged"),
                    ("started_research", "started research"),
                    ("moved_back", "moved back"),
                    ("submitted_for_review", "submitted for review"),
                    ("published", "published"),
                    ("rejected", "rejected"),
                    ("reopened", "reopened"),
                    ("assigned", "assigned"),
                    ("unassigned", "unassigned"),
                    ("edited", "edited the claim"),
                    ("priority_changed", "changed priority"),
                    ("marked_duplicate", "marked duplicate"),
                    ("merged_duplicate", "merged a duplicate"),
                    ("note_added", "added a note"),
                    ("evidence_added", "added evidence"),
                    ("denial_recorded", "recorded a denial"),
                    ("evidence_edited", "edited evidence"),
                    ("evidence_removed", "removed evidence"),
                    ("verdict_drafted", "drafted a verdict"),
                    ("verdict_draft_edited", "edited the verdict draft"),
                    ("verdict_submitted", "submitted the verdict for review"),
                    ("correction_submitted", "submitted a correction for review"),
                    ("verdict_approved", "approved and published the verdict"),
                    ("correction_approved", "approved a correction"),
                    ("changes_requested", "requested changes to the verdict"),
                    ("claim_corrected", "corrected the published claim"),
                    ("evidence_corrected", "corrected cited evidence"),
                    ("coverage_accepted", "accepted coverage"),
                    ("coverage_dismissed", "dismissed coverage"),
                    ("coverage_restored", "restored coverage"),
                    ("coverage_gathered", "gathered coverage"),
                    ("notification_emailed", "emailed a notification"),
                    ("legacy", "did something"),
                ],
                max_length=60,
            ),
        ),
    ]
