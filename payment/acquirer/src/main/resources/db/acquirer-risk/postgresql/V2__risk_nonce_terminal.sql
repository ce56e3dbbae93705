-- Nonces are bounded per terminal (TerminalRiskService.NONCES_OUTSTANDING_MAX) and a terminal's expired
-- ones are forgotten when it asks for the next: both look a terminal's nonces up by issue time.
CREATE INDEX risk_nonce_terminal ON risk_nonce (terminal_id, issued_at_ms);
