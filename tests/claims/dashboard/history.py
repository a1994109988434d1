"""A small desk history with known timestamps, and the figures computed from it by hand.

"Now" is Wednesday 25 November 2026, 12:00 UTC; a 4-week period covers the weeks starting
2, 9, 16 and 23 November. The week of 16 November is empty on purpose.

claim  status       logged (by)          published         notes
A      published    02 Nov 09:00 erin    04 Nov 09:00      48 h; verdicts V1 (changes) and V2
B      published    01 Nov 10:00 erin    05 Nov 10:00      96 h; logged before the period
C      published    03 Nov 00:00 eddie   03 Nov 12:00      12 h
D      published    10 Nov 00:00 erin    24 Nov 00:00      336 h; verdict V3 (eddie's)
E      published    20 Oct erin          30 Oct            before the period
G      rejected     09 Nov 00:00 erin    -                 rejected 12 and 13 Nov (one claim)
F      new          24 Nov 00:00 erin    -                 open, 1.5 days old
J      triaged      13 Nov 12:00 eddie   -                 open, 12 days old
H      researching  01 Nov 00:00 erin    -                 open, 24.5 days old
I      in review    01 Oct 00:00 erin    -                 open, 55.5 days old

reviews (all by rita): V1 submitted 03 Nov 09:00, changes requested 21:00 (12 h); V2
submitted 04 Nov 00:00, approved 06:00 (6 h); V3 submitted 23 Nov, approved 24 Nov (24 h);
V0 reviewed 20 Oct (before the period).

suggestions: S1 on H 03 Nov 10:00, article published 4 h before, accepted; S2 on H 04 Nov,
article 48 h before, dismissed; S3 on H 05 Nov, article date unknown, undecided; S4 on F
24 Nov, article dated after the suggestion (not counted in the delay), accepted.
"""

from __future__ import annotations

from datetime import UTC, datetime

from claims.models import ActivityEvent, Claim, CoverageSuggestion, Rating, Review, VerdictVersion
from sources.models import Document

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def at(day: str, hour: int = 0) -> datetime:
    """'11-03' -> 3 November 2026 at ``hour``:00 UTC."""
    month, day_of_month = (int(p) for p in day.split("-"))
    return datetime(2026, month, day_of_month, hour, tzinfo=UTC)


def _claim(letter: str, creator, status: str, logged: datetime, published: datetime | None = None,
           **fields) -> Claim:
    claim = Claim.objects.create(text=f"Claim {letter}", claimant="Someone", created_by=creator,
                                 status=status, published_at=published, **fields)
    Claim.objects.filter(pk=claim.pk).update(created_at=logged)
    claim.refresh_from_db()
    return claim


def _version(claim, number, author, reviewer, submitted, reviewed, decision) -> VerdictVersion:
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    state = "approved" if decision == "approve" else "changes_requested"
    version = VerdictVersion.objects.create(
        claim=claim, number=number, state=state, rating=Rating.objects.order_by("pk").first(),
        headline=f"Verdict {number}", summary_md="Summary", author=author, submitted_at=submitted,
        reviewed_by=reviewer, reviewed_at=reviewed,
    )
    review = Review.objects.create(version=version, reviewer=reviewer, decision=decision)
    Review.objects.filter(pk=review.pk).update(at=reviewed)
    return version


def _suggestion(claim, n, created, article_published, status) -> CoverageSuggestion:
    document = Document.objects.create(canonical_url=f"https://news.example/{claim.pk}/{n}",
                                       title=f"Article {n}", published_at=article_published)
    suggestion = CoverageSuggestion.objects.create(claim=claim, document=document, relevance=0.8,
                                                   stance="supports", stance_confidence=0.7,
                                                   status=status)
    CoverageSuggestion.objects.filter(pk=suggestion.pk).update(created_at=created)
    return suggestion


def build(*, erin, eddie, rita) -> dict[str, Claim]:
    claims = {
        "A": _claim("A", erin, "published", at("11-02", 9), at("11-04", 9)),
        "B": _claim("B", erin, "published", at("11-01", 10), at("11-05", 10)),
        "C": _claim("C", eddie, "published", at("11-03"), at("11-03", 12)),
        "D": _claim("D", erin, "published", at("11-10"), at("11-24")),
        "E": _claim("E", erin, "published", at("10-20"), at("10-30")),
        "G": _claim("G", erin, "rejected", at("11-09"), rejection_reason="Not check-worthy"),
        "F": _claim("F", erin, "new", at("11-24")),
        "J": _claim("J", eddie, "triaged", at("11-13", 12)),
        "H": _claim("H", erin, "researching", at("11-01")),
        "I": _claim("I", erin, "in_review", at("10-01")),
    }
    for day in ("11-12", "11-13"):
        event = ActivityEvent.objects.create(actor=erin, verb="rejected", claim=claims["G"])
        ActivityEvent.objects.filter(pk=event.pk).update(at=at(day, 10))
    _version(claims["A"], 1, erin, rita, at("11-03", 9), at("11-03", 21), "request_changes")
    _version(claims["A"], 2, erin, rita, at("11-04"), at("11-04", 6), "approve")
    _version(claims["D"], 1, eddie, rita, at("11-23"), at("11-24"), "approve")
    _version(claims["E"], 1, erin, rita, at("10-19"), at("10-20"), "approve")
    _suggestion(claims["H"], 1, at("11-03", 10), at("11-03", 6), "accepted")
    _suggestion(claims["H"], 2, at("11-04"), at("11-02"), "dismissed")
    _suggestion(claims["H"], 3, at("11-05"), None, "suggested")
    _suggestion(claims["F"], 4, at("11-24"), at("11-25"), "accepted")
    return claims
