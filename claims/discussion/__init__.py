"""The desk's discussion of a claim: comments (with @mentions), who watches a claim, and
what they hear about it. Writes are in ``claims.services.comments``; this package holds the
reads, the forms, the views and their routes."""
