"""The shipped lessons follow the handbook section by section: every section of the chapters taught so far
has a lesson, and lessons name only real sections. ``coverage_table`` lists all of chapters 1-5."""

from __future__ import annotations

import pytest

from bot.curriculum.catalog import Catalog
from bot.curriculum.loader import load_folder
from bot.resources import shipped_lessons_dir

# The sections of the PyTorch Handbook (zergtant/pytorch-handbook), chapters 1-5.
HANDBOOK_SECTIONS: dict[str, str] = {
    "1.1": "introduction to PyTorch",
    "1.2": "installing PyTorch",
    "1.3.1": "60-minute blitz: tensors",
    "1.3.2": "60-minute blitz: autograd",
    "1.3.3": "60-minute blitz: neural networks",
    "1.3.4": "60-minute blitz: training a classifier",
    "1.3.5": "60-minute blitz: data parallelism / devices",
    "1.4": "resources",
    "2.1.1": "tensors",
    "2.1.2": "autograd",
    "2.1.3": "torch.nn and torch.optim",
    "2.1.4": "datasets and data loaders",
    "2.2": "deep learning basics, loss functions, gradient descent",
    "2.3": "neural networks and activations",
    "2.4": "convolutional networks",
    "2.5": "recurrent networks",
    "3.1": "logistic regression",
    "3.2": "CNN on MNIST",
    "3.3": "RNN: sine to cosine",
    "4.1": "fine-tuning",
    "4.2.1": "visualization: watching training (visdom)",
    "4.2.2": "visualization: watching training (TensorBoardX)",
    "4.2.3": "visualization: understanding CNNs",
    "4.3": "fast.ai's training ideas",
    "4.4": "training techniques",
    "4.5": "multi-GPU training",
    "5.1": "Kaggle",
    "5.2": "structured data",
    "5.3": "computer vision: Fashion-MNIST",
    "5.4": "natural language processing",
    "5.5": "collaborative filtering",
}

# Every chapter of the handbook is taught: each of its sections must have a lesson.
TAUGHT_CHAPTERS = ("1", "2", "3", "4", "5")

MIN_LESSONS = 48


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog, problems = load_folder([shipped_lessons_dir()])
    assert [str(p) for p in problems] == []
    return catalog


def test_shipped_catalog_has_no_problems() -> None:
    # The loader checks prerequisites (known ids, no cycles), so every lesson is reachable from one
    # that requires nothing.
    _, problems = load_folder([shipped_lessons_dir()])

    assert [str(p) for p in problems] == []


def coverage(catalog: Catalog) -> dict[str, list[str]]:
    """Return the ids of the lessons covering each handbook section, in the handbook's order."""
    return {
        section: [lesson.id for lesson in catalog.lessons if section in lesson.syllabus]
        for section in HANDBOOK_SECTIONS
    }


def coverage_table(catalog: Catalog) -> str:
    """Return one line per section of chapters 1-5: number, topic and the lessons that teach it."""
    return "\n".join(
        f"{section:<6} {HANDBOOK_SECTIONS[section]:<55} {', '.join(ids) or '(no lesson yet)'}"
        for section, ids in coverage(catalog).items()
    )


def test_every_section_of_the_taught_chapters_has_a_lesson(catalog: Catalog) -> None:
    missing = [
        section
        for section, ids in coverage(catalog).items()
        if section.split(".")[0] in TAUGHT_CHAPTERS and not ids
    ]

    assert missing == [], f"sections without a lesson: {', '.join(missing)}\n{coverage_table(catalog)}"


def test_coverage_table_lists_every_section_of_chapters_1_to_5(catalog: Catalog) -> None:
    lines = coverage_table(catalog).splitlines()

    assert [line.split()[0] for line in lines] == list(HANDBOOK_SECTIONS)
    assert {section.split(".")[0] for section in HANDBOOK_SECTIONS} == {"1", "2", "3", "4", "5"}


def test_every_syllabus_entry_is_a_known_section(catalog: Catalog) -> None:
    unknown = [
        f"{lesson.id}: {section!r}"
        for lesson in catalog.lessons
        for section in lesson.syllabus
        if section not in HANDBOOK_SECTIONS
    ]

    assert unknown == [], f"syllabus entries that are not handbook sections: {', '.join(unknown)}"


def test_catalog_is_big_enough(catalog: Catalog) -> None:
    assert len(catalog.lessons) >= MIN_LESSONS


def test_prerequisites_lead_back_to_a_lesson_without_requirements(catalog: Catalog) -> None:
    by_id = {lesson.id: lesson for lesson in catalog.lessons}
    roots = {lesson_id for lesson_id, lesson in by_id.items() if not lesson.requires}
    assert roots

    for lesson_id in by_id:
        seen: set[str] = set()
        todo = [lesson_id]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(by_id[current].requires)
        assert seen & roots, f"{lesson_id} does not lead back to a lesson without requirements"
