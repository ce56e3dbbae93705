package io.iotpay.ledger.witness;

/** What {@link Witness#add} did with a checkpoint. */
public sealed interface AddResult {
  /** The witness verified the checkpoint, cosigned it and appended the cosignature to its record. */
  record Cosigned(Cosignature cosignature) implements AddResult {}

  /** The checkpoint is the one the witness cosigned last: nothing changed; its cosignature again. */
  record AlreadyCosigned(Cosignature cosignature) implements AddResult {}

  /**
   * Refused: nothing changed.
   *
   * @param reason the kind, with its C2SP status
   * @param detail the sizes, numbers or roots involved, for people
   * @param witnessTreeSize the size of the witness's last cosigned checkpoint (0 when none)
   */
  record Refused(Refusal reason, String detail, long witnessTreeSize) implements AddResult {
    /** "FORK_SAME_SIZE (409): detail". */
    public String describe() {
      return reason.name() + " (" + reason.c2spHttpStatus() + "): " + detail;
    }
  }
}
