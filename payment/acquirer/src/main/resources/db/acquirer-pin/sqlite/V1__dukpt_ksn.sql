-- Online PIN at the acquirer (docs/pin-and-dukpt.md, "The flow"). No column holds card or PIN data:
-- a KSN is the DUKPT key serial number (BDK id, device id, counter), which travels in clear in field 53.

-- Every KSN a terminal's PIN block came under; a second request under the same KSN is a replay.
CREATE TABLE pin_ksn_used (
  ksn         VARCHAR(24) PRIMARY KEY,
  terminal_id VARCHAR(8)  NOT NULL,
  used_at_ms  BIGINT      NOT NULL
);
