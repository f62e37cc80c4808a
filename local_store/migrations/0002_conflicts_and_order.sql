-- Schema 2: conflict copies kept by sync, list order of the profile parts, expiry indexes.

-- When the server refuses a push because the record changed there too, the local version is kept
-- here (never overwritten) until the user chooses.

CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    table_name TEXT NOT NULL,         -- the syncable table (company_profile, sections…)
    record_uuid TEXT NOT NULL,
    local_data TEXT NOT NULL,         -- JSON of the local row when the conflict was found
    server_data TEXT,                 -- JSON of the server copy (NULL when the server deleted it)
    server_rev INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    resolved_at TEXT,                 -- set when the user kept one version
    resolution TEXT                   -- local, server or merged
);
CREATE INDEX conflicts_open ON conflicts(table_name, record_uuid) WHERE resolved_at IS NULL;

-- Expiry lookups (certifications, administrative documents) and the retention purge.
CREATE INDEX certifications_valid_to ON certifications(valid_to) WHERE deleted = 0;
CREATE INDEX admin_documents_expires ON admin_documents(expires_on) WHERE deleted = 0;
CREATE INDEX consultations_analyzed ON consultations(analyzed_at) WHERE keep_pieces = 0;

-- The order the user gave the profile's lists (references first shown first…).
ALTER TABLE certifications ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE company_references ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE equipment ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE admin_documents ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
