package io.iotpay.ledger.audit;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Public keys as PEM text ({@code -----BEGIN PUBLIC KEY-----}, RFC 7468 §13: X.509 SubjectPublicKeyInfo). */
public final class PublicKeyPem {
  /** A PEM file holds at most this many keys: a log rotates its key rarely. */
  public static final int KEYS_MAX = 64;
  /** Longest PEM text accepted (64 KiB): far above {@link #KEYS_MAX} EC keys. */
  public static final int TEXT_CHARS_MAX = 64 * 1024;

  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private PublicKeyPem() {}

  /** One PEM block for the DER-encoded public key, lines of 64 characters, ending in a newline. */
  public static String encode(byte[] publicKeyDer) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKeyDer);
    return BEGIN + "\n" + body + "\n" + END + "\n";
  }

  /**
   * The DER of every {@code PUBLIC KEY} block in {@code text}, in order; text outside blocks is
   * ignored.
   *
   * @throws AuditInputException when the text is too long, a block is unterminated or not Base64,
   *     there are more than {@link #KEYS_MAX} blocks, or none; {@code where} names the source
   */
  public static List<byte[]> decodeAll(String text, String where) {
    if (text.length() > TEXT_CHARS_MAX) {
      throw new AuditInputException(where + ": PEM text longer than " + TEXT_CHARS_MAX + " characters");
    }
    List<byte[]> keys = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, from);
      if (begin < 0) {
        break;
      }
      int end = text.indexOf(END, begin);
      if (end < 0) {
        throw new AuditInputException(where + ": PEM block " + (keys.size() + 1) + " has no END line");
      }
      if (keys.size() == KEYS_MAX) {
        throw new AuditInputException(where + ": more than " + KEYS_MAX + " public keys");
      }
      String body = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
      try {
        keys.add(Base64.getDecoder().decode(body));
      } catch (IllegalArgumentException e) {
        throw new AuditInputException(where + ": PEM block " + (keys.size() + 1) + " is not Base64 (" + e.getMessage() + ")", e);
      }
      from = end + END.length();
    }
    if (keys.isEmpty()) {
      throw new AuditInputException(where + ": no '" + BEGIN + "' block");
    }
    return keys;
  }
}
