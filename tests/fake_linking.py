"""The fake store's part for linking accounts across platforms, in memory, with the SQL store's semantics."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.core.ports import Account, Learner, LinkCode, PlatformUser, Progress

_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def _rank(progress: Progress) -> tuple[bool, int, datetime]:
    return (progress.completed_at is not None, progress.step_index, progress.updated_at)


class FakeLinking:
    """A mixin of ``FakeSession``; link codes live in the store's ``_State.link_codes``."""

    _s: Any

    async def accounts(self, learner_id: int) -> list[Account]:
        name = self._s.learners[learner_id].display_name
        owned = [key for key, lid in self._s.accounts.items() if lid == learner_id]
        return [Account(platform, user_id, name, _EPOCH) for platform, user_id in owned]

    async def add_link_code(self, code: LinkCode) -> None:
        self._s.link_codes[code.code] = code

    async def link_code(self, code: str) -> LinkCode | None:
        found: LinkCode | None = self._s.link_codes.get(code)
        if found is not None and found.learner_id not in self._s.learners:
            return None  # the code went with its learner
        return found

    async def claim_link_code(self, code: str, at: datetime) -> bool:
        found = self._s.link_codes.get(code)
        if found is None or found.used_at is not None:
            return False
        self._s.link_codes[code] = replace(found, used_at=at)
        return True

    async def merge_learners(self, source_id: int, into_id: int) -> None:
        s = self._s
        s.accounts = {key: into_id if lid == source_id else lid for key, lid in s.accounts.items()}
        for (lid, lesson_id), theirs in list(s.progress.items()):
            if lid != source_id:
                continue
            ours = s.progress.get((into_id, lesson_id))
            best = theirs if ours is None else max(ours, theirs, key=_rank)
            started = theirs.started_at if ours is None else min(ours.started_at, theirs.started_at)
            s.progress[(into_id, lesson_id)] = replace(best, started_at=started)
            del s.progress[(source_id, lesson_id)]
        s.attempts = [(into_id if who == source_id else who, a) for who, a in s.attempts]
        s.submissions = [(into_id if who == source_id else who, x) for who, x in s.submissions]
        s.runs = [(into_id if r[0] == source_id else r[0], *r[1:]) for r in s.runs]
        for (lid, lesson_id, exercise_id), count in list(s.hints.items()):
            if lid == source_id:
                key = (into_id, lesson_id, exercise_id)
                s.hints[key] = max(count, s.hints.get(key, 0))
                del s.hints[(lid, lesson_id, exercise_id)]
        for (platform, server_id, lid), at in list(s.members.items()):
            if lid == source_id:
                s.members.setdefault((platform, server_id, into_id), at)
                del s.members[(platform, server_id, lid)]
        source, target = s.learners.pop(source_id), s.learners[into_id]
        s.learners[into_id] = replace(
            target,
            locale=target.locale or source.locale,
            current_lesson=target.current_lesson or source.current_lesson,
        )

    async def detach_account(self, learner_id: int, user: PlatformUser) -> Learner:
        s = self._s
        old = s.learners[learner_id]
        new = Learner(s.next_id, user.display_name, old.locale, old.current_lesson)
        s.next_id += 1
        s.learners[new.id] = new
        s.accounts[(user.platform, user.user_id)] = new.id
        for (lid, lesson_id), progress in list(s.progress.items()):
            if lid == learner_id:
                s.progress[(new.id, lesson_id)] = progress
        s.attempts += [(new.id, a) for who, a in s.attempts if who == learner_id]
        s.submissions += [(new.id, x) for who, x in s.submissions if who == learner_id]
        for (lid, lesson_id, exercise_id), count in list(s.hints.items()):
            if lid == learner_id:
                s.hints[(new.id, lesson_id, exercise_id)] = count
        return new
