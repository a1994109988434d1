"""Watching the desk and its machinery: the coverage model's live precision, the labels the
desk gives it (accept, dismiss, a corrected stance) and their export for retraining."""
