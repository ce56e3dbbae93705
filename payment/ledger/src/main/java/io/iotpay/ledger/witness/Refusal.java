package io.iotpay.ledger.witness;

/**
 * Why a witness refused to cosign, as data: each reason with the HTTP status a C2SP tlog-witness
 * {@code add-checkpoint} endpoint answers for the same case (c2sp.org/tlog-witness, "add-checkpoint"),
 * so an HTTP front end can map them one to one, and a description for people.
 */
public enum Refusal {
  UNKNOWN_LOG(404, "the checkpoint is not from the log this witness serves (other key id or suite)"),
  LOG_SIGNATURE_INVALID(403, "the log's signature on the checkpoint does not verify under the log key the witness was given"),
  BAD_OLD_SIZE(400, "the proof's old size is larger than the checkpoint's size"),
  REPLAY(409, "the checkpoint is older than one the witness already cosigned (a replayed checkpoint)"),
  ROLLBACK(409, "the checkpoint's tree is smaller than one the witness already cosigned (a rollback or truncation)"),
  OLD_SIZE_MISMATCH(409, "the proof starts from a size other than the one the witness last cosigned"),
  NUMBER_REUSED(409, "the checkpoint has the number of the one the witness cosigned but other content (a fork)"),
  FORK_SAME_SIZE(409, "the checkpoint has the size of one the witness cosigned but another root (a fork)"),
  FORK_PROOF_INVALID(422, "the consistency proof from the witness's last cosigned checkpoint does not verify (a fork)");

  private final int c2spHttpStatus;
  private final String description;

  Refusal(int c2spHttpStatus, String description) {
    this.c2spHttpStatus = c2spHttpStatus;
    this.description = description;
  }

  /** The status a C2SP tlog-witness answers in the same case. */
  public int c2spHttpStatus() {
    return c2spHttpStatus;
  }

  public String description() {
    return description;
  }
}
