from django.dispatch import Signal

org_tree_changed = Signal()  # kwargs: org_ids (list[int]), sent inside the transaction
