-- Schema 3: the candidate's prices for the buyer's price schedules (BPU, DPGF, DQE) and the
-- sub-contractors declared for a consultation.
-- One row per priced cell of a schedule piece of a consultation; the buyer's file itself stays in
-- `blobs` untouched (the export writes a filled copy). Prices never leave the machine (not synced).

CREATE TABLE price_entries (
    consultation_uuid TEXT NOT NULL REFERENCES consultations(uuid) ON DELETE CASCADE,
    piece_path TEXT NOT NULL,         -- the schedule's path inside the DCE (pieces.path)
    line_key TEXT NOT NULL,           -- "Sheet!C20": the cell where the price goes
    designation TEXT NOT NULL,        -- kept to reuse prices in another consultation
    price_label TEXT NOT NULL DEFAULT '',
    price REAL NOT NULL,              -- € HT
    updated_at TEXT NOT NULL,
    PRIMARY KEY (consultation_uuid, piece_path, line_key)
);
CREATE INDEX price_entries_designation ON price_entries(designation);

-- Sub-contractors declared for a consultation (one DC4 each). Never synced either.
CREATE TABLE subcontractors (
    uuid TEXT PRIMARY KEY,
    consultation_uuid TEXT NOT NULL REFERENCES consultations(uuid) ON DELETE CASCADE,
    data TEXT NOT NULL,               -- JSON of app.domain.subcontracting.Subcontractor
    position INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX subcontractors_consultation ON subcontractors(consultation_uuid, position);

-- The lots the company answers in a consultation, chosen by the user (DC1 never assumes "tous les
-- lots"). Kept on this machine only.
CREATE TABLE lot_choices (
    consultation_uuid TEXT PRIMARY KEY REFERENCES consultations(uuid) ON DELETE CASCADE,
    lots TEXT NOT NULL,               -- JSON list of lot numbers
    updated_at TEXT NOT NULL
);
