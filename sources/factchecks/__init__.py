"""Prior fact-checks: other publishers' ClaimReviews (their claim, their rating, normalised to
our scale), imported from ClaimReview feeds, fact-check pages' JSON-LD and the Google Fact
Check Tools search. Records about the outside world, so they live in ``sources``; the desk
(``claims``) matches them to its own claims."""
