"""Audit: who changed what, when, before and after, and why, for plans, indicators, targets,
tasks, assignments, organisations, memberships and reports (django-simple-history; all
historical tables live in this app, the tracked apps' models stay untouched)."""
