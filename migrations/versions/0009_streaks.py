"""Keep each learner's latest run of consecutive active days on the learner, for the dashboard's streaks.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Written by hand after the models and checked with ``alembic check``. The run is filled in from the active
days already recorded: the days of each learner are read newest first, and the run ends at the first gap.
"""

from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("learners") as batch:
        batch.add_column(sa.Column("streak_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("streak_days", sa.Integer(), server_default="0", nullable=False))
    op.create_index("ix_learners_streak_end", "learners", ["streak_end"])
    _fill_runs()


def _fill_runs() -> None:
    """Set every learner's latest run from their active days."""
    bind = op.get_bind()
    days = sa.table("activity_days", sa.column("learner_id", sa.Integer()), sa.column("day", sa.Date()))
    learners = sa.table(
        "learners",
        sa.column("id", sa.Integer()),
        sa.column("streak_end", sa.Date()),
        sa.column("streak_days", sa.Integer()),
    )
    change = (
        sa.update(learners)
        .where(learners.c.id == sa.bindparam("learner"))
        .values(streak_end=sa.bindparam("end"), streak_days=sa.bindparam("length"))
    )
    rows = bind.execute(
        sa.select(days.c.learner_id, days.c.day).order_by(days.c.learner_id, days.c.day.desc())
    )
    runs: dict[int, tuple[date, int]] = {}
    ended: set[int] = set()  # learners whose run met a gap: older days do not count
    for learner, day in rows:
        found = runs.get(learner)
        if found is None:
            runs[learner] = (day, 1)
        elif learner not in ended and day == found[0] - timedelta(days=found[1]):
            runs[learner] = (found[0], found[1] + 1)
        else:
            ended.add(learner)
    values = [{"learner": k, "end": end, "length": length} for k, (end, length) in runs.items()]
    for start in range(0, len(values), _BATCH):
        bind.execute(change, values[start : start + _BATCH])


def downgrade() -> None:
    op.drop_index("ix_learners_streak_end", table_name="learners")
    with op.batch_alter_table("learners") as batch:
        batch.drop_column("streak_days")
        batch.drop_column("streak_end")
