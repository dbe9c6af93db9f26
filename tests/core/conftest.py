"""A small catalog built in the test, fakes for every port, and a tutor wired to them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import pytest

from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser
from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Quote, Reply, RunOutput, Text
from bot.core.tutor import Answer, Incoming, Tutor
from bot.curriculum.model import Lesson
from bot.store import SqlStore
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox


def tensor_lesson(**changes: Any) -> Lesson:
    data: dict[str, Any] = {
        "id": "tensor-basics",
        "version": 1,
        "chapter": 1,
        "syllabus": ["1.3.1"],
        "title": {"zh": "张量", "en": "Tensors"},
        "steps": [
            {"text": {"zh": "张量是多维数组。", "en": "A tensor is an n-dimensional array."}},
            {
                "id": "first-tensor",
                "text": {"zh": "运行它：", "en": "Run it:"},
                "code": "x = torch.ones(2, 2)\nx",
                "setup": "import torch",
            },
            {
                "id": "shape-quiz",
                "quiz": {
                    "question": {"zh": "x 的形状是？", "en": "What is x's shape?"},
                    "options": [
                        {
                            "text": {"zh": "(4,)", "en": "(4,)"},
                            "explain": {"zh": "元素个数", "en": "that's numel"},
                        },
                        {"text": {"zh": "(2, 2)", "en": "(2, 2)"}, "correct": True},
                        {"text": {"zh": "(2,)", "en": "(2,)"}},
                    ],
                    "explain": {"zh": "ones(2, 2) 是 2×2。", "en": "ones(2, 2) is 2 by 2."},
                },
            },
            {
                "id": "sum-value",
                "numeric": {
                    "question": {"zh": "x.sum() 是多少？", "en": "What is x.sum()?"},
                    "answer": 4.0,
                    "tolerance": 0.01,
                },
            },
            {
                "id": "make-zeros",
                "exercise": {
                    "prompt": {"zh": "创建全零张量 z。", "en": "Make a tensor z of zeros."},
                    "starter": "z = ...\n",
                    "solution": "z = torch.zeros(2)\n",
                    "check": "assert z.sum() == 0, 'z should be all zeros'",
                    "hints": [
                        {"zh": "试试 torch.zeros。", "en": "Try torch.zeros."},
                        {"zh": "torch.zeros(2)", "en": "torch.zeros(2)"},
                    ],
                },
            },
            {"text": {"zh": "本课结束。", "en": "That's it."}},
        ],
    }
    data.update(changes)
    return Lesson.model_validate(data)


def autograd_lesson() -> Lesson:
    return Lesson.model_validate(
        {
            "id": "autograd-basics",
            "chapter": 2,
            "title": {"zh": "自动求导", "en": "Autograd"},
            "requires": ["tensor-basics"],
            "steps": [
                {"text": {"zh": "梯度。", "en": "Gradients."}},
                {"text": {"zh": "反向传播。", "en": "Backward."}},
            ],
        }
    )


T = TypeVar("T")

USER = PlatformUser(platform="console", user_id="ada", display_name="Ada")


def replies_of(answer: Answer | Sequence[Reply]) -> list[Reply]:
    """Return the replies of an answer (or the replies themselves)."""
    return list(answer.replies) if isinstance(answer, Answer) else list(answer)


def text_of(answer: Answer | Sequence[Reply]) -> str:
    """Return every human-readable string in the replies, one per line, for assertions."""
    parts: list[str] = []
    for reply in replies_of(answer):
        match reply:
            case Text(markdown):
                parts.append(markdown)
            case Notice(text, _):
                parts.append(text)
            case Code(source, _):
                parts.append(source)
            case QuizPrompt():
                parts += [reply.question, *reply.options, reply.instruction]
            case RunOutput():
                parts.append(reply.headline)
            case Buttons(buttons):
                parts += [f"[{b.label}] {b.action}" for b in buttons]
            case Quote(said, author, caption):
                parts += [caption, f"“{said}” — {author}"]
    return "\n".join(parts)


def of_type(answer: Answer | Sequence[Reply], kind: type[T]) -> list[T]:
    return [r for r in replies_of(answer) if isinstance(r, kind)]


Say = Callable[..., Awaitable[list[Reply]]]


@pytest.fixture
def catalog() -> FakeCatalogSource:
    return FakeCatalogSource([tensor_lesson(), autograd_lesson()])


@pytest.fixture
def settings() -> TutorSettings:
    return TutorSettings(commands_per_minute=1000, runs_per_minute=1000, default_locale="en")


@pytest.fixture
def tutor(
    store: SqlStore,
    catalog: FakeCatalogSource,
    sandbox: FakeSandbox,
    settings: TutorSettings,
    clock: FakeClock,
) -> Tutor:
    return Tutor(store, catalog, sandbox, settings=settings, clock=clock)


@pytest.fixture
def say(tutor: Tutor) -> Say:
    async def _say(text: str, user: PlatformUser = USER, **kwargs: Any) -> list[Reply]:
        return list((await tutor.handle(Incoming(user=user, text=text, **kwargs))).replies)

    return _say
