"""seed baselines: what each record last received from the seed files or an import

`kennisbank seed` and `kennisbank import` compare three ways per field (the file, this baseline, the record as it
is now), so a field a curator changed since the last seed is kept rather than reverted.

Revision ID: 0008
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0008", "0005"
branch_labels = depends_on = None


def upgrade() -> None:
    op.create_table(
        "seed_baselines",
        sa.Column("collection", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("collection", "record_id", name=op.f("pk_seed_baselines")),
    )


def downgrade() -> None:
    op.drop_table("seed_baselines")
