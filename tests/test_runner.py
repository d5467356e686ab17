"""The serial job loop: results kept, the collector left as it was found."""

import gc

from conftest import settings
from exportlint.runner import map_jobs


class _Cycle:
    def __init__(self):
        self.me = self


def _job(item, _settings):
    _Cycle()  # garbage with a cycle: only a collection frees it
    return [item] * 3


def test_serial_jobs_free_their_cycles_and_restore_the_collector():
    assert gc.isenabled() and gc.get_freeze_count() == 0
    before = sum(isinstance(o, _Cycle) for o in gc.get_objects())
    results = list(map_jobs(_job, list(range(5)), settings(), 1, lambda item, reason: None))
    assert results == [[i] * 3 for i in range(5)]
    # every job's cycle was collected, and what the run froze is unfrozen again
    assert sum(isinstance(o, _Cycle) for o in gc.get_objects()) == before
    assert gc.isenabled() and gc.get_freeze_count() == 0
