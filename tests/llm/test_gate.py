import threading
import time

import pytest

from rag.llm.base import ModelBusy, ModelTimeout
from rag.llm.gate import GenerationGate


def test_one_at_a_time_with_a_bounded_queue():
    gate = GenerationGate(queue_size=1, typical_s=10)
    release = threading.Event()
    entered = threading.Event()

    def hold():
        with gate.slot(wait_s=5):
            entered.set()
            release.wait(5)

    def wait_in_queue():
        with gate.slot(wait_s=5):
            pass

    first = threading.Thread(target=hold)
    first.start()
    entered.wait(2)
    second = threading.Thread(target=wait_in_queue)
    second.start()
    time.sleep(0.2)
    assert gate.waiting == 1
    with pytest.raises(ModelBusy) as busy:
        with gate.slot(wait_s=5):
            pass
    assert busy.value.retry_after >= 10
    release.set()
    first.join(2)
    second.join(2)
    with gate.slot(wait_s=1):  # free again
        pass


def test_waiting_past_the_deadline_times_out():
    gate = GenerationGate(queue_size=4)
    with gate.slot(wait_s=1):
        with pytest.raises(ModelTimeout):
            with gate.slot(wait_s=0.1):
                pass
