"""The first released schema (version 1), frozen as the DDL it was created with.

`actionplan migrate` is tested from this schema: a test builds a version-1
database from these statements, fills it with data and migrates it. Never edit
this file; a schema change is a new step in `migrations.py` and a bumped
`schema.SCHEMA_VERSION`.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

SCHEMA_VERSION = 1

#: CREATE statements per SQLAlchemy dialect name, separated by `;` at line ends.
DDL: dict[str, str] = {
    "sqlite": """
CREATE TABLE complaints (
    id VARCHAR(64) NOT NULL,
    stage VARCHAR(16) NOT NULL,
    received_on DATE NOT NULL,
    theme TEXT,
    outcome VARCHAR(16) NOT NULL,
    decided_on DATE,
    remedy_due DATE,
    remedy_done_on DATE,
    escalated_from VARCHAR(64),
    learning TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY(escalated_from) REFERENCES complaints (id)
);
CREATE INDEX ix_complaints_received_on ON complaints (received_on);
CREATE TABLE compliments (
    id VARCHAR(64) NOT NULL,
    received_on DATE NOT NULL,
    team TEXT,
    summary TEXT,
    PRIMARY KEY (id)
);
CREATE INDEX ix_compliments_received_on ON compliments (received_on);
CREATE TABLE meta (
    "key" VARCHAR(64) NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY ("key")
);
CREATE TABLE sources (
    id VARCHAR(64) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    title TEXT NOT NULL,
    reference TEXT,
    received_on DATE,
    PRIMARY KEY (id)
);
CREATE TABLE recommendations (
    id VARCHAR(64) NOT NULL,
    source_id VARCHAR(64) NOT NULL,
    text TEXT NOT NULL,
    theme TEXT,
    quality_statement TEXT,
    priority VARCHAR(16),
    PRIMARY KEY (id),
    FOREIGN KEY(source_id) REFERENCES sources (id)
);
CREATE INDEX ix_recommendations_source_id ON recommendations (source_id);
CREATE TABLE actions (
    id VARCHAR(64) NOT NULL,
    recommendation_id VARCHAR(64) NOT NULL,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    team TEXT,
    description TEXT,
    start_on DATE,
    due DATE NOT NULL,
    baseline_due DATE NOT NULL,
    status VARCHAR(16) NOT NULL,
    progress INTEGER NOT NULL,
    created_on DATE NOT NULL,
    completed_on DATE,
    success_measure TEXT,
    evidence TEXT,
    version INTEGER NOT NULL,
    last_updated DATETIME NOT NULL,
    last_updated_by TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(recommendation_id) REFERENCES recommendations (id)
);
CREATE INDEX ix_actions_owner ON actions (owner);
CREATE INDEX ix_actions_recommendation ON actions (recommendation_id);
CREATE TABLE complaint_actions (
    complaint_id VARCHAR(64) NOT NULL,
    action_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (complaint_id, action_id),
    FOREIGN KEY(complaint_id) REFERENCES complaints (id),
    FOREIGN KEY(action_id) REFERENCES actions (id)
);
CREATE TABLE updates (
    seq INTEGER NOT NULL,
    action_id VARCHAR(64) NOT NULL,
    version INTEGER NOT NULL,
    kind VARCHAR(8) NOT NULL,
    "by" TEXT NOT NULL,
    recorded_at DATETIME NOT NULL,
    as_of DATE NOT NULL,
    reason TEXT,
    note TEXT,
    changes TEXT NOT NULL,
    title TEXT,
    owner TEXT,
    team TEXT,
    description TEXT,
    start_on DATE,
    due DATE,
    status VARCHAR(16),
    progress INTEGER,
    completed_on DATE,
    success_measure TEXT,
    evidence TEXT,
    PRIMARY KEY (seq),
    CONSTRAINT uq_updates_action_version UNIQUE (action_id, version),
    FOREIGN KEY(action_id) REFERENCES actions (id)
);
CREATE INDEX ix_updates_as_of ON updates (as_of);
""",
    "postgresql": """
CREATE TABLE complaints (
    id VARCHAR(64) NOT NULL,
    stage VARCHAR(16) NOT NULL,
    received_on DATE NOT NULL,
    theme TEXT,
    outcome VARCHAR(16) NOT NULL,
    decided_on DATE,
    remedy_due DATE,
    remedy_done_on DATE,
    escalated_from VARCHAR(64),
    learning TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY(escalated_from) REFERENCES complaints (id)
);
CREATE INDEX ix_complaints_received_on ON complaints (received_on);
CREATE TABLE compliments (
    id VARCHAR(64) NOT NULL,
    received_on DATE NOT NULL,
    team TEXT,
    summary TEXT,
    PRIMARY KEY (id)
);
CREATE INDEX ix_compliments_received_on ON compliments (received_on);
CREATE TABLE meta (
    key VARCHAR(64) NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (key)
);
CREATE TABLE sources (
    id VARCHAR(64) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    title TEXT NOT NULL,
    reference TEXT,
    received_on DATE,
    PRIMARY KEY (id)
);
CREATE TABLE recommendations (
    id VARCHAR(64) NOT NULL,
    source_id VARCHAR(64) NOT NULL,
    text TEXT NOT NULL,
    theme TEXT,
    quality_statement TEXT,
    priority VARCHAR(16),
    PRIMARY KEY (id),
    FOREIGN KEY(source_id) REFERENCES sources (id)
);
CREATE INDEX ix_recommendations_source_id ON recommendations (source_id);
CREATE TABLE actions (
    id VARCHAR(64) NOT NULL,
    recommendation_id VARCHAR(64) NOT NULL,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    team TEXT,
    description TEXT,
    start_on DATE,
    due DATE NOT NULL,
    baseline_due DATE NOT NULL,
    status VARCHAR(16) NOT NULL,
    progress INTEGER NOT NULL,
    created_on DATE NOT NULL,
    completed_on DATE,
    success_measure TEXT,
    evidence TEXT,
    version INTEGER NOT NULL,
    last_updated TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    last_updated_by TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(recommendation_id) REFERENCES recommendations (id)
);
CREATE INDEX ix_actions_owner ON actions (owner);
CREATE INDEX ix_actions_recommendation ON actions (recommendation_id);
CREATE TABLE complaint_actions (
    complaint_id VARCHAR(64) NOT NULL,
    action_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (complaint_id, action_id),
    FOREIGN KEY(complaint_id) REFERENCES complaints (id),
    FOREIGN KEY(action_id) REFERENCES actions (id)
);
CREATE TABLE updates (
    seq SERIAL NOT NULL,
    action_id VARCHAR(64) NOT NULL,
    version INTEGER NOT NULL,
    kind VARCHAR(8) NOT NULL,
    by TEXT NOT NULL,
    recorded_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    as_of DATE NOT NULL,
    reason TEXT,
    note TEXT,
    changes TEXT NOT NULL,
    title TEXT,
    owner TEXT,
    team TEXT,
    description TEXT,
    start_on DATE,
    due DATE,
    status VARCHAR(16),
    progress INTEGER,
    completed_on DATE,
    success_measure TEXT,
    evidence TEXT,
    PRIMARY KEY (seq),
    CONSTRAINT uq_updates_action_version UNIQUE (action_id, version),
    FOREIGN KEY(action_id) REFERENCES actions (id)
);
CREATE INDEX ix_updates_as_of ON updates (as_of);
""",
}


def statements(dialect: str) -> list[str]:
    """The version-1 CREATE statements for one dialect, one string each."""
    return [part.strip().rstrip(";") for part in DDL[dialect].split(";\n") if part.strip()]


def create(conn: Connection, council: str = "Westbury Council", first_month: int = 4) -> None:
    """Make an empty database into a version-1 plan, as `actionplan init` did then."""
    for statement in statements(conn.dialect.name):
        conn.exec_driver_sql(statement)
    conn.execute(
        text('INSERT INTO meta ("key", value) VALUES (:key, :value)'),
        [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "council", "value": council},
            {"key": "first_month", "value": str(first_month)},
        ],
    )
