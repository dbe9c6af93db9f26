"""Add notebooks: each learner's kept notebook cells, and when they last ran code in their notebook.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-04

Written by hand after the models (``NotebookRow``, ``NotebookCellRow``) and checked with ``alembic check``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notebooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_notebooks_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notebooks")),
        sa.UniqueConstraint("learner_id", name=op.f("uq_notebooks_learner_id")),
    )
    op.create_table(
        "notebook_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("cpu_ms", sa.Double(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_notebook_cells_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notebook_cells")),
    )
    op.create_index(op.f("ix_notebook_cells_learner_id"), "notebook_cells", ["learner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_notebook_cells_learner_id"), table_name="notebook_cells")
    op.drop_table("notebook_cells")
    op.drop_table("notebooks")
