-- custfin's own tables: password logins, uploaded datasets, per-conversation follow-up state.
CREATE TABLE credentials (
    identifier TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One row per uploaded file of a conversation: its canonical frame is a Parquet file and its original
-- bytes a second file (kept so a mapping correction can re-read it), both under data_dir/datasets.
CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    user_identifier TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    position INT NOT NULL,
    filename TEXT NOT NULL,
    kind_override TEXT,
    mapping TEXT NOT NULL,
    dataset_kind TEXT NOT NULL,
    reports TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    parquet_path TEXT NOT NULL,
    source_path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (thread_id, position)
);

CREATE INDEX datasets_owner ON datasets (user_id, thread_id);

-- The last tool call of a conversation, so a resumed conversation answers follow-ups.
CREATE TABLE thread_state (
    thread_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
