package io.iotpay.terminal.gate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading BER-TLV card responses the way a kernel needs them: the value of one tag anywhere in the
 * response (constructed objects are entered, not skipped), and a DOL as (tag, length) pairs. Both
 * are single forward scans bounded by the input length; they never recurse.
 */
final class CardData {
  /** Bound on DOL entries: EMV DOLs are short, a long one is a malformed card. */
  static final int DOL_ENTRIES_MAX = 32;

  private CardData() {}

  /** A DOL entry: tag and the length the card asks for. */
  record DolEntry(int tag, int length) {}

  /**
   * The value of the first object with {@code tag}, or null when absent.
   *
   * @throws GateException when the TLV structure overruns the data; {@code what} names the response
   */
  static byte[] find(byte[] data, int tag, String what) {
    int p = 0;
    while (p < data.length) {
      if (data[p] == 0x00 || data[p] == (byte) 0xFF) { // padding between objects (EMV Book 3 Annex B)
        p++;
        continue;
      }
      int start = p;
      int t = data[p++] & 0xFF;
      boolean constructed = (t & 0x20) != 0;
      if ((t & 0x1F) == 0x1F) {
        do {
          need(data, p, 1, what, start);
          t = (t << 8) | (data[p] & 0xFF);
        } while ((data[p++] & 0x80) != 0 && t <= 0xFFFFFF);
      }
      need(data, p, 1, what, start);
      int length = data[p++] & 0xFF;
      if (length == 0x81) {
        need(data, p, 1, what, start);
        length = data[p++] & 0xFF;
      } else if (length == 0x82) {
        need(data, p, 2, what, start);
        length = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
        p += 2;
      } else if (length > 0x80) {
        throw new GateException(what + ": unsupported length byte at offset " + (p - 1));
      }
      need(data, p, length, what, start);
      if (t == tag) {
        return Arrays.copyOfRange(data, p, p + length);
      }
      p = constructed ? p : p + length;
    }
    return null;
  }

  /** As {@link #find} but the tag must be present with {@code length} bytes (−1: any length). */
  static byte[] require(byte[] data, int tag, int length, String what) {
    byte[] value = find(data, tag, what);
    if (value == null) {
      throw new GateException(what + ": tag " + Integer.toHexString(tag).toUpperCase() + " missing");
    }
    if (length >= 0 && value.length != length) {
      throw new GateException(what + ": tag " + Integer.toHexString(tag).toUpperCase() + " has " + value.length
          + " bytes, expected " + length);
    }
    return value;
  }

  /** Parses a DOL (EMV Book 3 §5.4): tag, one-byte length, repeated. */
  static List<DolEntry> dol(byte[] dol) {
    List<DolEntry> out = new ArrayList<>();
    int p = 0;
    while (p < dol.length) {
      if (out.size() == DOL_ENTRIES_MAX) {
        throw new GateException("PDOL: more than " + DOL_ENTRIES_MAX + " entries");
      }
      int t = dol[p++] & 0xFF;
      if ((t & 0x1F) == 0x1F) {
        need(dol, p, 1, "PDOL", p - 1);
        t = (t << 8) | (dol[p++] & 0xFF);
      }
      need(dol, p, 1, "PDOL", p - 1);
      out.add(new DolEntry(t, dol[p++] & 0xFF));
    }
    return out;
  }

  private static void need(byte[] data, int p, int n, String what, int objectStart) {
    if (p + n > data.length) {
      throw new GateException(what + ": object at offset " + objectStart + " overruns the " + data.length + " bytes");
    }
  }
}
