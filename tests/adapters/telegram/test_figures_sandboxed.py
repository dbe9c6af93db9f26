"""Figures on Telegram with the real sandbox: a tensor shown with ``plt.imshow`` arrives as a photo."""

from __future__ import annotations

import pytest

from bot.adapters.telegram.app import TelegramFrontend
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.sandbox.conftest import PoolThread, ThreadedSandbox

IMSHOW = """\
/run
```python
import matplotlib.pyplot as plt
img = torch.rand(1, 28, 28)
plt.imshow(img.squeeze(), cmap="gray")
```"""


@pytest.fixture
def sandbox(real_pool: PoolThread) -> ThreadedSandbox:
    """The tutor of these tests runs code in the real sandbox."""
    return ThreadedSandbox(real_pool)


async def test_an_imshow_of_a_tensor_is_sent_as_a_photo(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text(IMSHOW)

    [photo] = await api.wait_for("sendPhoto", timeout=60)
    assert photo.files["photo"].startswith(b"\x89PNG\r\n\x1a\n")
    assert any("Ran in" in text for text in api.texts())
