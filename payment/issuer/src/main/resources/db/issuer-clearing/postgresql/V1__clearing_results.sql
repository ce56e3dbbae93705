-- The issuer's answer to each presentment it applied (docs/online-clearing.md): a presentment
-- (acquirer, id) seen again is answered from here, without calling the host again, so the same
-- file applied twice gives the same results and moves nothing.
CREATE TABLE issuer_clearing_result (
  acquirer       VARCHAR(16) NOT NULL,
  presentment_id VARCHAR(40) NOT NULL,
  kind           CHAR(1)     NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  status         VARCHAR(24) NOT NULL,
  PRIMARY KEY (acquirer, presentment_id)
);
