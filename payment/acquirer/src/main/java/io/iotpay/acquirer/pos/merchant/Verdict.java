package io.iotpay.acquirer.pos.merchant;

/** The outcome of one automatic check. */
public enum Verdict {
  PASS,
  FAIL,
  /** The check could not decide (e.g. the bank did not answer): a human decides. */
  UNDECIDED
}
