"""The lesson file format: the pydantic model is the authority (``docs/lessons.md``).

A step is told apart by the one content key it carries: ``text``, ``code``, ``quiz``, ``numeric`` or
``exercise``. Every model forbids unknown keys so that a typo in a lesson file is an error, not silence.

Validators that judge a whole object raise ``PydanticCustomError`` with an ``at`` context entry (a dotted
path relative to the error's location, e.g. ``options.1.correct``) so that the loader can point at the
exact line of the lesson file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bot.languages import LANGUAGES

LESSON_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
STEP_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MESSAGE_ID_PATTERN = r"^[a-z0-9-]+$"
MESSAGE_ID_MAX = 64

if TYPE_CHECKING:
    LanguageCode = str
else:
    LanguageCode = Literal[LANGUAGES]  # the languages defined once, as the keys lesson text may have

Localized = dict[LanguageCode, Annotated[str, Field(min_length=1)]]
"""Text in each content language, e.g. ``{zh: 自动求导, en: Autograd}``."""


MessageId = Annotated[str, Field(pattern=MESSAGE_ID_PATTERN, max_length=MESSAGE_ID_MAX)]
"""The id of a check message: what ``fail("id", ...)`` in check code names."""


def _code_kind(value: Any) -> str | None:
    """Tell code given once (text) from code given per language (a mapping)."""
    if isinstance(value, str):
        return "plain"
    if isinstance(value, dict):
        return "localized"
    return None


CodeText = Annotated[
    Annotated[str, Tag("plain")] | Annotated[Localized, Tag("localized")],
    Discriminator(
        _code_kind,
        custom_error_type="code_kind",
        custom_error_message="must be code text, or one code text per language ({zh: ..., en: ...})",
    ),
]
"""Code shown to learners: one text, or one per language (e.g. with comments in each language)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    """What a code step must produce when run in the sandbox; every given field must hold."""

    value: str | None = None
    value_contains: str | None = None
    stdout: str | None = None
    stdout_contains: str | None = None
    error_type: str | None = None
    grad_fn: str | None = Field(
        default=None, description="grad_fn name of the graph root or of the last expression's tensor"
    )

    @model_validator(mode="after")
    def _something_expected(self) -> Expect:
        if all(value is None for value in self.model_dump().values()):
            raise PydanticCustomError(
                "expect_empty",
                "'expect' needs at least one of: " + ", ".join(type(self).model_fields),
                {"at": ""},
            )
        return self


class TextStep(_Strict):
    """A paragraph of Markdown."""

    id: Annotated[str, Field(pattern=STEP_ID_PATTERN, max_length=32)] | None = None
    text: Localized


class CodeStep(_Strict):
    """Runnable code the learner can run with one button; ``setup`` runs silently before it."""

    id: Annotated[str, Field(pattern=STEP_ID_PATTERN, max_length=32)] | None = None
    text: Localized | None = Field(default=None, description="optional caption shown above the code")
    code: Annotated[str, Field(min_length=1)]
    setup: str | None = None
    expect: Expect | None = None


class QuizOption(_Strict):
    """One answer of a choice question; wrong options explain why they are wrong."""

    text: Localized
    correct: bool = False
    explain: Localized | None = None


class Quiz(_Strict):
    """A multiple-choice question with exactly one correct option."""

    question: Localized
    code: str | None = Field(
        default=None, description="code shown with the question, e.g. predict its output"
    )
    options: Annotated[list[QuizOption], Field(min_length=2, max_length=10)]
    explain: Localized | None = None

    @model_validator(mode="after")
    def _one_correct(self) -> Quiz:
        correct = [i for i, option in enumerate(self.options) if option.correct]
        if len(correct) != 1:
            raise PydanticCustomError(
                "quiz_correct",
                "a quiz needs exactly one option with 'correct: true', found {found}",
                {"found": len(correct), "at": f"options.{correct[1]}.correct" if correct else "options"},
            )
        return self

    @property
    def correct_index(self) -> int:
        """Return the 0-based index of the correct option."""
        return next(i for i, option in enumerate(self.options) if option.correct)


class QuizStep(_Strict):
    """A choice question."""

    id: Annotated[str, Field(pattern=STEP_ID_PATTERN, max_length=32)]
    quiz: Quiz


class Numeric(_Strict):
    """A question answered with a number, accepted within ``tolerance``."""

    question: Localized
    code: str | None = None
    answer: float
    tolerance: Annotated[float, Field(ge=0)] = 1e-6
    explain: Localized | None = None


class NumericStep(_Strict):
    """A numeric question."""

    id: Annotated[str, Field(pattern=STEP_ID_PATTERN, max_length=32)]
    numeric: Numeric


class WrongSample(_Strict):
    """A submission the check must reject, and the check message that must answer it."""

    why: Annotated[str, Field(min_length=1)] = Field(description="what this sample gets wrong (for authors)")
    message: MessageId = Field(description="the id of the check message that must answer it")
    code: Annotated[str, Field(min_length=1)]


class Exercise(_Strict):
    """Code the learner writes, graded in the sandbox by the trusted ``probe`` and ``check``.

    The probe runs in the learner's child after the learner's code and binds what it reads from the
    learner's functions and models to names; the check runs in a fresh child over the names it reads, as
    data (tensors, numbers, strings and containers of them), so learner code never sees it run.
    """

    prompt: Localized
    starter: CodeText
    solution: Annotated[str, Field(min_length=1)]
    check: Annotated[str, Field(min_length=1)]
    probe: Annotated[str, Field(min_length=1)] | None = Field(
        default=None,
        description="trusted code run after the learner's code, in its child: call the learner's functions "
        "and models here and bind the results the check reads",
    )
    messages: dict[MessageId, Localized] = Field(
        default_factory=dict,
        description="the check's failure messages by id; check code fails with fail('id', name=value)",
    )
    wrong: list[WrongSample] = Field(
        default_factory=list, description="submissions the check must reject, each with its message id"
    )
    setup: str | None = None
    hints: list[Localized] = Field(default_factory=list)

    def starters(self) -> dict[str, str]:
        """Return the starter code by language ("" for code shared by every language)."""
        if isinstance(self.starter, str):
            return {"": self.starter}
        return {str(language): code for language, code in self.starter.items()}


class ExerciseStep(_Strict):
    """A graded exercise."""

    id: Annotated[str, Field(pattern=STEP_ID_PATTERN, max_length=32)]
    exercise: Exercise


StepModel = TextStep | CodeStep | QuizStep | NumericStep | ExerciseStep
"""Any step, once validated."""

_STEP_KEYS = ("text", "code", "quiz", "numeric", "exercise")


def _step_kind(value: Any) -> str | None:
    """Tell a step's kind by its content key (``code`` wins over a caption ``text``)."""
    if isinstance(value, BaseModel):
        return _KIND_BY_TYPE.get(type(value))
    if not isinstance(value, dict):
        return None
    for key in ("code", "quiz", "numeric", "exercise", "text"):
        if key in value:
            return key
    return None


_KIND_BY_TYPE: dict[type[BaseModel], str] = {
    TextStep: "text",
    CodeStep: "code",
    QuizStep: "quiz",
    NumericStep: "numeric",
    ExerciseStep: "exercise",
}

Step = Annotated[
    Annotated[TextStep, Tag("text")]
    | Annotated[CodeStep, Tag("code")]
    | Annotated[QuizStep, Tag("quiz")]
    | Annotated[NumericStep, Tag("numeric")]
    | Annotated[ExerciseStep, Tag("exercise")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step needs one of: " + ", ".join(_STEP_KEYS),
    ),
]


class Lesson(_Strict):
    """One lesson file."""

    id: Annotated[str, Field(pattern=LESSON_ID_PATTERN, max_length=32)]
    version: Annotated[int, Field(ge=1)] = 1
    chapter: Annotated[int, Field(ge=0)]
    chapter_title: Localized | None = Field(
        default=None,
        description="the chapter's name, shown in the lesson list; give it on one lesson of the chapter",
    )
    order: int = Field(default=0, description="position within the chapter; lower comes first")
    syllabus: list[str] = Field(default_factory=list, description="handbook sections covered, e.g. 2.1.2")
    title: Localized
    summary: Localized | None = None
    minutes: Annotated[int, Field(ge=1, le=120)] | None = None
    requires: list[str] = Field(default_factory=list)
    steps: Annotated[list[Step], Field(min_length=1)]

    @field_validator("requires")
    @classmethod
    def _no_duplicate_requires(cls, value: list[str]) -> list[str]:
        for index, lesson_id in enumerate(value):
            if lesson_id in value[:index]:
                raise PydanticCustomError(
                    "requires_twice", "'requires' lists '{id}' twice", {"id": lesson_id, "at": str(index)}
                )
        return value

    @field_validator("steps")
    @classmethod
    def _unique_step_ids(cls, steps: list[StepModel]) -> list[StepModel]:
        seen: dict[str, int] = {}
        for index, step in enumerate(steps):
            if step.id is not None:
                if step.id in seen:
                    raise PydanticCustomError(
                        "duplicate_step_id",
                        "step id '{id}' is used twice in this lesson",
                        {"id": step.id, "at": f"{index}.id", "first_at": f"{seen[step.id]}.id"},
                    )
                seen[step.id] = index
        return steps

    def step_key(self, index: int) -> str:
        """Return the key progress stores for step ``index``: its id, else its index."""
        step = self.steps[index]
        return step.id if step.id is not None else str(index)

    def find_step(self, key: str) -> int | None:
        """Return the index of the step with this progress key, or None if it no longer exists."""
        for index, step in enumerate(self.steps):
            if step.id == key:
                return index
        if key.isdigit() and int(key) < len(self.steps) and self.steps[int(key)].id is None:
            return int(key)
        return None
