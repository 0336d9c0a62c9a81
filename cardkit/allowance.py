"""A token bucket per key: how often an address may guess, a participant may change things, a page may log."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

KEYS_KEPT = 10_000  # beyond this many keys, those with their whole allowance back are forgotten


class Allowance:
    """A token bucket: `burst` at once, then one more every `refill` seconds, per key (an address, a participant)."""

    def __init__(self, burst: int, refill: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.refill = refill
        self.clock = clock
        self._left: dict[Any, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self._lock = threading.Lock()

    def _tokens(self, key: Any) -> float:
        now = self.clock()
        tokens, at = self._left.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) / self.refill)
        self._left[key] = (tokens, now)
        if len(self._left) > KEYS_KEPT:  # keys with their whole allowance back need no entry
            self._left = {k: v for k, v in self._left.items() if v[0] < self.burst or k == key}
        return tokens

    def empty(self, key: Any) -> bool:
        with self._lock:
            return self._tokens(key) < 1

    def take(self, key: Any) -> bool:
        """Use one; False (nothing used) when none is left."""
        with self._lock:
            tokens = self._tokens(key)
            if tokens < 1:
                return False
            self._left[key] = (tokens - 1, self._left[key][1])
            return True

    def wait_seconds(self, key: Any) -> int:
        """Whole seconds until one is back (0 if one is left)."""
        with self._lock:
            tokens = self._tokens(key)
        return 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) * self.refill))
