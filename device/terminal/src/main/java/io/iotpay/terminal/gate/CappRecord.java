package io.iotpay.terminal.gate;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CodecException;
import io.iotpay.protocol.transit.TransitKind;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * The 32-byte CAPP transit record the gate writes to the card with UPDATE CAPP DATA CACHE; the card
 * stores it only with an approving GENERATE AC, in the same card transaction as the proof (GET
 * TRANS PROVE). Layout (docs/gate.md §3): byte 0 journey state, 1–2 operator, 3–4 station, 5–6 gate,
 * 7–13 local date-time BCD, 14 layout version {@code 01}, 15–16 ATC of the transaction, 17 PAN
 * sequence, 18 kind, 19–24 amount n12, 25–28 unpredictable number, 29–31 zero. Bytes 14–28 let any
 * gate rebuild the TAC input of the card's last transaction from GET TRANS PROVE.
 *
 * @param state {@link #STATE_ENTERED} or {@link #STATE_EXITED}
 * @param time local date-time of the tap, whole seconds
 * @param kind what the transaction was
 * @param un the unpredictable number (9F37) sent in GENERATE AC, 4 bytes
 */
public record CappRecord(int state, int operatorCode, int stationNumber, int gateNumber, LocalDateTime time,
    int atc, int panSequence, TransitKind kind, long amountMinor, byte[] un) {
  public static final int LENGTH = 32;
  public static final int STATE_ENTERED = 0x01;
  public static final int STATE_EXITED = 0x02;
  static final int LAYOUT_VERSION = 0x01;

  /** @throws GateException when a field is out of its byte range */
  public CappRecord {
    if (state != STATE_ENTERED && state != STATE_EXITED) {
      throw new GateException("CAPP record: journey state " + state + " is not 1 or 2");
    }
    if (un == null || un.length != 4) {
      throw new GateException("CAPP record: the unpredictable number must be 4 bytes");
    }
    if (atc < 0 || atc > 0xFFFF || panSequence < 0 || panSequence > 99 || amountMinor < 0 || kind == null || time == null) {
      throw new GateException("CAPP record: ATC, PAN sequence, amount, kind or time out of range");
    }
    un = un.clone();
  }

  @Override
  public byte[] un() {
    return un.clone();
  }

  /** The 32 bytes sent in UPDATE CAPP DATA CACHE. */
  public byte[] encode() {
    byte[] out = new byte[LENGTH];
    out[0] = (byte) state;
    putShort(out, 1, operatorCode);
    putShort(out, 3, stationNumber);
    putShort(out, 5, gateNumber);
    System.arraycopy(Bcd.encode(Long.parseLong(String.format("%04d%02d%02d%02d%02d%02d", time.getYear(),
        time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond())), 14), 0, out, 7, 7);
    out[14] = (byte) LAYOUT_VERSION;
    putShort(out, 15, atc);
    out[17] = (byte) panSequence;
    out[18] = (byte) (kind.ordinal() + 1);
    System.arraycopy(Bcd.encodeAmount(amountMinor), 0, out, 19, 6);
    System.arraycopy(un, 0, out, 25, 4);
    return out;
  }

  /** 9A transaction date YYMMDD as BCD, as sent in CDOL1. */
  byte[] dateBcd() {
    return Bcd.encode(Long.parseLong(String.format("%02d%02d%02d", time.getYear() % 100, time.getMonthValue(),
        time.getDayOfMonth())), 6);
  }

  /** What READ CAPP DATA returned, read as the gate layout. */
  public sealed interface Read permits Fresh, Foreign, Ours {}

  /** The card has never completed a transaction at a gate (state byte 0). */
  public record Fresh() implements Read {}

  /** Written by a gate of another layout: its journey state only; no recovery data. */
  public record Foreign(int state) implements Read {}

  /** Written by a gate of this layout. */
  public record Ours(CappRecord record) implements Read {}

  /**
   * Reads a CAPP record as returned by READ CAPP DATA.
   *
   * @throws GateException when it is not 32 bytes or our layout carries an impossible field
   */
  public static Read decode(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new GateException("CAPP record: expected " + LENGTH + " bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    int state = bytes[0] & 0xFF;
    if (state == 0) {
      return new Fresh();
    }
    if ((bytes[14] & 0xFF) != LAYOUT_VERSION || (state != STATE_ENTERED && state != STATE_EXITED)) {
      return new Foreign(state);
    }
    int kindByte = bytes[18] & 0xFF;
    if (kindByte < 1 || kindByte > TransitKind.values().length) {
      throw new GateException("CAPP record: kind byte " + kindByte + " at offset 18 is not 1..3");
    }
    try {
      return new Ours(new CappRecord(state, getShort(bytes, 1), getShort(bytes, 3), getShort(bytes, 5),
          parseTime(Bcd.decodeDigits(Arrays.copyOfRange(bytes, 7, 14))), getShort(bytes, 15), bytes[17] & 0xFF,
          TransitKind.values()[kindByte - 1], Bcd.decodeAmount(Arrays.copyOfRange(bytes, 19, 25)),
          Arrays.copyOfRange(bytes, 25, 29)));
    } catch (CodecException | DateTimeException | NumberFormatException e) {
      throw new GateException("CAPP record: bad date-time or amount at offsets 7..24: " + e.getMessage(), e);
    }
  }

  private static LocalDateTime parseTime(String digits) {
    return LocalDateTime.of(Integer.parseInt(digits.substring(0, 4)), Integer.parseInt(digits.substring(4, 6)),
        Integer.parseInt(digits.substring(6, 8)), Integer.parseInt(digits.substring(8, 10)),
        Integer.parseInt(digits.substring(10, 12)), Integer.parseInt(digits.substring(12, 14)));
  }

  private static void putShort(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 8);
    out[at + 1] = (byte) value;
  }

  private static int getShort(byte[] in, int at) {
    return ((in[at] & 0xFF) << 8) | (in[at + 1] & 0xFF);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CappRecord c && Arrays.equals(encode(), c.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "CappRecord[state=" + state + ", station=" + stationNumber + ", gate=" + gateNumber + ", time=" + time
        + ", atc=" + atc + ", kind=" + kind + ", amountMinor=" + amountMinor + "]";
  }
}
