package io.iotpay.protocol.pki;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;

/**
 * What a receiver has already accepted, asked by {@link SignedFileVerifier} to refuse replays. The
 * receiver records a file here (in its own store) only once it has used it.
 */
@FunctionalInterface
public interface AcceptedFiles {
  /** Accepts nothing ever: for a receiver that refuses replays by other means (a deny list's version). */
  AcceptedFiles NONE = (sender, kind, sequence) -> false;

  /** True when a file of {@code kind} with {@code sequence} from {@code sender} was already accepted. */
  boolean contains(PartyId sender, FileKind kind, long sequence);
}
