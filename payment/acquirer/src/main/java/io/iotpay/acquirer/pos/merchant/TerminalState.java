package io.iotpay.acquirer.pos.merchant;

/** A terminal's state: ACTIVE from enrolment; BLOCKED (by the operator now, by risk sensing later) is final. */
public enum TerminalState {
  ACTIVE,
  BLOCKED
}
