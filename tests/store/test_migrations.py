"""The real migrations, run through `bot.store.migrate` on each backend, match the models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, inspect, select

from bot.resources import migrations_dir
from bot.store import migrate
from bot.store.engine import create_engine, parse_url
from bot.store.models import ActivityDayRow, Base, LearnerRow

APP_TABLES = {table.name for table in Base.metadata.sorted_tables}


async def table_names(url: str) -> set[str]:
    engine = create_engine(parse_url(url))
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    return names - {"alembic_version"}


def test_migrations_have_a_single_head() -> None:
    assert len(migrate.head_revisions()) == 1


def test_alembic_config_finds_migrations_wherever_installed() -> None:
    location = migrate.alembic_config().get_main_option("script_location")

    assert location is not None
    assert Path(location) == migrations_dir()
    assert (Path(location) / "env.py").is_file()


async def test_current_is_empty_before_first_upgrade(empty_database_url: str) -> None:
    assert await migrate.current(empty_database_url) == ()


async def test_upgrade_creates_every_table_at_head(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)

    assert await migrate.current(empty_database_url) == migrate.head_revisions()
    assert await table_names(empty_database_url) == APP_TABLES


async def test_upgrade_twice_is_harmless(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    await migrate.upgrade(empty_database_url)

    assert await migrate.current(empty_database_url) == migrate.head_revisions()


async def test_upgrade_downgrade_upgrade_round_trip(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    await migrate.downgrade(empty_database_url, "base")
    assert await migrate.current(empty_database_url) == ()
    assert await table_names(empty_database_url) == set()

    await migrate.upgrade(empty_database_url)
    assert await table_names(empty_database_url) == APP_TABLES
    assert await migrate.check(empty_database_url) == []


async def test_check_finds_no_drift_at_head(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)

    assert await migrate.check(empty_database_url) == []


async def test_check_reports_database_behind_head(empty_database_url: str) -> None:
    drift = await migrate.check(empty_database_url)

    assert drift == ["Target database is not up to date."]


async def test_check_reports_table_missing_from_database(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    engine = create_engine(parse_url(empty_database_url))
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP TABLE runs")
    finally:
        await engine.dispose()

    drift = await migrate.check(empty_database_url)

    assert any(line.startswith("add_table: ") and "runs" in line for line in drift), drift


async def test_upgrade_to_0009_fills_each_learners_latest_run_of_active_days(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url, "0008")
    day = date(2026, 3, 10)
    engine = create_engine(parse_url(empty_database_url))
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(LearnerRow.__table__),
                [{"id": n, "display_name": str(n), "created_at": datetime.now(UTC)} for n in (1, 2, 3)],
            )
            await connection.execute(
                insert(ActivityDayRow.__table__),
                [{"learner_id": 1, "day": day - timedelta(days=back)} for back in (4, 0, 2, 1)]
                + [{"learner_id": 2, "day": day - timedelta(days=5)}],
            )
        await migrate.upgrade(empty_database_url)
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(LearnerRow.id, LearnerRow.streak_end, LearnerRow.streak_days).order_by(LearnerRow.id)
            )
            found = [tuple(row) for row in rows]
    finally:
        await engine.dispose()

    assert found == [(1, day, 3), (2, day - timedelta(days=5), 1), (3, None, 0)]
