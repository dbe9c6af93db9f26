from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser
from bot.core.replies import Code, Notice
from bot.core.tutor import Incoming, Tutor
from bot.curriculum.problems import Problem
from bot.store import SqlStore
from tests.core.conftest import Say, of_type, text_of
from tests.fakes import FakeCatalogSource, FakeSandbox

BO = PlatformUser("discord", "42", "Bo")


async def test_admin_commands_are_refused_to_non_admins(say: Say, catalog: FakeCatalogSource) -> None:
    assert "Only admins" in text_of(await say("/admin reload", user=BO))
    assert catalog.reloads == 0


async def test_admin_reload_by_spaced_or_flat_name(say: Say, catalog: FakeCatalogSource) -> None:
    await say("/admin reload", user=BO, is_admin=True)
    replies = await say("/admin_reload", user=BO, is_admin=True)
    assert catalog.reloads == 2
    assert "2 in use" in text_of(replies)


async def test_admins_from_settings_are_admins(store: SqlStore, catalog: FakeCatalogSource) -> None:
    tutor = Tutor(store, catalog, FakeSandbox(), settings=TutorSettings(admins=frozenset({"discord:42"})))
    await tutor.handle(Incoming(BO, "/admin reload"))
    assert catalog.reloads == 1


async def test_admin_reload_lists_problems(say: Say, catalog: FakeCatalogSource) -> None:
    catalog.problems = [Problem("lessons/x.yaml", 3, 5, "unknown key 'titel'")]
    replies = await say("/admin reload", is_admin=True, user=BO)
    assert of_type(replies, Notice)[0].kind == "warning"
    assert of_type(replies, Code)[0].source == "lessons/x.yaml:3:5: unknown key 'titel'"


async def test_admin_validate_reports_valid_lessons(say: Say) -> None:
    assert "valid" in text_of(await say("/admin validate", user=BO, is_admin=True))


async def test_admin_group_alone_lists_its_subcommands(say: Say) -> None:
    text = text_of(await say("/admin", user=BO, is_admin=True))
    assert "/admin reload" in text and "/admin validate" in text


async def test_help_hides_admin_commands_from_learners(say: Say) -> None:
    assert "/admin reload" not in text_of(await say("/help", user=BO))
    assert "/admin reload" in text_of(await say("/help", user=BO, is_admin=True))
