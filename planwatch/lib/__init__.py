"""Framework-free helpers for Vietnamese values: text, numbers, targets, deadlines, agencies.

Nothing here imports Django, so the import pipeline and the tests can use it without a database.
"""
