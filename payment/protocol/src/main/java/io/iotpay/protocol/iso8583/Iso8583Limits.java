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

  /** Bytes of field 128 (the message MAC) and field 52 (the PIN block). */
  public static final int MAC_BYTES = 8;

  public static final int PIN_BLOCK_BYTES = 8;

  /** Largest system trace audit number (field 11, n6). */
  public static final int STAN_MAX = 999_999;
}
