package io.iotpay.protocol.iso8583;

/** The bounds of the ISO 8583 contract, in one place; docs/iso8583.md says why each is what it is. */
public final class Iso8583Limits {
  private Iso8583Limits() {}

  /**
   * Longest message (without the 2-byte length header): our largest, an 0100 with a 255-byte
   * field 55 (513 hex characters with its header) and every other field full, is under 800
   * bytes; 2,048 leaves room without letting a peer make us buffer much.
   */
  public static final int MESSAGE_BYTES_MAX = 2048;

  /** Largest ICC data (field 55) in bytes: EMV's chip data for an online request stays well under this. */
  public static final int ICC_DATA_BYTES_MAX = 255;
  /**
   * Field 62 (a wallet online part's card-signed bytes): the 51-byte signature input and a DER
   * signature of at most 72 bytes (ECDSA P-256 or SM2) make 123; 128 leaves no room for anything else.
   */
  public static final int WALLET_PART_BYTES_MAX = 128;

  /** Bytes of field 128 (the message MAC). */
  public static final int MAC_BYTES = 8;

  /**
   * Bytes of field 52: an ISO 9564 format 4 PIN block (AES, or SM4 for the national suite) is one
   * 128-bit cipher block. ISO 8583:1987 sized the field for 8-byte DES blocks; our parties agree on
   * 16 (docs/pin-and-dukpt.md, "On the wire").
   */
  public static final int PIN_BLOCK_BYTES = 16;

  /** Bytes of field 53 when it carries a DUKPT key serial number (ANSI X9.24-3: 8-byte initial key ID ‖ 32-bit counter). */
  public static final int KSN_BYTES = 12;

  /** Largest system trace audit number (field 11, n6). */
  public static final int STAN_MAX = 999_999;
}
