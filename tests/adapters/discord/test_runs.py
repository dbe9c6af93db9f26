"""Runs on Discord: the code modal, results with a graph picture, floods, hostile output, limits."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import PlatformUser
from bot.store import SqlStore
from sandbox.result import CheckResult, Graph, GraphNode, RunError, RunResult, Status, TensorInfo
from tests.adapters.discord.conftest import World, messages_of, text_of
from tests.fakes import FakeClock, FakeSandbox, figure, ok, png
from tests.store_view import learner_id


def graph_result() -> RunResult:
    return ok(
        value="tensor(3., grad_fn=<MeanBackward0>)",
        tensors=(
            TensorInfo(
                "x", (2, 2), "torch.float32", "cpu", True, True, None, "tensor([[0.25, 0.25]])", "..."
            ),
            TensorInfo("out", (), "torch.float32", "cpu", True, False, "MeanBackward0", None, "tensor(3.)"),
        ),
        graph=Graph(
            "out", (GraphNode(0, "MeanBackward0", "root"), GraphNode(1, "x", "leaf", "x", (2, 2))), ((0, 1),)
        ),
        graph_text="out  MeanBackward0\n└─ x  (2, 2)",
    )


async def test_run_without_code_opens_a_modal_and_runs_what_is_typed(
    world: World, sandbox: FakeSandbox
) -> None:
    shown = await world.user.slash("run")
    assert shown.modal is not None
    result = await world.user.submit_modal(shown, {"code": "x = 1\nprint(x)"})
    assert sandbox.requests[-1].code == "x = 1\nprint(x)"
    assert "Ran in" in text_of(result)


async def test_submit_without_code_opens_a_modal(world: World) -> None:
    shown = await world.user.slash("submit")
    assert shown.modal is not None


async def test_run_shows_tensor_table_tree_and_graph_picture(world: World, sandbox: FakeSandbox) -> None:
    sandbox.will_return(graph_result())
    result = await world.user.slash("run", code="out = x.mean()")
    callbacks = [r.json for r in world.env.http_requests if r.path.endswith("/callback")]
    assert callbacks == [{"type": 5}]  # deferred at once: the 3-second deadline never depends on the run
    message = messages_of(result)[-1]
    embed = message.embeds[0]
    fields = {field.name: field.value for field in embed.fields}
    assert "MeanBackward0" in fields["Tensors"] and "2×2" in fields["Tensors"]
    assert "└─ x" in fields["Autograd graph"]
    assert embed.image.url == "attachment://graph.png"
    assert [a.filename for a in message.attachments] == ["graph.png"]


async def test_output_flood_is_truncated_with_the_whole_attached(world: World, sandbox: FakeSandbox) -> None:
    flood = "".join(f"line {n}\n" for n in range(5000))
    sandbox.will_return(ok(stdout=flood))
    result = await world.user.slash("run", code="for n in range(5000): print('line', n)")
    message = messages_of(result)[-1]
    assert "full output is attached" in message.embeds[0].footer.text
    assert [a.filename for a in message.attachments] == ["output.txt"]
    assert all(len(m.content or "") <= 2000 for m in messages_of(result))
    assert len(message.embeds[0]) <= 6000


async def test_mentions_and_fence_escapes_in_output_are_neutralised(
    world: World, sandbox: FakeSandbox
) -> None:
    hostile = "```\n@everyone <@&1> hi\n`\u200b``\n\x1b[31mred\x1b[0m\u202e"
    sandbox.will_return(ok(stdout=hostile, value="'```'"))
    result = await world.learner.slash(world.channel, "run", code="print(...)")
    message = messages_of(result)[-1]
    body = message.embeds[0].description
    inner = body.removeprefix("```\n").removesuffix("\n```")
    assert "```" not in inner
    assert "\x1b" not in body and "\u202e" not in body
    assert "```" not in message.embeds[0].fields[0].value.removeprefix("```\n").removesuffix("\n```")
    assert not message.message.mention_everyone and not message.message.role_mentions
    sent = [r.json for r in world.env.http_requests if r.path.startswith("/webhooks/") and r.json]
    assert sent and all(body["allowed_mentions"] == {"parse": []} for body in sent)


async def test_run_rate_limit_answers_with_retry_after(world: World) -> None:
    for _ in range(3):
        await world.user.slash("run", code="1")
    result = await world.user.slash("run", code="1")
    assert "Please try again in" in text_of(result)


async def test_one_run_at_a_time_per_learner(
    world: World, sandbox: FakeSandbox, store: SqlStore, clock: FakeClock
) -> None:
    await world.user.slash("lessons")
    learner = await learner_id(store, PlatformUser("discord", str(world.user.id), "learner"))
    assert learner is not None
    # SimCord settles every action before the next, so two runs can't overlap through it: claim a run of
    # this learner as another bot process does while one runs there.
    async with store.session() as session:
        await session.runs.claim(learner, "elsewhere", clock(), clock() + timedelta(minutes=1))
    result = await world.user.slash("run", code="1")
    assert "still running" in text_of(result)
    assert sandbox.requests == []


async def test_run_in_a_channel_not_allowed_by_the_server_is_refused(
    world: World, sandbox: FakeSandbox
) -> None:
    other = world.guild.create_text_channel("off-topic")
    await world.admin.slash(world.channel, "admin channels", action="add", channel=world.channel)
    refused = await world.learner.slash(other, "run", code="1")
    assert "Code doesn't run in this channel" in text_of(refused)
    allowed = await world.learner.slash(world.channel, "run", code="1")
    assert "Ran in" in text_of(allowed)
    assert len(sandbox.requests) == 1


async def test_sandbox_off_refuses_runs_in_that_server(world: World, sandbox: FakeSandbox) -> None:
    await world.admin.slash(world.channel, "admin sandbox", state="off")
    result = await world.learner.slash(world.channel, "run", code="1")
    assert "turned off on this server" in text_of(result)
    assert sandbox.requests == []


async def test_run_attaches_each_figure_as_a_png_file(world: World, sandbox: FakeSandbox) -> None:
    first, second = png(marker=b"first"), png(marker=b"second")
    sandbox.will_return(ok(figures=(figure(first), figure(second))))
    result = await world.learner.slash(world.channel, "run", code="plt.plot([1, 2]); plt.figure()")
    message = messages_of(result)[-1]
    assert [a.filename for a in message.attachments] == ["figure-1.png", "figure-2.png"]
    assert [await a.read() for a in message.attachments] == [first, second]


async def test_notebook_lists_drops_and_explains_a_bad_cell_number(
    world: World, sandbox: FakeSandbox
) -> None:
    await world.user.slash("run", code="a = torch.randn(2)")
    await world.user.slash("run", code="b = a * 2")

    listed = text_of(await world.user.slash("notebook"))
    assert "1. `a = torch.randn(2)`" in listed and "2. `b = a * 2`" in listed
    refused = text_of(await world.user.slash("notebook", action="drop", n=5))
    assert "There's no cell 5" in refused
    dropped = text_of(await world.user.slash("notebook", action="drop", n=1))
    assert "Dropped cell 1 (`a = torch.randn(2)`)" in dropped

    await world.user.slash("run", code="b")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["b = a * 2"]


async def test_code_options_and_forms_are_run_as_typed_backticks_and_all(
    world: World, sandbox: FakeSandbox
) -> None:
    code = "print('```\\n**bold** @here')"
    await world.user.slash("run", code=code)
    shown = await world.user.slash("run")
    await world.user.submit_modal(shown, {"code": "```\nprint(1)\n```"})
    assert [request.code for request in sandbox.requests] == [code, "```\nprint(1)\n```"]


async def test_a_failed_submission_states_the_check_message_once(world: World, sandbox: FakeSandbox) -> None:
    await world.user.slash("lesson", lesson="tensor-basics")
    for _ in range(4):
        await world.user.slash("next")
    sandbox.will_return(ok(check=CheckResult(passed=False, message="z should be all zeros")))

    submitted = await world.user.slash("submit", code="z = torch.ones(2)")

    assert text_of(submitted).count("z should be all zeros") == 1


async def test_a_limit_is_stated_once(world: World, sandbox: FakeSandbox) -> None:
    message = "Time limit of 5 s reached"
    sandbox.will_return(
        RunResult(status=Status.TIMEOUT, stdout=f"tick\n{message}\n", error=RunError("timeout", message))
    )

    result = await world.user.slash("run", code="while True: print('tick')")

    assert text_of(result).count(message) == 1
