package io.iotpay.protocol.pki;

import io.iotpay.protocol.ProtocolException;

/**
 * A signed file refused, with its typed reason (docs/signed-files.md §5). A refusal changes nothing:
 * the verifier keeps no state and the receiver has not read a byte of the file as data yet.
 */
public final class SignedFileException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why a signed file was refused, in the order the verifier checks. */
  public enum Reason {
    /** No signature file next to the file, or it cannot be read. */
    UNSIGNED,
    /** The signature file is not an iotpay signed-file COSE_Sign1 (or names another suite's algorithms). */
    MALFORMED,
    /** The certificate is not a party certificate issued by the scheme CA of this suite. */
    UNTRUSTED_CERTIFICATE,
    /** The certificate (or the CA) is outside its validity period at the file's business date. */
    EXPIRED,
    /** The signature does not verify under the certificate's key, or the file's bytes are not those signed. */
    FORGED,
    /** The file is shorter than the signed length. */
    TRUNCATED,
    /** The certificate's party is not the sender the file claims (and its role may not relay the kind). */
    WRONG_SENDER,
    /** The certificate's role may not send this kind of file. */
    ROLE_MAY_NOT_SEND,
    /** The file is addressed to another party. */
    WRONG_RECEIVER,
    /** The file is not of the kind the receiver expects here. */
    WRONG_KIND,
    /** This sender's file of this kind and sequence (or a later deny list version) was already accepted. */
    REPLAYED,
    /** A deny list version further ahead of the receiver's current one than the configured bound. */
    VERSION_JUMP,
    /** The parsed file header differs from the signed claims. */
    HEADER_MISMATCH
  }

  private final Reason reason;
  /** The verified claims of a REPLAYED file (authentic, only already accepted); null otherwise. */
  private final transient FileClaims claims;

  public SignedFileException(Reason reason, String detail) {
    this(reason, detail, (Throwable) null);
  }

  public SignedFileException(Reason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
    this.claims = null;
  }

  /** A REPLAYED refusal of an authentic file, carrying its claims (the receiver may answer "already accepted"). */
  static SignedFileException replayed(FileClaims claims, String detail) {
    return new SignedFileException(claims, detail);
  }

  private SignedFileException(FileClaims claims, String detail) {
    super(Reason.REPLAYED + ": " + detail);
    this.reason = Reason.REPLAYED;
    this.claims = claims;
  }

  /** The claims of an authentic REPLAYED file; null for every other refusal. */
  public FileClaims replayedClaims() {
    return claims;
  }

  /** Why the file was refused; never null. */
  public Reason reason() {
    return reason;
  }
}
