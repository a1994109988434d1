"""The Django-free model core of corroboration: text, labels, cues, embeddings, stance, similar
claims. Nothing here imports Django; the Django layer (``claims.corroboration``) wraps it."""
