"""Daily reminders: claimed once, sent through the platform's sender, quiet when not needed or blocked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.ports import PlatformUser
from bot.core.reminders import DeliveryStatus, Reminder
from bot.core.replies import Buttons
from bot.core.tutor import Tutor
from tests.core.conftest import Say, text_of
from tests.fakes import FakeClock, FakeSandbox

TG = PlatformUser("telegram", "42", "Tia")
DC = PlatformUser("discord", "7", "Bo")
EVENING = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)


class Sender:
    def __init__(self, status: DeliveryStatus = "sent") -> None:
        self.sent: list[Reminder] = []
        self.status = status

    async def send_reminder(self, reminder: Reminder) -> DeliveryStatus:
        self.sent.append(reminder)
        return self.status


async def set_up(say: Say, clock: FakeClock, user: PlatformUser = TG) -> None:
    clock.now = EVENING - timedelta(hours=1)
    await say("/remind on 19:00", user=user)


async def test_a_due_reminder_is_sent_to_the_account_that_asked(
    say: Say, tutor: Tutor, clock: FakeClock
) -> None:
    await set_up(say, clock)
    sender = Sender()
    assert await tutor.send_reminders({"telegram": sender}) == 0  # not yet

    clock.now = EVENING
    assert await tutor.send_reminders({"telegram": sender}) == 1

    (reminder,) = sender.sent
    assert (reminder.platform, reminder.user_id, reminder.locale) == ("telegram", "42", "en")
    assert "Time to practise" in text_of(list(reminder.replies))
    assert "/remind off" in text_of(list(reminder.replies))


async def test_a_reminder_is_sent_once_a_day(say: Say, tutor: Tutor, clock: FakeClock) -> None:
    await set_up(say, clock)
    sender = Sender()
    clock.now = EVENING
    await tutor.send_reminders({"telegram": sender})
    clock.advance(600)
    await tutor.send_reminders({"telegram": sender})
    assert len(sender.sent) == 1

    clock.now = EVENING + timedelta(days=1)
    await tutor.send_reminders({"telegram": sender})
    assert len(sender.sent) == 2


async def test_two_tutors_on_one_store_send_a_reminder_once(
    say: Say, tutor: Tutor, store, catalog, clock: FakeClock
) -> None:
    other = Tutor(store, catalog, FakeSandbox(), settings=tutor.settings, clock=clock)
    await set_up(say, clock)
    first, second = Sender(), Sender()
    clock.now = EVENING

    await tutor.send_reminders({"telegram": first})
    await other.send_reminders({"telegram": second})

    assert len(first.sent) + len(second.sent) == 1


async def test_only_the_reminders_of_the_served_platforms_are_sent(
    say: Say, tutor: Tutor, clock: FakeClock
) -> None:
    await set_up(say, clock, DC)
    telegram = Sender()
    clock.now = EVENING
    assert await tutor.send_reminders({"telegram": telegram}) == 0
    discord = Sender()
    assert await tutor.send_reminders({"discord": discord}) == 1


async def test_a_blocked_learners_reminder_is_turned_off(say: Say, tutor: Tutor, clock: FakeClock) -> None:
    await set_up(say, clock)
    blocked = Sender("blocked")
    clock.now = EVENING
    await tutor.send_reminders({"telegram": blocked})

    clock.now = EVENING + timedelta(days=1)
    await tutor.send_reminders({"telegram": blocked})

    assert len(blocked.sent) == 1
    assert "off" in text_of(await say("/remind", user=TG))


async def test_a_learner_active_today_with_nothing_due_is_not_disturbed(
    say: Say, tutor: Tutor, clock: FakeClock
) -> None:
    await set_up(say, clock)
    await say("/lesson tensor-basics", user=TG)
    await say("/next", user=TG)
    sender = Sender()
    clock.now = EVENING

    assert await tutor.send_reminders({"telegram": sender}) == 0
    assert sender.sent == []


async def test_a_reminder_with_questions_due_offers_practice(
    say: Say, tutor: Tutor, clock: FakeClock
) -> None:
    await set_up(say, clock)
    await say("/lesson tensor-basics", user=TG)
    await say("/next", user=TG)
    await say("/next", user=TG)
    await say("/answer 1", user=TG)
    sender = Sender()
    clock.now = EVENING

    await tutor.send_reminders({"telegram": sender})

    replies = list(sender.sent[0].replies)
    assert "1 question you missed is due again" in text_of(replies)
    assert [b.action for r in replies if isinstance(r, Buttons) for b in r.buttons] == ["practice"]


async def test_a_reminder_found_hours_late_is_skipped_not_sent(
    say: Say, tutor: Tutor, clock: FakeClock
) -> None:
    await set_up(say, clock)
    sender = Sender()
    clock.now = EVENING + timedelta(hours=3)

    assert await tutor.send_reminders({"telegram": sender}) == 0
    clock.now = EVENING + timedelta(days=1)
    assert await tutor.send_reminders({"telegram": sender}) == 1


async def test_a_failing_sender_does_not_stop_the_others(say: Say, tutor: Tutor, clock: FakeClock) -> None:
    class Broken:
        async def send_reminder(self, reminder: Reminder) -> DeliveryStatus:
            raise RuntimeError("network down")

    await set_up(say, clock)
    await set_up(say, clock, DC)
    discord = Sender()
    clock.now = EVENING

    assert await tutor.send_reminders({"telegram": Broken(), "discord": discord}) == 1
