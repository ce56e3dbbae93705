package io.iotpay.protocol.authorisation;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.money.MoneyException;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.cose.CborReader;
import io.iotpay.protocol.cose.CborWriter;
import io.iotpay.protocol.cose.CoseException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The binary form of {@link AuthorisationRequest} and {@link AuthorisationResponse}: one definite-length
 * CBOR array per message, integers in shortest form, fixed field order, defined in
 * docs/authorisation.md. Every message starts with the format version and its kind:
 *
 * <pre>
 * Hold     = [1, 1, requestId, accountId, payeeAccountId, amountMinor, currency, currencyNumeric,
 *             minorDigits, timeoutMs, reference]
 * Capture  = [1, 2, requestId, holdId, amountMinor]
 * Release  = [1, 3, requestId, holdId]
 * Response = [1, 16, requestId, resultCode, holdId, detail]
 * </pre>
 *
 * <p>Decoding is bounded ({@value #REQUEST_BYTES_MAX} / {@value #RESPONSE_BYTES_MAX} bytes, a fixed
 * number of items, never recursing), checks every field, and refuses trailing bytes and any
 * encoding but the shortest, so each message has exactly one encoding. Thread-safe (no state).
 */
public final class AuthorisationCodec {
  /** The only format version this codec reads and writes. */
  public static final int VERSION = 1;
  /** Largest encoded request; a hold with the longest reference takes about 190 bytes. */
  public static final int REQUEST_BYTES_MAX = 256;
  /** Largest encoded response; one with the longest detail takes about 290 bytes. */
  public static final int RESPONSE_BYTES_MAX = 512;

  static final int KIND_HOLD = 1;
  static final int KIND_CAPTURE = 2;
  static final int KIND_RELEASE = 3;
  static final int KIND_RESPONSE = 16;

  private static final int HOLD_ITEMS = 11;
  private static final int CAPTURE_ITEMS = 5;
  private static final int RELEASE_ITEMS = 4;
  private static final int RESPONSE_ITEMS = 6;

  private AuthorisationCodec() {}

  /**
   * Encodes a request.
   *
   * @param request never null
   * @return a fresh array of at most {@value #REQUEST_BYTES_MAX} bytes; never null
   */
  public static byte[] encode(AuthorisationRequest request) {
    CborWriter out = new CborWriter();
    switch (request) {
      case AuthorisationRequest.Hold hold -> {
        CurrencyUnit currency = hold.amount().currency();
        out.array(HOLD_ITEMS).integer(VERSION).integer(KIND_HOLD).integer(hold.requestId())
            .integer(hold.accountId()).integer(hold.payeeAccountId()).integer(hold.amount().amountMinor())
            .text(currency.alphaCode()).integer(currency.numericCode()).integer(currency.minorDigits())
            .integer(hold.timeoutMs()).text(hold.reference());
      }
      case AuthorisationRequest.Capture capture -> out.array(CAPTURE_ITEMS).integer(VERSION).integer(KIND_CAPTURE)
          .integer(capture.requestId()).integer(capture.holdId()).integer(capture.amountMinor());
      case AuthorisationRequest.Release release -> out.array(RELEASE_ITEMS).integer(VERSION).integer(KIND_RELEASE)
          .integer(release.requestId()).integer(release.holdId());
    }
    return out.toByteArray();
  }

  /**
   * Encodes a response.
   *
   * @param response never null
   * @return a fresh array of at most {@value #RESPONSE_BYTES_MAX} bytes; never null
   */
  public static byte[] encode(AuthorisationResponse response) {
    return new CborWriter().array(RESPONSE_ITEMS).integer(VERSION).integer(KIND_RESPONSE).integer(response.requestId())
        .integer(response.result().wireCode()).integer(response.holdId()).text(response.detail()).toByteArray();
  }

  /**
   * Decodes a request.
   *
   * @param bytes the encoded request; never null
   * @return the request; never null
   * @throws ProtocolException naming the field (and offset) that is malformed or out of bound, for an
   *     unknown version or kind, or for input longer than {@value #REQUEST_BYTES_MAX} bytes
   */
  public static AuthorisationRequest decodeRequest(byte[] bytes) {
    CborReader in = open(bytes, REQUEST_BYTES_MAX, "authorisation request");
    try {
      int items = in.readArrayHeader();
      int kind = readHead(in);
      AuthorisationRequest request = switch (kind) {
        case KIND_HOLD -> readHold(in, items);
        case KIND_CAPTURE -> {
          expectItems(items, CAPTURE_ITEMS, "capture");
          yield new AuthorisationRequest.Capture(in.readInteger(), in.readInteger(), in.readInteger());
        }
        case KIND_RELEASE -> {
          expectItems(items, RELEASE_ITEMS, "release");
          yield new AuthorisationRequest.Release(in.readInteger(), in.readInteger());
        }
        default -> throw new ProtocolException("authorisation request: kind " + kind + " is not hold (1), capture (2) or release (3)");
      };
      in.expectEnd();
      requireCanonical(bytes, encode(request), "request " + request.requestId());
      return request;
    } catch (CoseException e) {
      throw new ProtocolException(e.detail(), e);
    }
  }

  /**
   * Decodes a response.
   *
   * @param bytes the encoded response; never null
   * @return the response; never null
   * @throws ProtocolException as for {@link #decodeRequest}, bound {@value #RESPONSE_BYTES_MAX} bytes
   */
  public static AuthorisationResponse decodeResponse(byte[] bytes) {
    CborReader in = open(bytes, RESPONSE_BYTES_MAX, "authorisation response");
    try {
      int items = in.readArrayHeader();
      int kind = readHead(in);
      if (kind != KIND_RESPONSE) {
        throw new ProtocolException("authorisation response: kind " + kind + " is not a response (16)");
      }
      expectItems(items, RESPONSE_ITEMS, "response");
      long requestId = in.readInteger();
      ResultCode result = ResultCode.ofWireCode(in.readInteger());
      AuthorisationResponse response = new AuthorisationResponse(requestId, result, in.readInteger(), in.readText());
      in.expectEnd();
      requireCanonical(bytes, encode(response), "response " + requestId);
      return response;
    } catch (CoseException e) {
      throw new ProtocolException(e.detail(), e);
    }
  }

  /**
   * The request id of a request that may not decode as a whole, so its refusal can name it. Reads only
   * the array head, version, kind and id; never throws.
   *
   * @param bytes the received bytes; may be null
   * @return the positive request id, or empty when those first items are unreadable
   */
  public static OptionalLong peekRequestId(byte[] bytes) {
    if (bytes == null || bytes.length > REQUEST_BYTES_MAX) {
      return OptionalLong.empty();
    }
    try {
      CborReader in = new CborReader(bytes, "authorisation request");
      in.readArrayHeader();
      int kind = readHead(in);
      long requestId = in.readInteger();
      boolean known = kind == KIND_HOLD || kind == KIND_CAPTURE || kind == KIND_RELEASE;
      return known && requestId > 0 ? OptionalLong.of(requestId) : OptionalLong.empty();
    } catch (ProtocolException e) {
      return OptionalLong.empty();
    }
  }

  private static AuthorisationRequest.Hold readHold(CborReader in, int items) {
    expectItems(items, HOLD_ITEMS, "hold");
    long requestId = in.readInteger();
    long accountId = in.readInteger();
    long payeeAccountId = in.readInteger();
    long amountMinor = in.readInteger();
    Money amount = Money.ofMinor(amountMinor, readCurrency(in, requestId));
    return new AuthorisationRequest.Hold(requestId, accountId, payeeAccountId, amount, in.readInteger(), in.readText());
  }

  private static CurrencyUnit readCurrency(CborReader in, long requestId) {
    String alphaCode = in.readText();
    long numericCode = in.readInteger();
    long minorDigits = in.readInteger();
    if (numericCode > 999 || minorDigits > CurrencyUnit.MINOR_DIGITS_MAX) {
      throw new ProtocolException("hold " + requestId + ": currency " + numericCode + "/" + minorDigits + " is out of range");
    }
    try {
      return new CurrencyUnit(alphaCode, (int) numericCode, (int) minorDigits);
    } catch (MoneyException e) {
      throw new ProtocolException("hold " + requestId + ": " + e.getMessage(), e);
    }
  }

  private static CborReader open(byte[] bytes, int bytesMax, String what) {
    if (bytes == null) {
      throw new ProtocolException(what + ": no bytes");
    }
    if (bytes.length > bytesMax) {
      throw new ProtocolException(what + ": " + bytes.length + " bytes, more than " + bytesMax);
    }
    return new CborReader(bytes, what);
  }

  /** Reads the version and the kind; refuses any version but {@value #VERSION}. */
  private static int readHead(CborReader in) {
    long version = in.readInteger();
    if (version != VERSION) {
      throw new ProtocolException("authorisation message: version " + version + " is not supported (only " + VERSION + ")");
    }
    long kind = in.readInteger();
    if (kind < 0 || kind > KIND_RESPONSE) {
      throw new ProtocolException("authorisation message: kind " + kind + " is unknown");
    }
    return (int) kind;
  }

  /**
   * One message, one encoding: integers and lengths must be in shortest form, so equal requests are
   * equal bytes (the issuer compares retries by content).
   */
  private static void requireCanonical(byte[] received, byte[] canonical, String what) {
    if (!Arrays.equals(received, canonical)) {
      throw new ProtocolException("authorisation " + what + ": not in shortest (canonical) form");
    }
  }

  private static void expectItems(int items, int expected, String kind) {
    if (items != expected) {
      throw new ProtocolException("authorisation " + kind + ": " + items + " items, expected " + expected);
    }
  }
}
