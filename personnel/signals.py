"""When the law's data change (a roadmap row, an interval), every file's computed dates follow.

The recomputation runs in a worker after the commit; ``manage.py
personnel_recompute`` does it at once (for example when Redis was down).
"""

from __future__ import annotations


def rules_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return  # loading fixtures
    from personnel.tasks import recompute_all
    from portal.queue import enqueue

    enqueue(recompute_all)
