"""Short garbage collections while hundreds of pages are open.

Every open page is a long-lived graph of Python objects (its elements, their properties, handlers). CPython's full
collection walks every tracked object, so with a hall of phones connected it takes over half a second, and it runs
whenever enough new objects have piled up: in the middle of a card change, which then reaches every phone late.

`HeapKeeper` moves the pages' objects out of the collector's walk (`gc.freeze`) shortly after pages open, so a full
collection only walks what is new. Objects of a closed page that only a reference cycle keeps alive cannot be freed
while frozen, so once enough pages have closed, and nothing has been announced to the screens for a while, the keeper
unfreezes, collects everything once, and freezes again (`reclaim`). The long pause is paid when nobody is waiting.

The young generation needs the same care. Every connected page keeps a few short-lived asyncio objects in flight (its
outbox waits for a second at a time), so the youngest generation holds tens of thousands of objects while its
allocation count, which also goes down as objects die, hardly moves; the collection that finally runs is 5-30 ms
long, and it runs where objects are made fastest: during a card change. `tidy()`, ten times a second, runs the
collection that would come next between announcements, when the generation is small and nobody is waiting.

The oldest generation is different: a full collection walks everything not frozen (tens of thousands of objects:
pages' recent messages, tasks in flight) and takes 20-50 ms whatever it finds, while each one finds only a few
hundred objects of garbage. CPython itself runs one only when enough has piled up since the last; left to the count
alone it would come every few seconds with twenty rooms changing cards, and each would hold up the next card change.
`tidy()` runs it at most once a minute (`full_every_s`).

Pauses of that length (a full collection, a fold) wait until the last announcement has reached every page: right
after a card change has gone out is when the next is furthest away, and waiting for a long quiet instead would pick
the moment just before the next change when cards change at a steady pace. A fold waits at most two seconds: while a
room is joining there is nearly always something being sent, and pages left unfolded make every collection longer.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class HeapFigures:
    folds: int = 0
    reclaims: int = 0
    longest_fold_ms: float = 0.0
    longest_reclaim_ms: float = 0.0
    tidies: int = 0
    longest_tidy_ms: float = 0.0


class HeapKeeper:
    """Call `opened()`/`closed()` as pages come and go, `tick()` every second or so and `tidy()` ten times a
    second."""

    def __init__(
        self,
        *,
        last_activity: Callable[[], float],
        sending: Callable[[], bool] = lambda: False,
        quiet_s: float = 5.0,
        reclaim_after: int = 50,
        force_after: int = 2000,
        busy_s: float = 0.05,
        full_every_s: float = 60.0,
        fold_wait_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """last_activity: when something was last announced to the screens (on `clock`); sending: whether some
        page still has updates to send. A reclaim waits until the last announcement is quiet_s ago, once
        reclaim_after pages have closed, and runs regardless once force_after have; a tidy waits until it is busy_s
        ago (the announcement's frames are still going out). The longer pauses, a fold and a full collection (at
        most every full_every_s), also wait until nothing is left to send; a fold waits at most fold_wait_s (while
        a room is joining, some page is nearly always being sent something, and unfolded pages make every
        collection longer)."""
        self._last_activity = last_activity
        self._sending = sending
        self.quiet_s = quiet_s
        self.busy_s = busy_s
        self.full_every_s = full_every_s
        self.fold_wait_s = fold_wait_s
        self._fold_due: float | None = None
        self._last_full = clock()
        self.reclaim_after = reclaim_after
        self.force_after = force_after
        self._clock = clock
        self._opened = 0
        self._closed = 0
        self.figures = HeapFigures()

    def start(self) -> None:
        """Freeze what start-up made (modules, decks, routes): it lives as long as the process."""
        gc.collect()
        gc.freeze()

    def opened(self) -> None:
        self._opened += 1

    def closed(self) -> None:
        self._closed += 1

    def tick(self) -> str | None:
        """Reclaim or fold in, if due; returns which it did."""
        quiet = self._clock() - self._last_activity() >= self.quiet_s
        if self._closed >= self.force_after or (self._closed >= self.reclaim_after and quiet):
            self.reclaim()
            return 'reclaim'
        if self._opened:
            now = self._clock()
            if self._fold_due is None:
                self._fold_due = now
            if self._calm() or now - self._fold_due >= self.fold_wait_s:  # pages keep opening: fold regardless
                self.fold()
                return 'fold'
        return None

    def _calm(self) -> bool:
        """The moment for a pause of tens of milliseconds: the last announcement has gone out, to every page."""
        return self._clock() - self._last_activity() >= self.busy_s and not self._sending()

    def tidy(self) -> int | None:
        """Run the collection the collector would run next, before it is due, unless an announcement is going out:
        the young generation, the middle one when ten young ones have run, and every generation not frozen when ten
        middle ones have, nothing is left to send, and the last full collection was full_every_s ago (its pause is
        the longest). Returns the generation collected."""
        now = self._clock()
        idle = now - self._last_activity()
        if idle < self.busy_s:
            return None
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = 1 if counts[1] >= thresholds[1] else 0
        if counts[2] >= thresholds[2] and now - self._last_full >= self.full_every_s and self._calm():
            generation = 2
            self._last_full = now
        start = time.perf_counter()
        gc.collect(generation)
        self.figures.tidies += 1
        self.figures.longest_tidy_ms = max(self.figures.longest_tidy_ms, _ms_since(start))
        return generation

    def fold(self) -> None:
        """Collect what is not frozen yet (only that is walked), then freeze what survived: the new pages."""
        start = time.perf_counter()
        self._opened = 0
        self._fold_due = None
        self._last_full = self._clock()
        gc.collect()
        gc.freeze()
        self.figures.folds += 1
        self.figures.longest_fold_ms = max(self.figures.longest_fold_ms, _ms_since(start))

    def reclaim(self) -> None:
        """One full collection of everything, closed pages' cycles included, then freeze again."""
        start = time.perf_counter()
        self._opened = self._closed = 0
        self._fold_due = None
        self._last_full = self._clock()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.figures.reclaims += 1
        self.figures.longest_reclaim_ms = max(self.figures.longest_reclaim_ms, _ms_since(start))


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000
