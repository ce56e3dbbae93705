-- Device identity: manufacturer CAs trusted for just-in-time provisioning, registered devices, and
-- the envelope's per-device counter state. SQLite variant; keep it in step with ../postgresql.
CREATE TABLE identity_manufacturer_ca (
  subject_dn    TEXT    NOT NULL,
  suite         TEXT    NOT NULL,
  certificate   BLOB    NOT NULL,
  registered_ms INTEGER NOT NULL,
  PRIMARY KEY (subject_dn, suite)
);

CREATE TABLE identity_device (
  device_id         TEXT    PRIMARY KEY,
  suite             TEXT    NOT NULL,
  certificate       BLOB    NOT NULL,
  origin            TEXT    NOT NULL,
  status            TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
  status_reason     TEXT    NOT NULL,
  registered_ms     INTEGER NOT NULL,
  status_changed_ms INTEGER NOT NULL
);

-- Last accepted envelope per device: counter, SHA-256 of the exact message bytes (to recognise
-- a duplicate) and the signed answer sent (repeated for duplicates; NULL while processing).
CREATE TABLE envelope_counter (
  device_id    TEXT    PRIMARY KEY REFERENCES identity_device (device_id),
  last_counter INTEGER NOT NULL,
  message_hash BLOB    NOT NULL,
  answer       BLOB
);
