"""houses and evidence: safety-house contact and working area, named coverage, municipal policy evidence

A safety house gains the organisation's website, general phone and e-mail and the working area as its source
words it; the coverage basis `explicit` becomes `named` (the source names the municipality); a municipality
gains `policy_evidence`, the public documents that show its approach (a JSON list).

Revision ID: 0006
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0007"
branch_labels = depends_on = None

HOUSE_COLUMNS = (
    ("working_area", sa.Text()),
    ("website", sa.String(length=500)),
    ("phone", sa.String(length=40)),
    ("email", sa.String(length=200)),
)
CHECK = "ck_safety_house_coverage_coverage_basis"


def _basis(*values: str) -> sa.Enum:
    return sa.Enum(*values, name="coverage_basis", native_enum=False, create_constraint=True, length=32)


def _rename_basis(old: str, new: str, before: tuple[str, ...], after: tuple[str, ...]) -> None:
    """Swap the allowed coverage values (a CHECK constraint) and rename `old` to `new` in the rows."""
    coverage = sa.table("safety_house_coverage", sa.column("basis", sa.String))
    if op.get_bind().dialect.name == "sqlite":  # SQLite cannot alter a CHECK: rebuild the table
        with op.batch_alter_table("safety_house_coverage", recreate="always") as batch_op:
            batch_op.alter_column("basis", existing_type=_basis(*before), type_=_basis(*before, new),
                                  existing_nullable=False)
        op.execute(coverage.update().where(coverage.c.basis == old).values(basis=new))
        with op.batch_alter_table("safety_house_coverage", recreate="always") as batch_op:
            batch_op.alter_column("basis", existing_type=_basis(*before, new), type_=_basis(*after),
                                  existing_nullable=False)
        return
    op.drop_constraint(op.f(CHECK), "safety_house_coverage", type_="check")
    op.execute(coverage.update().where(coverage.c.basis == old).values(basis=new))
    op.create_check_constraint("coverage_basis", "safety_house_coverage",
                               sa.column("basis").in_(after))


def upgrade() -> None:
    with op.batch_alter_table("safety_houses", schema=None) as batch_op:
        for name, type_ in HOUSE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("policy_evidence", sa.JSON(), nullable=False, server_default="[]"))
    _rename_basis("explicit", "named", ("explicit", "region"), ("named", "region"))


def downgrade() -> None:
    _rename_basis("named", "explicit", ("named", "region"), ("explicit", "region"))
    # Plain DROP COLUMN (SQLite >= 3.35): rebuilding these tables would break the foreign keys that point at them.
    op.execute("ALTER TABLE municipalities DROP COLUMN policy_evidence")
    for name, _type in reversed(HOUSE_COLUMNS):
        op.execute(f"ALTER TABLE safety_houses DROP COLUMN {name}")
