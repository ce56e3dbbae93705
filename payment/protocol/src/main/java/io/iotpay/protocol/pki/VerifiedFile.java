package io.iotpay.protocol.pki;

import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.pki.SignedFileException.Reason;

/**
 * A file whose signature {@link SignedFileVerifier} accepted: its signed claims and its signer.
 *
 * @param claims what the signature says about the file
 * @param signer the signer's certificate (chain and validity checked)
 * @param digest the file's digest under the verifier's suite, as signed and as the file was read
 *     (checked equal): what a receiver may keep to name the exact file it took
 */
public record VerifiedFile(FileClaims claims, PartyCertificate signer, byte[] digest) {
  public VerifiedFile {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

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

  /**
   * For a kind more than one role may send (an online presentment file comes from an acquirer to the
   * switch but from the switch to an issuer): the signer must be of {@code role}.
   *
   * @throws SignedFileException WRONG_SENDER when the signer is of another role
   */
  public void requireSignerRole(PartyRole role) {
    if (signer.role() != role) {
      throw new SignedFileException(Reason.WRONG_SENDER, claims.kind().wireName() + " signed by " + signer.party()
          + " (" + signer.role() + "), only a party of role " + role + " sends it here");
    }
  }
}
