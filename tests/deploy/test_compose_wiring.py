"""docker-compose.yml wires the services together as README "Deploy" describes (static: no Docker engine)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.deploy import files

TUTOR_SERVICES = ("migrate", "sandbox", "bot")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return files.load_compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def _networks(service: dict[str, Any]) -> list[str]:
    networks = service.get("networks", ["default"])
    return list(networks) if isinstance(networks, dict) else networks


def _healthcheck_text(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def test_compose_defines_postgres_migrate_sandbox_and_bot(services: dict[str, Any]) -> None:
    assert set(services) == {"postgres", "migrate", "sandbox", "bot"}


def test_tutor_services_run_the_same_image(services: dict[str, Any]) -> None:
    images = {services[name]["image"] for name in TUTOR_SERVICES}
    assert len(images) == 1
    assert all(services[name]["build"]["context"] == "." for name in TUTOR_SERVICES)


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("migrate", ["db", "upgrade"]),
        ("sandbox", ["sandbox", "serve"]),
        ("bot", ["serve"]),
    ],
)
def test_each_tutor_service_runs_its_cli_command(
    services: dict[str, Any], service: str, command: list[str]
) -> None:
    assert services[service]["command"][: len(command)] == command


def test_sandbox_serves_on_all_interfaces_on_port_8060(services: dict[str, Any]) -> None:
    command = services["sandbox"]["command"]
    assert _option(command, "--host") == "0.0.0.0"
    assert _option(command, "--port") == "8060"


def test_bot_sandbox_url_points_at_the_sandbox_service_port(services: dict[str, Any]) -> None:
    url = urlsplit(services["bot"]["environment"]["TUTOR_SANDBOX__URL"])
    assert (url.scheme, url.hostname, url.path) == ("http", "sandbox", "")
    assert str(url.port) == _option(services["sandbox"]["command"], "--port")


@pytest.mark.parametrize("service", ["bot", "migrate"])
def test_database_url_points_at_postgres_with_its_credentials(services: dict[str, Any], service: str) -> None:
    url = urlsplit(services[service]["environment"]["TUTOR_DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    assert url.scheme == "postgresql+asyncpg"
    assert (url.hostname, url.port) == ("postgres", 5432)
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"]
    assert url.path == "/" + postgres["POSTGRES_DB"]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        pytest.param("postgres", {}, id="postgres"),
        pytest.param("migrate", {"postgres": "service_healthy"}, id="migrate"),
        pytest.param("sandbox", {}, id="sandbox"),
        pytest.param(
            "bot",
            {
                "postgres": "service_healthy",
                "migrate": "service_completed_successfully",
                "sandbox": "service_healthy",
            },
            id="bot",
        ),
    ],
)
def test_depends_on_waits_for_the_right_condition(
    services: dict[str, Any], service: str, expected: dict[str, str]
) -> None:
    depends_on = services[service].get("depends_on", {})
    assert isinstance(depends_on, dict), "use the long form: the short form waits for nothing"
    assert {name: spec["condition"] for name, spec in depends_on.items()} == expected


def test_every_service_waited_on_as_healthy_has_a_healthcheck(services: dict[str, Any]) -> None:
    awaited = {
        name
        for service in services.values()
        for name, spec in service.get("depends_on", {}).items()
        if spec["condition"] == "service_healthy"
    }
    assert awaited == {"postgres", "sandbox"}
    for name in awaited:
        healthcheck = services[name]["healthcheck"]
        assert healthcheck["test"] and not healthcheck.get("disable", False)


def test_postgres_healthcheck_uses_pg_isready(services: dict[str, Any]) -> None:
    assert "pg_isready" in _healthcheck_text(services["postgres"])


def test_sandbox_healthcheck_asks_healthz_on_the_served_port(services: dict[str, Any]) -> None:
    port = _option(services["sandbox"]["command"], "--port")
    assert f"http://127.0.0.1:{port}/healthz" in _healthcheck_text(services["sandbox"])


def test_bot_healthcheck_asks_healthz_on_its_metrics_port(services: dict[str, Any]) -> None:
    port = services["bot"]["environment"]["TUTOR_METRICS__PORT"]
    assert f"http://127.0.0.1:{port}/healthz" in _healthcheck_text(services["bot"])


def test_bot_metrics_listen_on_every_interface_of_its_container(services: dict[str, Any]) -> None:
    assert services["bot"]["environment"]["TUTOR_METRICS__HOST"] == "0.0.0.0"
    assert "ports" not in services["bot"]


def test_migrate_runs_once(services: dict[str, Any]) -> None:
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["healthcheck"] == {"disable": True}


@pytest.mark.parametrize("service", ["postgres", "sandbox", "bot"])
def test_long_running_services_restart_unless_stopped(services: dict[str, Any], service: str) -> None:
    assert services[service]["restart"] == "unless-stopped"


def test_internal_network_has_no_egress(compose: dict[str, Any]) -> None:
    assert compose["networks"]["internal"]["internal"] is True


@pytest.mark.parametrize("service", ["postgres", "migrate", "sandbox"])
def test_service_is_only_on_networks_without_egress(
    compose: dict[str, Any], services: dict[str, Any], service: str
) -> None:
    networks = _networks(services[service])
    assert networks, f"{service} would join the default network, which has egress"
    for name in networks:
        assert (compose["networks"].get(name) or {}).get("internal") is True, f"{service} on {name}"


def test_bot_reaches_the_internal_network_and_the_internet(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    networks = _networks(services["bot"])
    assert "internal" in networks
    assert any(not (compose["networks"].get(name) or {}).get("internal") for name in networks)


def test_no_service_publishes_a_port_on_the_host(services: dict[str, Any]) -> None:
    assert {name for name, service in services.items() if service.get("ports")} == set()


def test_postgres_keeps_its_data_on_a_named_volume(compose: dict[str, Any], services: dict[str, Any]) -> None:
    source, _, target = services["postgres"]["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert source in compose["volumes"]


def test_postgres_gets_only_its_own_settings_not_the_env_file(services: dict[str, Any]) -> None:
    assert "env_file" not in services["postgres"]
    assert set(services["postgres"]["environment"]) == {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}


def test_only_the_bot_reads_the_env_file_with_the_tokens(services: dict[str, Any]) -> None:
    assert {name for name, service in services.items() if "env_file" in service} == {"bot"}
    assert services["bot"]["env_file"] in (".env", [".env"])


def test_sandbox_replicas_default_to_two() -> None:
    env = {k: v for k, v in files.env_example_values().items() if k != "TUTOR_SANDBOX_REPLICAS"}
    assert files.load_compose(env)["services"]["sandbox"]["deploy"]["replicas"] == 2


def test_sandbox_replicas_follow_the_replicas_variable() -> None:
    env = {**files.env_example_values(), "TUTOR_SANDBOX_REPLICAS": "4"}
    assert files.load_compose(env)["services"]["sandbox"]["deploy"]["replicas"] == 4


def test_sandbox_is_scalable_without_fixed_names(services: dict[str, Any]) -> None:
    assert "container_name" not in services["sandbox"]


def test_sandbox_has_memory_cpu_and_process_limits(services: dict[str, Any]) -> None:
    sandbox = services["sandbox"]
    assert sandbox["deploy"]["resources"]["limits"]["memory"]
    assert sandbox["deploy"]["resources"]["limits"]["cpus"]
    assert 0 < sandbox["pids_limit"] <= 1024


@pytest.mark.parametrize("service", TUTOR_SERVICES)
def test_tutor_service_has_a_read_only_root_and_a_tmpfs_tmp(services: dict[str, Any], service: str) -> None:
    assert services[service]["read_only"] is True
    assert any(entry.split(":")[0] == "/tmp" for entry in services[service]["tmpfs"])


@pytest.mark.parametrize("service", TUTOR_SERVICES)
def test_tutor_service_runs_as_the_unprivileged_image_user(services: dict[str, Any], service: str) -> None:
    user = services[service]["user"].split(":")
    assert user == ["10001", "10001"]


@pytest.mark.parametrize("service", ["bot", "migrate"])
def test_tutor_service_drops_every_capability_and_gains_none(services: dict[str, Any], service: str) -> None:
    assert services[service]["cap_drop"] == ["ALL"]
    assert not services[service].get("cap_add")
    assert not services[service].get("privileged", False)
    assert "no-new-privileges:true" in services[service]["security_opt"]


def test_sandbox_keeps_only_what_newuidmap_needs_in_its_bounding_set(services: dict[str, Any]) -> None:
    sandbox = services["sandbox"]
    assert sandbox["cap_drop"] == ["ALL"]
    assert sorted(sandbox["cap_add"]) == ["SETGID", "SETUID"]
    assert not sandbox.get("privileged", False)


@pytest.mark.parametrize("service", ["bot", "migrate"])
def test_bot_and_migrate_keep_the_default_security_profiles(services: dict[str, Any], service: str) -> None:
    assert services[service]["security_opt"] == ["no-new-privileges:true"]
    for key in ("devices", "pid", "ipc", "network_mode", "userns_mode", "sysctls", "volumes"):
        assert key not in services[service], key


def test_sandbox_gets_exactly_the_grants_its_isolation_needs(services: dict[str, Any]) -> None:
    # README "Deploy" and the comments in docker-compose.yml say why each one is there.
    assert sorted(services["sandbox"]["security_opt"]) == [
        "apparmor=unconfined",
        "seccomp=./deploy/seccomp-sandbox.json",
    ]
    for key in ("devices", "pid", "ipc", "network_mode", "userns_mode", "sysctls", "volumes", "ports"):
        assert key not in services["sandbox"], key


def test_sandbox_and_bot_share_the_service_token(services: dict[str, Any]) -> None:
    raw = files.load_compose_raw()["services"]["sandbox"]["environment"]["TUTOR_SANDBOX__TOKEN"]
    assert raw.startswith("${TUTOR_SANDBOX__TOKEN:?")  # compose refuses to start without it
    assert services["bot"]["env_file"] == ".env"  # the bot reads TUTOR_SANDBOX__TOKEN from there


def test_sandbox_seccomp_profile_file_exists(services: dict[str, Any]) -> None:
    (option,) = [o for o in services["sandbox"]["security_opt"] if o.startswith("seccomp=")]
    assert (files.ROOT / option.removeprefix("seccomp=")).resolve() == files.SECCOMP_PROFILE
    assert files.SECCOMP_PROFILE.is_file()
