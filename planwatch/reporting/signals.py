"""Signals the reporting app sends so that apps downstream (monitoring roll-ups) stay
exact without reporting importing them. Sent inside the transaction of the change, so a
listener's writes commit or roll back with it."""

from django.dispatch import Signal

# kwargs: report (UnitReport), actor (User), action ("accepted" | "returned" | "submitted" | "reopened")
report_status_changed = Signal()
