-- Device identity: manufacturer CAs trusted for just-in-time provisioning, registered devices, and
-- the envelope's per-device counter state. PostgreSQL variant; keep it in step with ../sqlite.
CREATE TABLE identity_manufacturer_ca (
  subject_dn    TEXT   NOT NULL,
  suite         TEXT   NOT NULL,
  certificate   BYTEA  NOT NULL,
  registered_ms BIGINT NOT NULL,
  PRIMARY KEY (subject_dn, suite)
);

CREATE TABLE identity_device (
  device_id         TEXT   PRIMARY KEY,
  suite             TEXT   NOT NULL,
  certificate       BYTEA  NOT NULL,
  origin            TEXT   NOT NULL,
  status            TEXT   NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
  status_reason     TEXT   NOT NULL,
  registered_ms     BIGINT NOT NULL,
  status_changed_ms BIGINT NOT NULL
);

CREATE TABLE envelope_counter (
  device_id    TEXT   PRIMARY KEY REFERENCES identity_device (device_id),
  last_counter BIGINT NOT NULL,
  message_hash BYTEA  NOT NULL,
  answer       BYTEA
);
