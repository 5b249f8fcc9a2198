-- Mapping corrections remembered per user (issue 13): a file whose normalised header list hashes to
-- header_signature gets this mapping ({source column: canonical}, JSON) and table kind when uploaded again.
CREATE TABLE mapping_memory (
    user_id TEXT NOT NULL,
    header_signature TEXT NOT NULL,
    mapping TEXT NOT NULL,
    kind TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, header_signature)
);
