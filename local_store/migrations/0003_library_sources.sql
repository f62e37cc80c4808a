-- Schema 3: library blocks imported from past mémoires, the drafting index, requirements moved by hand.

-- Where an imported block comes from (file name, the mémoire's date, the old consultation's buyer,
-- object and site as JSON) and the hash of its text at import: importing the file again adds nothing.
ALTER TABLE library_blocks ADD COLUMN source_file TEXT;
ALTER TABLE library_blocks ADD COLUMN source_date TEXT;
ALTER TABLE library_blocks ADD COLUMN source_facts TEXT;
ALTER TABLE library_blocks ADD COLUMN content_hash TEXT;
CREATE INDEX library_blocks_hash ON library_blocks(content_hash) WHERE content_hash IS NOT NULL;

-- Pictures of imported blocks: their content is in blobs (once per SHA-256), the body says
-- "[[IMAGE:sha256]]" where each one stands. Listed here so that the retention purge keeps them.
CREATE TABLE library_images (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL
);

-- Drafting index: the blocks' words folded and reduced to a light French stem (plural and common
-- endings), so "interventions" meets "intervention" and "sécurité" meets "securite". Filled from
-- Python (the stem is not SQL), kept in step with library_blocks by (rowid, updated_at).
CREATE VIRTUAL TABLE library_fts_norm USING fts5(title, tags, body, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE library_fts_norm_state (
    block_rowid INTEGER PRIMARY KEY,
    updated_at TEXT NOT NULL
);

-- A requirement the user moved to another section of the mémoire (Exigences tab). The requirement is
-- known by the hash of its folded text, which stays the same when the DCE is read again.
CREATE TABLE requirement_moves (
    consultation_uuid TEXT NOT NULL,
    lot INTEGER NOT NULL DEFAULT 0,
    requirement_hash TEXT NOT NULL,
    section_key TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (consultation_uuid, lot, requirement_hash)
);
