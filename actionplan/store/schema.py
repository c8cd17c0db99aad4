"""The database tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

`updates` is the record: one row per event, never updated or deleted. `actions`
holds each action's current state as a cache of replaying its events; the store
rewrites it on every save from that replay, so the two cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: Bumped whenever a table changes; `migrations` knows how to get from each older one.
#: 1: the first release (frozen in `schema_v1`). 2: `ix_updates_action_asof`, the
#: `schema_migrations` log, and no `ix_actions_owner`. 3: `commentary`. 4: `people`
#: and `people_history`. 5: complaints' procedures, deadlines and Ombudsman
#: decisions, and `cqc_scores`. 6: `update_requests`. 7: `evidence`.
SCHEMA_VERSION = 7

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("reference", Text),
    Column("received_on", Date),
)

recommendations = Table(
    "recommendations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("theme", Text),
    Column("quality_statement", Text),
    Column("priority", String(16)),
)

actions = Table(
    "actions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("recommendation_id", String(64), ForeignKey("recommendations.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("team", Text),
    Column("description", Text),
    Column("start_on", Date),
    Column("due", Date, nullable=False),
    Column("baseline_due", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("progress", Integer, nullable=False),
    Column("created_on", Date, nullable=False),
    Column("completed_on", Date),
    Column("success_measure", Text),
    Column("evidence", Text),
    Column("version", Integer, nullable=False),
    Column("last_updated", DateTime, nullable=False),
    Column("last_updated_by", Text, nullable=False),
    Index("ix_actions_recommendation", "recommendation_id"),
    # Schema 1 also indexed `owner`; schema 2 dropped it: no query filters on it
    # in SQL, and PostgreSQL refuses to index text over ~2.7 KB, so a long owner
    # (pasted text) could not be saved there.
)

updates = Table(
    "updates",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("action_id", String(64), ForeignKey("actions.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("by", Text, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("reason", Text),
    Column("note", Text),
    Column("changes", Text, nullable=False),
    Column("title", Text),
    Column("owner", Text),
    Column("team", Text),
    Column("description", Text),
    Column("start_on", Date),
    Column("due", Date),
    Column("status", String(16)),
    Column("progress", Integer),
    Column("completed_on", Date),
    Column("success_measure", Text),
    Column("evidence", Text),
    UniqueConstraint("action_id", "version", name="uq_updates_action_version"),
    Index("ix_updates_as_of", "as_of"),
    # Schema 2: one action's events up to a date (a save's replay, history views).
    Index("ix_updates_action_asof", "action_id", "as_of"),
)

#: Schema 2: one row per migration `actionplan migrate` applied, for the audit trail.
schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

complaints = Table(
    "complaints",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("stage", String(16), nullable=False),
    Column("received_on", Date, nullable=False, index=True),
    Column("theme", Text),
    Column("outcome", String(16), nullable=False),
    Column("decided_on", Date),
    Column("remedy_due", Date),
    Column("remedy_done_on", Date),
    Column("escalated_from", String(64), ForeignKey("complaints.id")),
    Column("learning", Text),
    # Schema 5 (SPEC section 10): the procedure and its deadlines, and the Ombudsman's case.
    Column("procedure", String(16), nullable=False),
    Column("acknowledged_on", Date),
    Column("response_due", Date),
    Column("responded_on", Date),
    Column("extended_to", Date),
    Column("extension_reason", Text),
    Column("lgsco_reference", String(16)),
    Column("lgsco_decision", String(32)),
    Column("remedied_before_ombudsman", String(3)),
)

complaint_actions = Table(
    "complaint_actions",
    metadata,
    Column("complaint_id", String(64), ForeignKey("complaints.id"), primary_key=True),
    Column("action_id", String(64), ForeignKey("actions.id"), primary_key=True),
)

#: Schema 5: a CQC assessment's score (1 to 4) for each quality statement it scored.
cqc_scores = Table(
    "cqc_scores",
    metadata,
    Column("source_id", String(64), ForeignKey("sources.id"), primary_key=True),
    Column("quality_statement", String(64), primary_key=True),
    Column("score", Integer, nullable=False),
)

compliments = Table(
    "compliments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("received_on", Date, nullable=False, index=True),
    Column("team", Text),
    Column("summary", Text),
)

#: Schema 3: the quarter's commentary, an overview and a note per report
#: section. Append-only like `updates`: a save adds the next version of its
#: quarter and section (named by the version it was based on, so two managers
#: cannot overwrite each other), and the report shows the latest.
commentary = Table(
    "commentary",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("quarter", String(16), nullable=False),
    Column("section", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("by", Text, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("quarter", "section", "version", name="uq_commentary_version"),
)

#: Schema 4: the people of a team and their roles (SPEC section 7). `people` is
#: each person as they stand (a cache, like `actions`), rewritten with every
#: change; `people_history` is the record: one row per registration or change,
#: never updated or deleted. A password is kept only as a scrypt hash, and its
#: history row says that it changed, never the hash.
people = Table(
    "people",
    metadata,
    Column("login", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("owns", Text),
    Column("team", Text),
    Column("email", Text),
    Column("active", Boolean, nullable=False),
    Column("password_hash", Text),
    Column("version", Integer, nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Column("changed_by", Text, nullable=False),
)

people_history = Table(
    "people_history",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("login", String(64), ForeignKey("people.login"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("by", Text, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("changes", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("owns", Text),
    Column("team", Text),
    Column("email", Text),
    Column("active", Boolean, nullable=False),
    UniqueConstraint("login", "version", name="uq_people_history_version"),
)

#: Schema 6: every update request sent (SPEC section 9): to whom, when, which
#: actions, and the day asked to reply by. Append-only: the log of who was asked.
update_requests = Table(
    "update_requests",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("sent_at", DateTime, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("action_ids", Text, nullable=False),
    Column("reply_by", Date, nullable=False),
    Column("subject", Text, nullable=False),
    Column("by", Text, nullable=False),
)

#: Schema 7 (SPEC section 8): evidence that an action did what it set out to.
#: Never deleted: a wrong item is marked withdrawn, with who, when and why. A
#: file is kept in the plan itself (`content`, at most 20 MB) with its SHA-256,
#: checked whenever it is read back. Verifications, rejections and due-date
#: requests are events in `updates` (`assurance` names their kinds).
evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", String(64), ForeignKey("actions.id"), nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("link", Text),
    Column("filename", Text),
    Column("size", Integer),
    Column("sha256", String(64)),
    Column("content", LargeBinary),
    Column("added_by", Text, nullable=False),
    Column("added_on", Date, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("withdrawn_by", Text),
    Column("withdrawn_at", DateTime),
    Column("withdrawn_reason", Text),
)
