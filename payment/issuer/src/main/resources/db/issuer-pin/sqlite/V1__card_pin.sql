-- Online PIN at the issuer (docs/pin-and-dukpt.md, "The flow"). The card is its keyed PAN hash; the
-- reference PIN is a format 4 block under the PIN verification key in the key custody (hex), which
-- only the custody can open. No column holds a PAN or a clear PIN.
CREATE TABLE issuer_card_pin (
  pan_hash      VARCHAR(64) PRIMARY KEY,
  reference_pin VARCHAR(32) NOT NULL,
  pvk_label     VARCHAR(64) NOT NULL,
  pvk_version   INTEGER     NOT NULL,
  tries_left    INTEGER     NOT NULL,
  verified      BIGINT      NOT NULL,
  failed        BIGINT      NOT NULL
);
