"""docker-compose.yml is valid Compose: checked against the Compose Specification's JSON Schema."""

from __future__ import annotations

import jsonschema
import pytest

from tests.deploy import files

# The draft the schema declares ("http://json-schema.org/draft/2019-09/schema#", a spelling jsonschema does
# not look up by itself).
SCHEMA_DRAFT = jsonschema.Draft201909Validator


def test_compose_file_matches_the_compose_specification_schema() -> None:
    schema = files.load_schema()
    SCHEMA_DRAFT.check_schema(schema)
    errors = sorted(SCHEMA_DRAFT(schema).iter_errors(files.load_compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_schema_check_catches_an_unknown_service_key() -> None:
    compose = files.load_compose()
    compose["services"]["bot"]["privileged_mode"] = True
    with pytest.raises(jsonschema.ValidationError):
        SCHEMA_DRAFT(files.load_schema()).validate(compose)


def test_compose_file_needs_a_postgres_password() -> None:
    env = {k: v for k, v in files.env_example_values().items() if k != "POSTGRES_PASSWORD"}
    with pytest.raises(files.MissingVariableError, match="POSTGRES_PASSWORD"):
        files.load_compose(env)
