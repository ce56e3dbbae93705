package io.iotpay.foundation.custody;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;

/**
 * A name for one version of one key in a custody: never the key. Refs are plain values a caller
 * may store, log and send; the custody checks on every use that the ref's suite and usage are the
 * key's.
 *
 * @param label the key's name, 1 to {@link #LABEL_CHARS_MAX} characters of {@code [A-Za-z0-9._-]}
 * @param version 1 and up; each rotation adds one
 * @param suite the key's algorithm suite
 * @param usage what the key may do
 */
public record KeyRef(String label, int version, AlgorithmSuite suite, KeyUsage usage) {
  /** Longest label: keeps the sealed file's records and a PKCS#11 CKA_LABEL small. */
  public static final int LABEL_CHARS_MAX = 64;

  /**
   * @throws KeyCustodyException BAD_INPUT for a malformed label or a version below 1
   */
  public KeyRef {
    checkLabel(label);
    if (version < 1) {
      throw new KeyCustodyException(KeyCustodyException.Reason.BAD_INPUT, "key version " + version + " is below 1");
    }
    Assert.notNull(suite, "suite");
    Assert.notNull(usage, "usage");
  }

  /** The ref of the next version (a rotation). */
  KeyRef next() {
    return new KeyRef(label, version + 1, suite, usage);
  }

  static void checkLabel(String label) {
    if (label == null || label.isEmpty() || label.length() > LABEL_CHARS_MAX) {
      throw new KeyCustodyException(
          KeyCustodyException.Reason.BAD_INPUT, "key label: expected 1 to " + LABEL_CHARS_MAX + " characters");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '-';
      if (!ok) {
        throw new KeyCustodyException(
            KeyCustodyException.Reason.BAD_INPUT, "key label: character at position " + i + " is not [A-Za-z0-9._-]");
      }
    }
  }

  @Override
  public String toString() {
    return label + "#v" + version + "[" + suite + "," + usage + "]";
  }
}
