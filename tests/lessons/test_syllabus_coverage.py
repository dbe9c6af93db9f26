"""The shipped lessons cover the handbook's chapters 1-3, section by section, and name only real sections."""

from __future__ import annotations

import pytest

from bot.curriculum.catalog import Catalog
from bot.curriculum.loader import load_folder
from bot.resources import shipped_lessons_dir

# The sections of the PyTorch Handbook (zergtant/pytorch-handbook) that chapters 1-3 of the tutor follow.
HANDBOOK_SECTIONS: tuple[str, ...] = (
    "1.1",  # introduction to PyTorch
    "1.2",  # installing PyTorch
    "1.3.1",  # 60-minute blitz: tensors
    "1.3.2",  # 60-minute blitz: autograd
    "1.3.3",  # 60-minute blitz: neural networks
    "1.3.4",  # 60-minute blitz: training a classifier
    "1.3.5",  # 60-minute blitz: data parallelism / devices
    "1.4",  # resources
    "2.1.1",  # tensors
    "2.1.2",  # autograd
    "2.1.3",  # torch.nn and torch.optim
    "2.1.4",  # datasets and data loaders
    "2.2",  # deep learning basics, loss functions, gradient descent
    "2.3",  # neural networks and activations
    "2.4",  # convolutional networks
    "2.5",  # recurrent networks
    "3.1",  # logistic regression
    "3.2",  # CNN on MNIST
    "3.3",  # RNN: sine to cosine
)

MIN_LESSONS = 24


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


def test_every_handbook_section_is_covered(catalog: Catalog) -> None:
    covered = {section for lesson in catalog.lessons for section in lesson.syllabus}

    missing = [section for section in HANDBOOK_SECTIONS if section not in covered]

    assert missing == [], f"no shipped lesson covers handbook section(s) {', '.join(missing)}"


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
