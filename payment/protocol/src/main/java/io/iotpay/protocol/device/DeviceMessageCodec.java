package io.iotpay.protocol.device;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.cose.CborReader;
import io.iotpay.protocol.cose.CborWriter;
import io.iotpay.protocol.cose.CoseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CBOR form of {@link DeviceRequest} and {@link PlatformAnswer} (docs/device-messages.md): a
 * definite-length array {@code [version, kind, ...]} with version 1. Decoding is bounded by the
 * input (at most {@link #BYTES_MAX} bytes), checks every field through the records' constructors and
 * refuses trailing bytes; every refusal is a {@link ProtocolException} naming what was wrong.
 */
public final class DeviceMessageCodec {
  private static final Pattern NON_PRINTABLE = Pattern.compile("[^\\x20-\\x7E]");
  public static final int VERSION = 1;
  /** Largest payload accepted, bytes (the envelope bounds it too). */
  public static final int BYTES_MAX = 16 * 1024;

  private static final int KIND_EVENT = 1;
  private static final int KIND_DELIVERY = 2;
  private static final int KIND_STATUS = 3;
  private static final int KIND_ANSWER = 16;

  private DeviceMessageCodec() {}

  /** Encodes a request. */
  public static byte[] encode(DeviceRequest request) {
    CborWriter out = new CborWriter();
    switch (request) {
      case DeviceRequest.Event event -> {
        out.array(4).integer(VERSION).integer(KIND_EVENT).text(event.deviceType()).map(event.fields().size());
        event.fields().forEach((name, value) -> out.text(name).text(value));
      }
      case DeviceRequest.Delivery delivery ->
          out.array(4).integer(VERSION).integer(KIND_DELIVERY).integer(delivery.paymentCounter()).integer(delivery.delivered() ? 1 : 0);
      case DeviceRequest.Status status -> {
        out.array(6).integer(VERSION).integer(KIND_STATUS).text(status.firmware() == null ? "" : status.firmware())
            .integer(status.tampered() == null ? -1 : status.tampered() ? 1 : 0);
        if (status.latitudeMicro() == null) {
          out.array(0);
        } else {
          out.array(2).integer(status.latitudeMicro()).integer(status.longitudeMicro());
        }
        out.array(0); // reserved for later parts; decoders of version 1 require it empty
      }
    }
    return out.toByteArray();
  }

  /**
   * Decodes a request.
   *
   * @throws ProtocolException for anything but one well-formed request of version 1
   */
  public static DeviceRequest decodeRequest(byte[] bytes) {
    CborReader in = reader(bytes, "device request");
    try {
      int items = in.readArrayHeader();
      version(in);
      int kind = (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, in.readInteger()));
      DeviceRequest request = switch (kind) {
        case KIND_EVENT -> {
          expectItems(items, 4, "event");
          String type = in.readText();
          int pairs = in.readMapHeader();
          if (pairs > DeviceRequest.FIELDS_MAX) {
            throw new ProtocolException("device event: " + pairs + " fields (at most " + DeviceRequest.FIELDS_MAX + ")");
          }
          Map<String, String> fields = new LinkedHashMap<>();
          for (int i = 0; i < pairs; i++) {
            String name = in.readText();
            if (fields.put(name, in.readText()) != null) {
              throw new ProtocolException("device event: field " + name + " given twice");
            }
          }
          yield new DeviceRequest.Event(type, fields);
        }
        case KIND_DELIVERY -> {
          expectItems(items, 4, "delivery");
          long counter = in.readInteger();
          long delivered = in.readInteger();
          if (delivered != 0 && delivered != 1) {
            throw new ProtocolException("delivery: delivered flag is " + delivered + ", not 0 or 1");
          }
          yield new DeviceRequest.Delivery(counter, delivered == 1);
        }
        case KIND_STATUS -> {
          expectItems(items, 6, "status");
          String firmware = in.readText();
          long tamper = in.readInteger();
          if (tamper < -1 || tamper > 1) {
            throw new ProtocolException("status: tamper flag is " + tamper + ", not -1, 0 or 1");
          }
          int position = in.readArrayHeader();
          Long latitude = null;
          Long longitude = null;
          if (position == 2) {
            latitude = in.readInteger();
            longitude = in.readInteger();
          } else if (position != 0) {
            throw new ProtocolException("status: position has " + position + " parts, not 0 or 2");
          }
          if (in.readArrayHeader() != 0) {
            throw new ProtocolException("status: the reserved array is not empty");
          }
          yield new DeviceRequest.Status(firmware.isEmpty() ? null : firmware, tamper == -1 ? null : tamper == 1, latitude, longitude);
        }
        default -> throw new ProtocolException("device request: unknown kind " + kind);
      };
      in.expectEnd();
      return request;
    } catch (CoseException e) {
      throw new ProtocolException("device request: " + e.detail(), e);
    }
  }

  /** Encodes an answer. */
  public static byte[] encode(PlatformAnswer answer) {
    CborWriter out = new CborWriter();
    out.array(5).integer(VERSION).integer(KIND_ANSWER).text(answer.status().name()).text(answer.detail()).array(answer.decisions().size());
    for (PlatformAnswer.Decision d : answer.decisions()) {
      out.array(7).integer(d.counter()).text(d.outcome()).text(d.paymentState()).text(d.merchantId()).integer(d.amountMinor())
          .text(d.currency()).array(d.reasons().size());
      d.reasons().forEach(out::text);
    }
    return out.toByteArray();
  }

  /**
   * Decodes an answer (the device SDK's side).
   *
   * @throws ProtocolException for anything but one well-formed answer of version 1
   */
  public static PlatformAnswer decodeAnswer(byte[] bytes) {
    CborReader in = reader(bytes, "platform answer");
    try {
      expectItems(in.readArrayHeader(), 5, "answer");
      version(in);
      if (in.readInteger() != KIND_ANSWER) {
        throw new ProtocolException("platform answer: not an answer");
      }
      PlatformAnswer.Status status;
      String statusName = in.readText();
      try {
        status = PlatformAnswer.Status.valueOf(statusName);
      } catch (IllegalArgumentException e) {
        throw new ProtocolException("platform answer: unknown status " + printable(statusName), e);
      }
      String detail = in.readText();
      int count = in.readArrayHeader();
      if (count > PlatformAnswer.DECISIONS_MAX) {
        throw new ProtocolException("platform answer: " + count + " decisions (at most " + PlatformAnswer.DECISIONS_MAX + ")");
      }
      List<PlatformAnswer.Decision> decisions = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        expectItems(in.readArrayHeader(), 7, "decision");
        long counter = in.readInteger();
        String outcome = in.readText();
        String state = in.readText();
        String merchant = in.readText();
        long amount = in.readInteger();
        String currency = in.readText();
        int reasonCount = in.readArrayHeader();
        if (reasonCount > PlatformAnswer.Decision.REASONS_MAX) {
          throw new ProtocolException("platform answer: " + reasonCount + " reasons (at most " + PlatformAnswer.Decision.REASONS_MAX + ")");
        }
        List<String> reasons = new ArrayList<>(reasonCount);
        for (int r = 0; r < reasonCount; r++) {
          reasons.add(in.readText());
        }
        decisions.add(new PlatformAnswer.Decision(counter, outcome, state, merchant, amount, currency, reasons));
      }
      in.expectEnd();
      return new PlatformAnswer(status, detail, decisions);
    } catch (CoseException e) {
      throw new ProtocolException("platform answer: " + e.detail(), e);
    }
  }

  private static CborReader reader(byte[] bytes, String what) {
    if (bytes == null || bytes.length == 0 || bytes.length > BYTES_MAX) {
      throw new ProtocolException(what + " of " + (bytes == null ? "no" : bytes.length) + " bytes (1.." + BYTES_MAX + ")");
    }
    return new CborReader(bytes, what);
  }

  private static void version(CborReader in) {
    long version = in.readInteger();
    if (version != VERSION) {
      throw new ProtocolException("unsupported device message version " + version + " (this build reads " + VERSION + ")");
    }
  }

  private static void expectItems(int items, int expected, String what) {
    if (items != expected) {
      throw new ProtocolException(what + ": " + items + " items, expected " + expected);
    }
  }

  private static String printable(String text) {
    String cut = text.length() > 32 ? text.substring(0, 32) : text;
    return NON_PRINTABLE.matcher(cut).replaceAll("?");
  }
}
