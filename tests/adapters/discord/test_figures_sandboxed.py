"""Figures on Discord with the real sandbox: a tensor shown by ``plt.imshow`` arrives as a PNG attachment."""

from __future__ import annotations

import asyncio
import contextvars
import struct

import pytest

from sandbox.result import RunRequest, RunResult
from tests.adapters.discord.conftest import World, messages_of
from tests.sandbox.conftest import PoolThread

IMSHOW = (
    "import matplotlib.pyplot as plt\nimg = torch.rand(1, 28, 28)\nplt.imshow(img.squeeze(), cmap='gray')"
)


class RealTimeSandbox:
    """The real pool, driven from SimCord's loop with none of its context.

    SimCord selects its virtual clock (``time.monotonic`` included) through context variables, and a
    coroutine handed to another loop's thread carries the caller's context along: the pool would time its
    children by SimCord's clock. An empty context keeps the pool on real time.
    """

    def __init__(self, pool: PoolThread) -> None:
        self.pool = pool

    async def run(self, request: RunRequest) -> RunResult:
        coroutine = self.pool.sandbox.run(request)
        future = contextvars.Context().run(asyncio.run_coroutine_threadsafe, coroutine, self.pool.loop)
        return await asyncio.wrap_future(future)

    async def aclose(self) -> None:
        return None


@pytest.fixture
def sandbox(real_pool: PoolThread) -> RealTimeSandbox:
    """The tutor of these tests runs code in the real sandbox."""
    return RealTimeSandbox(real_pool)


async def test_an_imshow_of_a_tensor_is_attached_as_a_png(world: World) -> None:
    result = await world.learner.slash(world.channel, "run", code=IMSHOW)

    message = messages_of(result)[-1]
    assert "Ran in" in (message.embeds[0].title or "")
    (attachment,) = [a for a in message.attachments if a.filename.startswith("figure-")]
    data = await attachment.read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert 100 < width <= 1600 and 100 < height <= 1600
