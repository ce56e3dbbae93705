-- Signed files a party has accepted (docs/signed-files.md §4): a file of the same sender, kind,
-- business date and sequence is refused as REPLAYED. One table per database, keyed by the receiving party.
CREATE TABLE signed_file_accepted (
  receiver      VARCHAR(16) NOT NULL,
  sender        VARCHAR(16) NOT NULL,
  kind          VARCHAR(16) NOT NULL,
  file_sequence BIGINT      NOT NULL,
  signer        VARCHAR(16) NOT NULL,
  business_date VARCHAR(10) NOT NULL,
  PRIMARY KEY (receiver, sender, kind, business_date, file_sequence)
);
