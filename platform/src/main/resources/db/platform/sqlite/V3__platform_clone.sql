-- Clone suspicions (docs/platform-decisions.md): one row per device ever suspected, holding its latest
-- suspicion and the operator's verdict (CLEARED, CONFIRMED), and that suspicion's evidence: the
-- conflicting signed messages or positions, each with when and from where, at most
-- cloneEvidenceRowsMax rows per device (DeviceStateConfig, default 32; later ones are only counted in
-- evidence_dropped). A suspicion is written before the device is shown as suspected, so no payment is
-- declined on evidence a restart would forget. A new suspicion after a clearing replaces the row and
-- its evidence; the clearing, with its evidence, stays in the audit log. SQLite variant; keep it in
-- step with ../postgresql.
CREATE TABLE platform_clone_suspicion (
  device_id            TEXT    PRIMARY KEY,
  status               TEXT    NOT NULL CHECK (status IN ('SUSPECTED', 'CLEARED', 'CONFIRMED')),
  summary              TEXT    NOT NULL,   -- what, when, from where, in one line
  suspected_at_ms      INTEGER NOT NULL,
  evidence_dropped     INTEGER NOT NULL,   -- conflicting observations not kept: the evidence was full
  verdict_at_ms        INTEGER,            -- null while SUSPECTED
  verdict_reason       TEXT,
  verdict_audit_index  INTEGER             -- the verdict's audit leaf, when the node keeps an audit log
);

CREATE TABLE platform_clone_evidence (
  device_id  TEXT    NOT NULL REFERENCES platform_clone_suspicion (device_id),
  seq        INTEGER NOT NULL,   -- 0 .. cloneEvidenceRowsMax - 1, oldest first
  kind       TEXT    NOT NULL CHECK (kind IN ('MESSAGE', 'POSITION')),
  at_ms      INTEGER NOT NULL,
  place      TEXT    NOT NULL,   -- a sender's place (address without port, or session), or "lat,lon"
  session    TEXT    NOT NULL,
  counter    INTEGER NOT NULL,   -- the message's chip counter; -1 for a position
  PRIMARY KEY (device_id, seq)
);
