from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser, ServerSettings
from bot.core.replies import Notice, RunOutput
from bot.core.tutor import Incoming, ServerRef, Tutor
from bot.curriculum.model import Lesson
from bot.store import SqlStore
from sandbox.client import SandboxBusyError
from sandbox.result import Graph, GraphNode, RunError, RunRequest, RunResult, Status
from tests import store_view
from tests.core.conftest import USER, Say, of_type, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox, ok


def name_error(name: str) -> RunResult:
    return RunResult(
        status=Status.ERROR, error=RunError("NameError", f"name '{name}' is not defined", line=1)
    )


async def test_run_sends_the_code_and_shows_the_result(say: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(ok(stdout="2\n", duration_ms=12.4))
    replies = await say("/run print(1 + 1)")
    (request,) = sandbox.requests
    assert (request.code, request.cells, request.setup, request.check) == ("print(1 + 1)", (), None, None)
    (output,) = of_type(replies, RunOutput)
    assert output.result.stdout == "2\n"
    assert output.headline == "Ran in 12 ms."


async def test_run_takes_code_from_a_fenced_block_on_the_next_line(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run\n```python\nx = 1\nprint(x)\n```")
    assert sandbox.requests[0].code == "x = 1\nprint(x)"


async def test_run_records_each_run_in_the_store(say: Say, store: SqlStore) -> None:
    await say("/run 1")
    assert [(status, duration) for _, status, duration in await store_view.runs(store)] == [("ok", 3.0)]


async def test_run_without_code_runs_the_current_code_step_with_its_setup(
    say: Say, sandbox: FakeSandbox
) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    await say("/run")
    assert sandbox.requests == [RunRequest(code="x = torch.ones(2, 2)\nx", setup="import torch")]


async def test_run_without_code_elsewhere_explains_how(say: Say, sandbox: FakeSandbox) -> None:
    assert "/run print(1 + 1)" in text_of(await say("/run"))
    assert sandbox.requests == []


async def test_run_button_runs_that_steps_code(tutor: Tutor, sandbox: FakeSandbox) -> None:
    await tutor.action(USER, "run:tensor-basics:first-tensor")
    assert sandbox.requests[0].setup == "import torch"


async def test_stale_run_button_is_explained(tutor: Tutor, sandbox: FakeSandbox) -> None:
    replies = await tutor.action(USER, "run:tensor-basics:no-such-step")
    assert "changed" in text_of(replies)
    assert sandbox.requests == []


async def test_name_from_an_earlier_run_gets_a_fresh_start_hint_in_a_lesson_step(
    tutor: Tutor, say: Say, sandbox: FakeSandbox
) -> None:
    await say("/run x = torch.ones(2)")
    sandbox.will_return(name_error("x"))
    replies = await tutor.action(USER, "run:tensor-basics:first-tensor")
    assert "Each run starts fresh" in text_of(replies)
    assert "`x`" in text_of(replies)


async def test_name_from_a_run_the_notebook_did_not_keep_gets_a_notebook_hint(
    say: Say, sandbox: FakeSandbox
) -> None:
    sandbox.will_return(name_error("torch_missing"))
    await say("/run x = torch_missing.ones(2)")
    sandbox.will_return(name_error("x"))
    replies = await say("/run x * 2")
    assert "your notebook doesn't keep" in text_of(replies)
    assert "starts fresh" not in text_of(replies)


async def test_name_never_defined_gets_no_fresh_start_hint(say: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(name_error("y"))
    assert "starts fresh" not in text_of(await say("/run y"))


async def test_module_used_without_import_gets_the_import_line(say: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(name_error("math"))
    replies = await say("/run math.pi")
    assert "`import math`" in text_of(replies)
    assert "notebook then keeps it" in text_of(replies)


async def test_internal_sandbox_failure_is_an_apology(say: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(RunResult(status=Status.INTERNAL))
    replies = await say("/run 1")
    assert replies == [Notice(replies[0].text, "error")]  # type: ignore[union-attr]
    assert "Sorry" in text_of(replies)


async def test_busy_sandbox_says_when_to_retry(say: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(SandboxBusyError(retry_after=2.2))
    assert "try again in 3 s" in text_of(await say("/run 1"))


async def test_error_headline_names_the_exception_and_line(say: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(name_error("q"))
    (output,) = of_type(await say("/run q"), RunOutput)
    assert output.headline == "Your code raised NameError on line 1."


async def test_run_rate_limit_replies_retry_after(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    tutor = Tutor(store, catalog, sandbox, settings=TutorSettings(runs_per_minute=2), clock=clock)
    await tutor.handle(Incoming(USER, "/run 1"))
    clock.advance(10)
    await tutor.handle(Incoming(USER, "/run 2"))
    clock.advance(5)
    replies = await tutor.handle(Incoming(USER, "/run 3"))
    assert "try again in 45 s" in text_of(replies)
    assert len(sandbox.requests) == 2
    clock.advance(46)
    assert of_type(await tutor.handle(Incoming(USER, "/run 4")), RunOutput)


async def test_run_rate_limit_counts_runs_of_other_processes(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    settings = TutorSettings(runs_per_minute=1)
    await Tutor(store, catalog, sandbox, settings=settings, clock=clock).handle(Incoming(USER, "/run 1"))
    other_process = Tutor(store, catalog, sandbox, settings=settings, clock=clock)
    replies = await other_process.handle(Incoming(USER, "/run 2"))
    assert "try again in 60 s" in text_of(replies)


async def test_one_run_at_a_time_per_learner(
    store: SqlStore, catalog: FakeCatalogSource, clock: FakeClock
) -> None:
    import asyncio

    entered, release = asyncio.Event(), asyncio.Event()

    class SlowSandbox(FakeSandbox):
        async def run(self, request: RunRequest) -> RunResult:
            entered.set()
            await release.wait()
            return await super().run(request)

    tutor = Tutor(store, catalog, SlowSandbox(), clock=clock)
    first = asyncio.create_task(tutor.handle(Incoming(USER, "/run 1")))
    await asyncio.wait_for(entered.wait(), 5)
    second = await asyncio.wait_for(tutor.handle(Incoming(USER, "/run 2")), 5)
    release.set()
    assert "still running" in text_of(second)
    assert of_type(await first, RunOutput)


async def test_runs_disabled_on_a_server_are_refused(say: Say, store: SqlStore, sandbox: FakeSandbox) -> None:
    await store_view.save_server(store, ServerSettings("discord", "g1", sandbox_enabled=False))
    user = PlatformUser("discord", "42", "Bo")
    replies = await say("/run 1", user=user, server=ServerRef("discord", "g1"))
    assert "turned off" in text_of(replies)
    assert sandbox.requests == []


async def test_graph_is_rendered_when_a_renderer_is_given(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox
) -> None:
    graph = Graph(root="y", nodes=(GraphNode(0, "AddBackward0", "root", "y"),), edges=())
    sandbox.will_return(ok(graph=graph))
    tutor = Tutor(store, catalog, sandbox, render_graph=lambda g: b"PNG:" + g.root.encode())
    (output,) = of_type(await tutor.handle(Incoming(USER, "/run y = x + 2")), RunOutput)
    assert output.graph_png == b"PNG:y"


def question_lesson() -> Lesson:
    """A lesson whose questions show code: a quiz, then a numeric question."""
    question = {"zh": "它打印什么？", "en": "What does it print?"}
    return Lesson.model_validate(
        {
            "id": "predict",
            "chapter": 1,
            "title": {"zh": "预测", "en": "Predict"},
            "steps": [
                {
                    "id": "quiz",
                    "quiz": {
                        "question": question,
                        "code": "print(2 * 3)",
                        "options": [
                            {"text": {"zh": "6", "en": "6"}, "correct": True},
                            {"text": {"zh": "5", "en": "5"}},
                        ],
                    },
                },
                {"id": "number", "numeric": {"question": question, "code": "print(2 ** 3)", "answer": 8}},
                {"text": {"zh": "完。", "en": "Done."}},
            ],
        }
    )


async def test_bare_run_on_a_question_runs_the_code_it_shows(store: SqlStore, sandbox: FakeSandbox) -> None:
    tutor = Tutor(store, FakeCatalogSource([question_lesson()]), sandbox)
    for line in ("/lesson predict", "/run", "/next", "/run", "/next", "/run"):
        await tutor.handle(Incoming(USER, line))
    assert [request.code for request in sandbox.requests] == ["print(2 * 3)", "print(2 ** 3)"]


async def test_a_fence_inside_a_string_literal_is_code(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run print('```\\n**bold** @here')")
    assert [request.code for request in sandbox.requests] == ["print('```\\n**bold** @here')"]


async def test_typed_code_options_are_code_as_they_stand(tutor: Tutor, sandbox: FakeSandbox) -> None:
    # A slash option or a form field holds nothing but code: its backticks are the learner's.
    await tutor.invoke(USER, "run", {"code": "```\nprint(1)\n```"})
    assert [request.code for request in sandbox.requests] == ["```\nprint(1)\n```"]
