"""The loader reports every problem of a lesson file as ``path:line:col: message``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.curriculum.loader import load_folder, load_lessons, load_text

HEAD = "id: sample\nchapter: 1\ntitle: {zh: 示例, en: Sample}\n"
HELLO = "  - text: {zh: 你好, en: Hello}\n"
QUIZ = (
    "  - id: pick\n"
    "    quiz:\n"
    "      question: {zh: 哪个, en: Which one}\n"
    "      options:\n"
    "        - {text: {zh: 甲, en: A}, correct: true}\n"
    "        - {text: {zh: 乙, en: B}, explain: {zh: 不对, en: Wrong}}\n"
)
VALID = HEAD + "steps:\n" + HELLO


def lesson(lesson_id: str, requires: str = "", chapter: int = 1, order: int = 0) -> str:
    return (
        f"id: {lesson_id}\nchapter: {chapter}\norder: {order}\ntitle: {{zh: 课, en: Lesson}}\n"
        + (f"requires: [{requires}]\n" if requires else "")
        + "steps:\n"
        + HELLO
    )


BROKEN = [
    pytest.param(
        {"sample.yaml": "id: sample\nchapter: 1\ntitle: {zh: 示例, en: Sample\nsteps: []\n"},
        [
            "sample.yaml:4:6: invalid YAML: expected ',' or '}', but got ':' "
            "(while parsing a flow mapping at line 3); inside { } or [ ], quote text that contains "
            ", ? : [ ] { } or #"
        ],
        id="yaml-syntax-error",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n\t- text: {zh: 你好, en: Hello}\n"},
        ["sample.yaml:5:1: tab character: YAML indentation must use spaces, not tabs"],
        id="tab-indentation",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "chapter: 2\nsteps:\n" + HELLO},
        ["sample.yaml:4:1: duplicate key 'chapter' (first at line 2); keep only one"],
        id="duplicate-key",
    ),
    pytest.param(
        {"sample.yaml": VALID.replace("chapter: 1", "chapter: 1\nsumary: {zh: 概要, en: Summary}")},
        ["sample.yaml:3:1: unknown key 'sumary' (did you mean 'summary'?)"],
        id="unknown-key-with-suggestion",
    ),
    pytest.param(
        {"sample.yaml": VALID.replace("chapter: 1\n", "")},
        ["sample.yaml:1:1: missing required key 'chapter'"],
        id="missing-required-key",
    ),
    pytest.param(
        {"sample.yaml": VALID.replace("chapter: 1", "chapter: one")},
        ["sample.yaml:2:10: 'chapter' must be a whole number"],
        id="wrong-type",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n  - code: 1 + 1\n    expect: {value: 2}\n"},
        ["sample.yaml:6:21: 'value' must be text (put it in quotes)"],
        id="number-where-text-is-needed",
    ),
    pytest.param(
        {"Sample_1.yaml": VALID.replace("id: sample", "id: Sample_1")},
        ["Sample_1.yaml:1:5: 'id' must be lowercase letters, digits and dashes, at most 32 characters"],
        id="bad-lesson-id",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n  - id: Intro Step\n    text: {zh: 你好, en: Hello}\n"},
        ["sample.yaml:5:9: 'id' must be lowercase letters, digits and dashes, at most 32 characters"],
        id="bad-step-id",
    ),
    pytest.param(
        {"sample.yaml": VALID.replace("{zh: 示例, en: Sample}", "{en: Sample}")},
        ["sample.yaml:3:8: title is missing the 'zh' text"],
        id="missing-zh-translation",
    ),
    pytest.param(
        {"sample.yaml": VALID.replace("en: Sample}", "en: Sample, fr: Exemple}")},
        ["sample.yaml:3:29: unknown language 'fr' in 'title' (use 'zh' or 'en')"],
        id="unknown-language",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n" + QUIZ.replace("explain: {zh: 不对, en: Wrong}", "correct: true")},
        ["sample.yaml:10:34: a quiz needs exactly one option with 'correct: true', found 2"],
        id="quiz-with-two-correct-options",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n" + QUIZ.replace(", correct: true", "")},
        ["sample.yaml:8:7: a quiz needs exactly one option with 'correct: true', found 0"],
        id="quiz-with-no-correct-option",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n" + QUIZ.replace(", en: Wrong}", ", en: No}")},
        ["sample.yaml:10:56: 'en' must be text (put it in quotes)"],
        id="yaml-no-read-as-false",
    ),
    pytest.param(
        {
            "sample.yaml": HEAD
            + "steps:\n  - id: count\n    numeric:\n      question: {zh: 几个, en: How many}\n"
        },
        ["sample.yaml:6:5: missing required key 'answer' in 'numeric'"],
        id="numeric-without-answer",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n  - id: lonely\n"},
        ["sample.yaml:5:5: a step needs one content key: text, code, quiz, numeric or exercise"],
        id="step-with-no-content-key",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n  - code: x = 1\n    quiz: {}\n"},
        [
            "sample.yaml:6:5: a step takes only one content key: "
            "'quiz' cannot be combined with 'code'; split the step"
        ],
        id="step-with-two-content-keys",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps: []\n"},
        ["sample.yaml:4:8: 'steps' needs at least 1 item"],
        id="no-steps",
    ),
    pytest.param(
        {
            "sample.yaml": HEAD
            + "steps:\n  - id: intro\n    text: {zh: 你好, en: Hello}\n"
            + "  - id: intro\n    text: {zh: 再见, en: Bye}\n"
        },
        [
            "sample.yaml:7:5: step id 'intro' is used twice (first at line 5); "
            "step ids must be unique in a lesson"
        ],
        id="duplicate-step-ids",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n  - code: 1 + 1\n    expect: {valeu: '2'}\n"},
        ["sample.yaml:6:14: unknown key 'valeu' (did you mean 'value'?)"],
        id="unknown-expect-key",
    ),
    pytest.param(
        {"sample.yaml": HEAD + "steps:\n  - code: 1 + 1\n    expect: {}\n"},
        [
            "sample.yaml:6:5: 'expect' needs at least one of: value, value_contains, stdout, "
            "stdout_contains, error_type, grad_fn"
        ],
        id="empty-expect",
    ),
    pytest.param(
        {
            "sample.yaml": HEAD
            + "steps:\n  - id: task\n    exercise:\n      prompt: {zh: 写代码, en: Write code}\n"
            "      starter: ''\n      solution: x = 1\n"
        },
        ["sample.yaml:6:5: missing required key 'check' in 'exercise'"],
        id="exercise-without-check",
    ),
    pytest.param(
        {"sample.yaml": VALID, "more/sample.yaml": VALID},
        [
            "more/sample.yaml:1:5: lesson id 'sample' is also used by {dir}/sample.yaml; "
            "lesson ids must be unique",
            "sample.yaml:1:5: lesson id 'sample' is also used by {dir}/more/sample.yaml; "
            "lesson ids must be unique",
        ],
        id="duplicate-lesson-id-across-files",
    ),
    pytest.param(
        {
            "sample.yaml": lesson("sample", requires="tensor-basic"),
            "tensor-basics.yaml": lesson("tensor-basics"),
        },
        ["sample.yaml:5:12: 'requires' names unknown lesson 'tensor-basic' (did you mean 'tensor-basics'?)"],
        id="unknown-prerequisite",
    ),
    pytest.param(
        {"a.yaml": lesson("a", requires="b"), "b.yaml": lesson("b", requires="a")},
        [
            "a.yaml:5:12: prerequisite cycle: a → b → a; remove one of these 'requires' entries",
            "b.yaml:5:12: prerequisite cycle: a → b → a; remove one of these 'requires' entries",
        ],
        id="prerequisite-cycle",
    ),
    pytest.param(
        {"sample.yaml": lesson("sample", requires="sample")},
        ["sample.yaml:5:12: prerequisite cycle: sample → sample; remove one of these 'requires' entries"],
        id="lesson-requires-itself",
    ),
    pytest.param(
        {"intro.yaml": VALID},
        ["intro.yaml:1:5: the file of lesson 'sample' should be named 'sample.yaml'"],
        id="file-name-differs-from-id",
    ),
    pytest.param(
        {"sample.yaml": "# nothing here yet\n"},
        ["sample.yaml: the file is empty; a lesson needs at least 'id', 'chapter', 'title' and 'steps'"],
        id="empty-file",
    ),
    pytest.param(
        {"sample.yaml": "- id: sample\n- chapter: 1\n"},
        [
            "sample.yaml:1:1: a lesson file must be a mapping of keys "
            "(id, chapter, title, steps, ...), not a list"
        ],
        id="top-level-list",
    ),
]


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("files", "expected"), BROKEN)
def test_broken_lesson_is_reported_at_its_line(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    write(tmp_path, files)

    _, problems = load_folder([tmp_path])

    assert [str(p) for p in problems] == [
        f"{tmp_path}/" + line.replace("{dir}", str(tmp_path)) for line in expected
    ]


def test_valid_lesson_loads_without_problems(tmp_path: Path) -> None:
    write(tmp_path, {"sample.yaml": "# yaml-language-server: $schema=lesson.schema.json\n" + VALID})

    catalog, problems = load_folder([tmp_path])

    assert problems == []
    assert catalog.ids() == ["sample"]


def test_broken_lesson_is_left_out_while_valid_ones_are_served(tmp_path: Path) -> None:
    write(
        tmp_path, {"good.yaml": lesson("good"), "bad.yaml": lesson("bad").replace("chapter: 1", "chapter: x")}
    )

    catalog, problems = load_folder([tmp_path])

    assert catalog.ids() == ["good"]
    assert len(problems) == 1


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = VALID.replace("chapter: 1", "chapter: one\nsumary: x").replace(
        "{zh: 示例, en: Sample}", "{en: Sample}"
    )
    write(tmp_path, {"sample.yaml": text})

    _, problems = load_folder([tmp_path])

    assert [p.line for p in problems] == [2, 3, 4]


def test_learning_order_is_chapter_then_order_then_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "b.yaml": lesson("b", chapter=1, order=2),
            "a.yaml": lesson("a", chapter=1, order=2),
            "c.yaml": lesson("c", chapter=1, order=1),
            "d.yaml": lesson("d", chapter=0, order=9),
        },
    )

    catalog, _ = load_folder([tmp_path])

    assert catalog.ids() == ["d", "c", "a", "b"]


def test_prerequisites_come_before_their_dependants(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "early.yaml": lesson("early", requires="late", chapter=1),
            "late.yaml": lesson("late", chapter=3),
            "other.yaml": lesson("other", chapter=2),
        },
    )

    catalog, _ = load_folder([tmp_path])

    assert catalog.ids() == ["other", "late", "early"]


def test_only_configured_languages_are_required(tmp_path: Path) -> None:
    write(tmp_path, {"sample.yaml": VALID.replace("{zh: 示例, en: Sample}", "{en: Sample}")})

    _, problems = load_folder([tmp_path], languages=["en"])

    assert problems == []


def test_context_lessons_satisfy_prerequisites_without_reporting_their_problems(tmp_path: Path) -> None:
    write(tmp_path / "shipped", {"base.yaml": lesson("base"), "broken.yaml": "id: broken\n"})
    write(tmp_path / "draft", {"next.yaml": lesson("next", requires="base")})

    report = load_lessons([tmp_path / "draft"], context=[tmp_path / "shipped"])

    assert report.problems == []
    assert list(report.sources) == ["next"]
    assert report.catalog.ids() == ["base", "next"]


def test_a_draft_replaces_the_context_lesson_with_its_id(tmp_path: Path) -> None:
    write(tmp_path / "shipped", {"base.yaml": lesson("base")})
    write(tmp_path / "draft", {"base.yaml": lesson("base", chapter=7)})

    report = load_lessons([tmp_path / "draft"], context=[tmp_path / "shipped"])

    assert report.problems == []
    assert [lesson.chapter for lesson in report.catalog.lessons] == [7]


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    _, problems = load_folder([tmp_path / "nowhere"])

    assert [str(p) for p in problems] == [f"{tmp_path}/nowhere: no such file or folder"]


def test_load_text_checks_one_file_without_a_file_name_rule() -> None:
    result = load_text(VALID, "upload.yaml")

    assert result.problems == []
    assert result.loaded is not None
    assert result.loaded.lesson.id == "sample"


def test_a_chapter_named_differently_by_two_lessons_is_a_problem(tmp_path: Path) -> None:
    head = "chapter: 1\ntitle: {zh: 课, en: Lesson}\nsteps:\n  - text: {zh: 你好, en: Hello}\n"
    (tmp_path / "a.yaml").write_text(f"id: a\nchapter_title: {{zh: 一, en: One}}\n{head}", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(f"id: b\nchapter_title: {{zh: 壹, en: First}}\n{head}", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(f"id: c\n{head}", encoding="utf-8")

    catalog, problems = load_folder([tmp_path])

    assert [str(p) for p in problems] == [
        f"{tmp_path}/b.yaml:2:16: chapter 1 is already named differently in {tmp_path}/a.yaml; "
        "give 'chapter_title' on one lesson of the chapter, or the same on each"
    ]
    assert catalog.chapter_title(1) == {"zh": "一", "en": "One"}
