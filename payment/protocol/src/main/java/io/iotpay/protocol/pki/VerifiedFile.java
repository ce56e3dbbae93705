package io.iotpay.protocol.pki;

import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.pki.SignedFileException.Reason;

/**
 * A file whose signature {@link SignedFileVerifier} accepted: its signed claims and its signer.
 *
 * @param claims what the signature says about the file
 * @param signer the signer's certificate (chain and validity checked)
 */
public record VerifiedFile(FileClaims claims, PartyCertificate signer) {
  /**
   * The last check, once the receiver has parsed the (verified) file's header.
   *
   * @throws SignedFileException HEADER_MISMATCH when the header is not the one the signature claims
   */
  public void requireHeader(FileHeader header) {
    if (!claims.matches(header)) {
      throw new SignedFileException(Reason.HEADER_MISMATCH, "header " + header.kind().wireName() + " " + header.sender()
          + "#" + header.sequence() + " for " + header.receiver() + " on " + header.businessDate()
          + " is not the signed " + claims.kind().wireName() + " " + claims.sender() + "#" + claims.sequence()
          + " for " + claims.receiver() + " on " + claims.businessDate());
    }
  }
}
