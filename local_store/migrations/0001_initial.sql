-- Maître AO local store, schema 1.
-- Syncable tables carry: uuid (client-made), updated_at (UTC ISO), server_rev (last revision seen
-- from the server, 0 = never synced), dirty (edited since last push), deleted (tombstone),
-- sync_opt_out (the user keeps this record on this machine only).

CREATE TABLE company_profile (
    uuid TEXT PRIMARY KEY,
    data TEXT NOT NULL,               -- JSON of the identity fields of app.domain.profile.CompanyProfile
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE certifications (
    uuid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    valid_to TEXT,                    -- copied from data for expiry queries
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE company_references (
    uuid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE staff (                  -- moyens humains
    uuid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE equipment (              -- moyens matériels
    uuid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE admin_documents (        -- K-bis, attestations…
    uuid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_on TEXT,
    blob_sha256 TEXT REFERENCES blobs(sha256),
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE library_blocks (
    uuid TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',    -- comma-separated
    body TEXT NOT NULL DEFAULT '',
    reviewed_on TEXT,                 -- last review date (ISO)
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE VIRTUAL TABLE library_fts USING fts5(
    title, tags, body, content='library_blocks', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER library_ai AFTER INSERT ON library_blocks BEGIN
    INSERT INTO library_fts(rowid, title, tags, body) VALUES (new.rowid, new.title, new.tags, new.body);
END;
CREATE TRIGGER library_ad AFTER DELETE ON library_blocks BEGIN
    INSERT INTO library_fts(library_fts, rowid, title, tags, body) VALUES ('delete', old.rowid, old.title, old.tags, old.body);
END;
CREATE TRIGGER library_au AFTER UPDATE ON library_blocks BEGIN
    INSERT INTO library_fts(library_fts, rowid, title, tags, body) VALUES ('delete', old.rowid, old.title, old.tags, old.body);
    INSERT INTO library_fts(rowid, title, tags, body) VALUES (new.rowid, new.title, new.tags, new.body);
END;

CREATE TABLE consultations (
    uuid TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    buyer TEXT,
    reference TEXT,
    deadline TEXT,                    -- ISO 8601 with offset
    questions_deadline TEXT,
    site_visit_date TEXT,
    status TEXT NOT NULL DEFAULT 'a_analyser',  -- a_analyser, en_cours, deposee, gagnee, perdue
    source_name TEXT,                 -- ZIP or folder name imported
    created_at TEXT NOT NULL,
    analyzed_at TEXT,                 -- retention clock for the DCE pieces
    keep_pieces INTEGER NOT NULL DEFAULT 0,   -- user asked to keep the DCE beyond the retention period
    pieces_purged_at TEXT,
    sync_sections INTEGER NOT NULL DEFAULT 0, -- user turned on mémoire sync for this consultation
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

-- File contents, stored once per SHA-256.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);

-- Text extracted from a blob, once per content hash (re-import costs nothing).
CREATE TABLE extractions (
    sha256 TEXT PRIMARY KEY,          -- not a foreign key: kept while any piece needs it
    format TEXT NOT NULL,             -- pdf, docx, xlsx, odt, ods, unread
    paged INTEGER NOT NULL DEFAULT 1,
    page_count INTEGER NOT NULL DEFAULT 0,
    ocr_pages INTEGER NOT NULL DEFAULT 0,
    unread_reason TEXT,
    error TEXT,
    extracted_at TEXT NOT NULL
);

CREATE TABLE page_texts (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES extractions(sha256) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    text TEXT NOT NULL,
    needs_ocr INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sha256, page)
);

CREATE VIRTUAL TABLE page_fts USING fts5(
    text, content='page_texts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER page_ai AFTER INSERT ON page_texts BEGIN
    INSERT INTO page_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER page_ad AFTER DELETE ON page_texts BEGIN
    INSERT INTO page_fts(page_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE pieces (
    id INTEGER PRIMARY KEY,
    consultation_uuid TEXT NOT NULL REFERENCES consultations(uuid) ON DELETE CASCADE,
    path TEXT NOT NULL,               -- '/'-separated path inside the DCE
    kind TEXT NOT NULL,
    kind_manual INTEGER NOT NULL DEFAULT 0,   -- kind changed by the user
    sha256 TEXT REFERENCES blobs(sha256),     -- NULL once purged (retention)
    size INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    UNIQUE (consultation_uuid, path)
);
CREATE INDEX pieces_sha ON pieces(sha256);

CREATE TABLE analyses (
    id INTEGER PRIMARY KEY,
    consultation_uuid TEXT NOT NULL REFERENCES consultations(uuid) ON DELETE CASCADE,
    engine TEXT NOT NULL,
    created_at TEXT NOT NULL,
    result TEXT NOT NULL              -- JSON of app.domain.analysis.Analysis
);
CREATE INDEX analyses_consultation ON analyses(consultation_uuid, created_at);

-- Values corrected by hand in the Synthèse tab: kept over any re-analysis.
CREATE TABLE analysis_overrides (
    consultation_uuid TEXT NOT NULL REFERENCES consultations(uuid) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,              -- JSON
    updated_at TEXT NOT NULL,
    PRIMARY KEY (consultation_uuid, field)
);

CREATE TABLE proposals (              -- one answer (mémoire) per consultation and lot
    uuid TEXT PRIMARY KEY,
    consultation_uuid TEXT NOT NULL REFERENCES consultations(uuid) ON DELETE CASCADE,
    lot INTEGER,
    title TEXT NOT NULL DEFAULT 'Mémoire technique',
    outline_source TEXT NOT NULL DEFAULT 'criteria',   -- cadre_reponse or criteria
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sections (
    uuid TEXT PRIMARY KEY,
    proposal_uuid TEXT NOT NULL REFERENCES proposals(uuid) ON DELETE CASCADE,
    parent_uuid TEXT,
    position INTEGER NOT NULL,
    level INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    criterion TEXT,                   -- criterion/sub-criterion or cadre question it answers
    weight_percent REAL,
    body TEXT NOT NULL DEFAULT '',    -- the text (HTML subset from the editor, or plain text)
    engine TEXT,                      -- offline, claude, manual
    updated_at TEXT NOT NULL,
    server_rev INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    sync_opt_out INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sections_proposal ON sections(proposal_uuid, position);

CREATE TABLE ai_usage (
    id INTEGER PRIMARY KEY,
    consultation_uuid TEXT,           -- NULL for calls outside a consultation
    at TEXT NOT NULL,
    purpose TEXT NOT NULL,            -- extraction, drafting, repair
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cost_eur REAL NOT NULL DEFAULT 0
);
CREATE INDEX ai_usage_consultation ON ai_usage(consultation_uuid, at);

CREATE TABLE kv (                     -- small internal state (sync cursor, store metadata)
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
