"""Check message templates: their fields, and formatting that never fails whatever a check sends."""

from __future__ import annotations

import pytest

from bot.curriculum.check_messages import format_message, template_fields


def test_fields_are_the_plain_names_used() -> None:
    assert template_fields("w = {found:.3f}, want {want}; {{literal}}") == {"found", "want"}


@pytest.mark.parametrize("template", ["{0}", "{}", "{a.b}", "{a[0]}", "{a:{b}}"])
def test_field_that_is_not_a_plain_name_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match=r"field|format spec"):
        template_fields(template)


def test_unbalanced_brace_is_refused() -> None:
    with pytest.raises(ValueError):
        template_fields("x is {found")


def test_message_is_formatted_with_its_spec() -> None:
    assert format_message("w ended at {found:.3f}", {"found": 1.23456}) == "w ended at 1.235"


def test_spec_that_does_not_fit_the_value_shows_the_value_as_is() -> None:
    assert format_message("w ended at {found:.3f}", {"found": "nan"}) == "w ended at nan"


def test_missing_parameter_stays_as_written() -> None:
    assert format_message("{a} and {b}", {"a": 1}) == "1 and {b}"


def test_broken_template_is_shown_as_is() -> None:
    assert format_message("x is {found", {"found": 1}) == "x is {found"
