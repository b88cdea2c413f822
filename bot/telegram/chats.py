"""Each chat's updates, handled one at a time in the order they came, by a task of the chat's own.

Why not a lock awaited inside the library's handler: every update waiting for its chat's lock
holds one of the library's concurrent-update slots, so 150 messages from one user filled them
all and everyone else waited (3 s, 11.6 s for 400, in the reliability review). Here the handler
only queues the update and returns at once: a chat's backlog waits in its own queue, and other
chats are served beside it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]
# A chat's updates waiting at most; more from one chat are dropped (a script, not a person).
MAX_WAITING = 1_000


class ChatQueues:
    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self.max_waiting = max_waiting
        self.dropped = 0  # updates refused because their chat's queue was full
        self._queues: dict[int, deque[Job]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    def submit(self, chat_id: int, job: Job) -> bool:
        """Queue the job behind the chat's earlier ones; False if the chat has too many waiting."""
        queue = self._queues.get(chat_id)
        if queue is None:
            queue = self._queues[chat_id] = deque([job])
            worker = asyncio.create_task(self._work(chat_id, queue), name=f"chat-{chat_id}")
            self._workers.add(worker)  # held here, or the loop could drop the task
            worker.add_done_callback(self._workers.discard)
            return True
        if len(queue) >= self.max_waiting:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 100 == 0:
                log.warning("a chat sent more than %d updates at once; %d dropped so far",
                            self.max_waiting, self.dropped)  # fmt: skip
            return False
        queue.append(job)
        return True

    async def _work(self, chat_id: int, queue: deque[Job]) -> None:
        while True:
            try:
                await queue[0]()  # the job stays in the queue while it runs: it counts as waiting
            except Exception:  # a job handles its own failures; this is a bug, and not fatal
                log.exception("an update could not be handled")
            queue.popleft()
            if not queue:  # nothing can be queued between this check and the removal
                del self._queues[chat_id]
                return

    def __len__(self) -> int:
        """Chats with updates in hand."""
        return len(self._queues)

    async def drain(self, timeout: float) -> int:
        """At shutdown: handle what is queued for up to `timeout` seconds (`docker stop` waits
        ten before it kills), then stop; returns how many updates were left unhandled."""
        if self._workers:
            await asyncio.wait(set(self._workers), timeout=timeout)
        left = sum(len(queue) for queue in self._queues.values())
        for worker in list(self._workers):
            worker.cancel()
        if self._workers:
            await asyncio.gather(*self._workers, return_exceptions=True)
        return left
