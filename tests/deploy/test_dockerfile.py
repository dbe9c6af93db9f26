"""The Dockerfile builds a wheel, then a slim CPU-only runtime that runs as an unprivileged user."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from tests.deploy import files

CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.fixture(scope="module")
def stages() -> list[files.Stage]:
    return files.dockerfile_stages()


@pytest.fixture(scope="module")
def runtime(stages: list[files.Stage]) -> files.Stage:
    return stages[-1]


def _runs(stage: files.Stage) -> str:
    return "\n".join(i.arguments for i in stage.find("RUN"))


def test_parser_joins_continuations_and_resolves_global_args() -> None:
    text = "ARG BASE=python:3.11-slim\nFROM ${BASE} AS one\nRUN a \\\n  # note\n  && b\nFROM one\nUSER 1:1\n"
    first, second = files.dockerfile_stages(text)
    assert (first.base, first.name, second.base, second.name) == ("python:3.11-slim", "one", "one", None)
    assert first.find("RUN")[0].arguments == "a && b"


def test_dockerfile_is_multi_stage(stages: list[files.Stage]) -> None:
    assert len(stages) >= 2
    assert stages[0].name == "builder"


def test_both_stages_start_from_python_3_11_slim(stages: list[files.Stage]) -> None:
    assert {stage.base for stage in stages} == {"python:3.11-slim"}


def test_builder_stage_builds_a_wheel_of_the_project(stages: list[files.Stage]) -> None:
    assert re.search(r"pip wheel --no-deps .*\.$|python -m build --wheel", _runs(stages[0]), re.MULTILINE)


def test_builder_copies_everything_the_wheel_packages(stages: list[files.Stage]) -> None:
    copied = {word for i in stages[0].find("COPY") for word in i.words()[:-1]}
    pyproject = tomllib.loads((files.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", pyproject["project"]["readme"], *wheel["packages"], *wheel["force-include"]}
    assert needed <= copied


def test_runtime_installs_the_wheel_built_by_the_builder(runtime: files.Stage) -> None:
    assert any("from=builder" in i.arguments and ".whl" in i.arguments for i in runtime.find("RUN"))


def test_runtime_installs_cpu_only_torch_at_the_pinned_version(runtime: files.Stage) -> None:
    assert re.search(rf"pip install --index-url {re.escape(CPU_INDEX)} torch==2\.13\.0\b", _runs(runtime))


def test_torch_pin_matches_pyproject(runtime: files.Stage) -> None:
    pyproject = tomllib.loads((files.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [d for d in pyproject["project"]["dependencies"] if d.startswith("torch")]
    assert pin.replace(" ", "") in _runs(runtime)


def test_torch_is_installed_before_the_wheel_so_pip_keeps_the_cpu_build(runtime: files.Stage) -> None:
    runs = [i.arguments for i in runtime.find("RUN")]
    torch_at = next(n for n, text in enumerate(runs) if CPU_INDEX in text)
    wheel_at = next(n for n, text in enumerate(runs) if ".whl" in text)
    assert torch_at < wheel_at


def test_no_torchvision_or_cuda_packages() -> None:
    text = files.DOCKERFILE.read_text(encoding="utf-8").lower()
    assert "torchvision" not in text
    assert "nvidia" not in text and "cu12" not in text


@pytest.mark.parametrize("package", ["graphviz", "libseccomp2", "uidmap"])
def test_runtime_installs_debian_package(runtime: files.Stage, package: str) -> None:
    assert re.search(rf"apt-get install [^\n]*\b{package}\b", _runs(runtime))


def test_the_image_user_has_a_subordinate_range_for_the_sandbox_children(runtime: files.Stage) -> None:
    runs = _runs(runtime)
    assert 'echo "tutor:20000:40000" > /etc/subuid' in runs
    assert 'echo "tutor:20000:40000" > /etc/subgid' in runs


def test_runtime_cleans_the_apt_lists(runtime: files.Stage) -> None:
    assert "rm -rf /var/lib/apt/lists/*" in _runs(runtime)


def test_final_user_is_the_unprivileged_numeric_tutor_user(runtime: files.Stage) -> None:
    user = runtime.find("USER")[-1].arguments
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) >= 1000, "numeric, so Kubernetes can verify runAsNonRoot"
    assert gid.isdigit() and int(gid) != 0
    assert re.search(rf"useradd --uid {uid}\b", _runs(runtime))


def test_image_has_a_healthcheck(runtime: files.Stage) -> None:
    (healthcheck,) = runtime.find("HEALTHCHECK")
    assert " CMD " in f" {healthcheck.arguments} "
    assert healthcheck.arguments.split(" CMD ", 1)[1].strip().startswith("[")


def test_healthcheck_script_is_installed_where_the_healthcheck_runs_it(runtime: files.Stage) -> None:
    (copy,) = [i for i in runtime.find("COPY") if "deploy/healthcheck.py" in i.arguments]
    assert copy.words()[-1] == "/usr/local/bin/tutor-healthcheck"
    assert "--chmod=0755" in copy.words()


def test_entrypoint_is_tutor_and_the_default_command_runs_the_bot(runtime: files.Stage) -> None:
    assert json.loads(runtime.find("ENTRYPOINT")[-1].arguments) == ["tutor"]
    assert json.loads(runtime.find("CMD")[-1].arguments) == ["serve"]


def test_version_is_a_build_argument_labelled_on_the_image(runtime: files.Stage) -> None:
    assert any(i.arguments.startswith("VERSION=") for i in runtime.find("ARG"))
    assert any('org.opencontainers.image.version="${VERSION}"' in i.arguments for i in runtime.find("LABEL"))


@pytest.mark.parametrize("pattern", [".env", ".git", ".venv", "*.db", "tests"])
def test_dockerignore_keeps_secrets_and_local_state_out_of_the_context(pattern: str) -> None:
    assert pattern in files.DOCKERIGNORE.read_text(encoding="utf-8").split()
