-- Schema 3: imports that commit per consultation, pieces' metadata, consent before Claude.

-- A consultation is created 'importing' and becomes 'done' in the transaction that ends its import:
-- one still 'importing' with no live import is shown "import interrompu" (Reprendre / Supprimer).
ALTER TABLE consultations ADD COLUMN import_state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE consultations ADD COLUMN import_pid INTEGER;      -- process running the import
ALTER TABLE consultations ADD COLUMN import_owner TEXT;       -- that process's identity (pid reuse proof)
ALTER TABLE consultations ADD COLUMN import_sources TEXT;     -- JSON list of the paths imported (to resume)

-- Whether DCE text of this consultation may be sent to Claude: NULL (never asked), 'granted', 'refused'.
ALTER TABLE consultations ADD COLUMN claude_consent TEXT;
ALTER TABLE consultations ADD COLUMN claude_consent_at TEXT;

-- JSON: e.g. {"original_name_hex": "..."} when the file name was not valid UTF-8.
ALTER TABLE pieces ADD COLUMN meta TEXT;

CREATE INDEX consultations_importing ON consultations(import_state) WHERE import_state <> 'done';
