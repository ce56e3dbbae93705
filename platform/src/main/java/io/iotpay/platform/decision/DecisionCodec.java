package io.iotpay.platform.decision;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.money.MoneyException;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceIdException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical encoding of a {@link PaymentDecision} as an audit leaf, version 1 (docs/platform-decisions.md).
 * Big-endian; strings are length-prefixed UTF-8. It starts with {@code "IPD"} so no decision leaf can be
 * mistaken for a ledger entry (those start with byte 0x01 and are 77 bytes long).
 *
 * <pre>
 * "IPD" 0x01 | u8 version | u8 outcome | str8 device id | i64 counter | str8 merchant id | i64 amount minor
 * | u16 currency numeric | str8 origin | str8 reference | str8 mandate id ("" = none) | i64 hold transfer id
 * | i64 decided-at epoch ms | u8 confirmed on device | u8 user confirmation required | u8 reason count
 * | reasons: str8 code, str16 detail
 * </pre>
 */
public final class DecisionCodec {
  static final byte[] MAGIC = {'I', 'P', 'D'};
  public static final int FORMAT_VERSION = 1;
  public static final int REASONS_MAX = 32;
  /** Longest encoding: fixed fields plus every string at its bound. */
  public static final int ENCODED_BYTES_MAX = 4 + 2 + 6 * (1 + 255) + 8 * 4 + 2 + 3 + REASONS_MAX * (1 + 64 + 2 + 4 * DecisionReason.DETAIL_CHARS_MAX);

  private DecisionCodec() {}

  /** The leaf bytes of a decision (its audit index is where it sits, not what it says). */
  public static byte[] encode(PaymentDecision decision) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(MAGIC);
    out.write(FORMAT_VERSION);
    out.write(decision.version());
    out.write(decision.outcome().code());
    PaymentIntent intent = decision.intent();
    str8(out, intent.deviceId().value());
    i64(out, intent.key().counter());
    str8(out, intent.merchantId());
    i64(out, intent.amount().amountMinor());
    u16(out, intent.amount().currency().numericCode());
    str8(out, intent.origin());
    str8(out, intent.reference());
    str8(out, decision.mandateId() == null ? "" : decision.mandateId());
    i64(out, decision.holdTransferId());
    i64(out, decision.decidedAt().toEpochMilli());
    out.write(intent.confirmedOnDevice() ? 1 : 0);
    out.write(intent.userConfirmationRequired() ? 1 : 0);
    if (decision.reasons().size() > REASONS_MAX) {
      throw new DecisionInputException("decision " + decision.key() + " has " + decision.reasons().size() + " reasons, more than " + REASONS_MAX);
    }
    out.write(decision.reasons().size());
    for (DecisionReason reason : decision.reasons()) {
      str8(out, reason.code());
      byte[] detail = reason.detail().getBytes(StandardCharsets.UTF_8);
      u16(out, detail.length);
      out.writeBytes(detail);
    }
    return out.toByteArray();
  }

  /** Whether these leaf bytes claim to be a decision (magic and version); says nothing of validity. */
  public static boolean isDecision(byte[] entry) {
    return entry != null && entry.length > 4 && entry[0] == MAGIC[0] && entry[1] == MAGIC[1] && entry[2] == MAGIC[2]
        && entry[3] == FORMAT_VERSION;
  }

  /**
   * Reads a decision back from its leaf bytes (auditIndex set to {@code auditIndex}).
   *
   * @throws DecisionInputException naming the offset when the bytes are not a well-formed version-1 decision
   */
  public static PaymentDecision decode(byte[] entry, long auditIndex) {
    if (entry == null || entry.length > ENCODED_BYTES_MAX) {
      throw new DecisionInputException("decision entry missing or longer than " + ENCODED_BYTES_MAX + " bytes");
    }
    if (!isDecision(entry)) {
      throw new DecisionInputException("entry does not start with IPD version " + FORMAT_VERSION);
    }
    Reader in = new Reader(ByteBuffer.wrap(entry, 4, entry.length - 4));
    try {
      int version = in.u8("version");
      DecisionOutcome outcome = DecisionOutcome.ofCode(in.u8("outcome"));
      DeviceId device = DeviceId.of(in.str8("device id"));
      long counter = in.i64("counter");
      String merchant = in.str8("merchant id");
      long amountMinor = in.i64("amount");
      CurrencyUnit currency = CurrencyUnit.ofNumeric(in.u16("currency"));
      String origin = in.str8("origin");
      String reference = in.str8("reference");
      String mandate = in.str8("mandate id");
      long hold = in.i64("hold transfer id");
      Instant at = Instant.ofEpochMilli(in.i64("decided at"));
      boolean onDevice = in.flag("confirmed on device");
      boolean userRequired = in.flag("user confirmation required");
      List<DecisionReason> reasons = reasons(in);
      in.requireEnd();
      PaymentIntent intent = new PaymentIntent(new IdempotencyKey(device, counter), merchant, Money.ofMinor(amountMinor, currency),
          origin, reference, onDevice, userRequired);
      return new PaymentDecision(intent.key(), version, intent, outcome, reasons, mandate.isEmpty() ? null : mandate, hold, at, auditIndex);
    } catch (DeviceIdException | MoneyException e) {
      throw new DecisionInputException("decision entry at byte " + in.position() + ": " + e.getMessage());
    }
  }

  private static List<DecisionReason> reasons(Reader in) {
    int count = in.u8("reason count");
    if (count > REASONS_MAX) {
      throw new DecisionInputException("decision entry: " + count + " reasons, more than " + REASONS_MAX);
    }
    List<DecisionReason> reasons = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String code = in.str8("reason " + i + " code");
      String detail = in.str16("reason " + i + " detail");
      if (detail.length() > DecisionReason.DETAIL_CHARS_MAX) {
        throw new DecisionInputException("decision entry: reason " + i + " detail longer than " + DecisionReason.DETAIL_CHARS_MAX + " characters");
      }
      reasons.add(new DecisionReason(code, detail));
    }
    return reasons;
  }

  private static void str8(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 255) {
      throw new DecisionInputException("string of " + bytes.length + " bytes does not fit a str8 field");
    }
    out.write(bytes.length);
    out.writeBytes(bytes);
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value);
  }

  private static void i64(ByteArrayOutputStream out, long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }

  /** Bounded reads that name the field and the offset instead of throwing BufferUnderflowException. */
  private record Reader(ByteBuffer buffer) {
    int position() {
      return buffer.position();
    }

    private void need(int bytes, String field) {
      if (buffer.remaining() < bytes) {
        throw new DecisionInputException("decision entry truncated at byte " + buffer.position() + " in field " + field);
      }
    }

    int u8(String field) {
      need(1, field);
      return buffer.get() & 0xFF;
    }

    boolean flag(String field) {
      int value = u8(field);
      if (value > 1) {
        throw new DecisionInputException("decision entry: field " + field + " is " + value + ", not 0 or 1");
      }
      return value == 1;
    }

    int u16(String field) {
      need(2, field);
      return buffer.getShort() & 0xFFFF;
    }

    long i64(String field) {
      need(8, field);
      return buffer.getLong();
    }

    String str8(String field) {
      return bytes(u8(field), field);
    }

    String str16(String field) {
      return bytes(u16(field), field);
    }

    private String bytes(int length, String field) {
      need(length, field);
      ByteBuffer slice = buffer.slice(buffer.position(), length);
      buffer.position(buffer.position() + length);
      try {
        // Strict: a malformed sequence would decode to U+FFFD and re-encode differently (not canonical).
        return StandardCharsets.UTF_8.newDecoder().decode(slice).toString();
      } catch (CharacterCodingException e) {
        throw new DecisionInputException("decision entry: field " + field + " is not valid UTF-8");
      }
    }

    void requireEnd() {
      if (buffer.hasRemaining()) {
        throw new DecisionInputException("decision entry has " + buffer.remaining() + " bytes after the last field");
      }
    }
  }
}
