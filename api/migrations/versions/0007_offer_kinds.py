"""offer kinds: approach kinds helpline, reporting-point, knowledge-base and guidance; organisation kinds
implementing-organisation and reporting-point; organisation scope international

The kinds are enum columns stored as VARCHAR with a CHECK constraint (see api/models/base.enum_column), so this
migration replaces three CHECK constraints: in place on PostgreSQL, by recreating the table on SQLite (batch mode;
api.migrate switches SQLite's foreign-key enforcement off for the run and checks every reference at its end).
The value lists are written out here because a migration must not import the application's models.

Revision ID: 0007
Revises: 0008
"""

from alembic import op

revision, down_revision = "0007", "0008"
branch_labels = depends_on = None

APPROACH_KINDS = ("training", "learning-network", "advice", "toolkit", "case-consultation", "information-programme",
                  "funding")
ORGANISATION_KINDS = ("government", "training-institute", "expertise-centre", "knowledge-institute", "association",
                      "network", "partnership")
SCOPES = ("national", "police-unit", "safety-region", "municipality")

# table -> [(constraint name, column, values before this revision, values added by it)]
CHANGES = {
    "approaches": [
        ("ck_approaches_approach_kind", "kind", APPROACH_KINDS,
         ("helpline", "reporting-point", "knowledge-base", "guidance")),
    ],
    "organisations": [
        ("ck_organisations_organisation_kind", "kind", ORGANISATION_KINDS,
         ("implementing-organisation", "reporting-point")),
        ("ck_organisations_scope", "scope", SCOPES, ("international",)),
    ],
}


def _check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace(after: bool) -> None:
    for table, changes in CHANGES.items():
        with op.batch_alter_table(table, schema=None, recreate="auto") as batch_op:
            for name, column, before, added in changes:
                batch_op.drop_constraint(op.f(name), type_="check")
                batch_op.create_check_constraint(op.f(name), _check(column, before + added if after else before))


def upgrade() -> None:
    _replace(after=True)


# A downgrade maps each value added here onto the nearest older one, so the old constraints hold again.
DOWNGRADE_MAP = {
    ("approaches", "kind"): {"helpline": "advice", "reporting-point": "advice", "knowledge-base": "toolkit",
                             "guidance": "advice"},
    ("organisations", "kind"): {"implementing-organisation": "government", "reporting-point": "expertise-centre"},
    ("organisations", "scope"): {"international": "national"},
}


def downgrade() -> None:
    for (table, column), mapping in DOWNGRADE_MAP.items():
        for new, old in mapping.items():
            op.execute(f"UPDATE {table} SET {column} = '{old}' WHERE {column} = '{new}'")
    _replace(after=False)
