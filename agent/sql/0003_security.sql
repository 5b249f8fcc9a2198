-- Revocable logins (agent/security/tokens.py): every login token carries its user's session version
-- and a token id. Changing a password, removing a user or adding one again bumps the version (the row
-- outlives the user, so a re-created name never accepts an old token); logging out revokes one token.
CREATE TABLE session_versions (
    identifier TEXT PRIMARY KEY,
    version INT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
