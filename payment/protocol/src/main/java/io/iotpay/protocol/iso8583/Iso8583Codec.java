package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.MALFORMED;
import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.TOO_LONG;

import com.solab.iso8583.IsoMessage;
import com.solab.iso8583.IsoType;
import com.solab.iso8583.IsoValue;
import com.solab.iso8583.MessageFactory;
import com.solab.iso8583.parse.ConfigParser;
import com.solab.iso8583.parse.FieldParseInfo;
import io.iotpay.foundation.Assert;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes ↔ j8583 {@link IsoMessage} under the packager in {@value #PACKAGER_RESOURCE}. Decoding is
 * bounded and strict: a message longer than {@link Iso8583Limits#MESSAGE_BYTES_MAX}, an MTI outside
 * {@link Mti}, a field the type's parse guide does not list, or bytes that j8583 would not write
 * back identically (trailing bytes, lower-case hex, a missing secondary bitmap) are refused with
 * one {@link Iso8583Exception}. Whatever j8583 throws on garbage is wrapped there.
 *
 * <p>Thread-safe after construction: the factory is frozen and only read.
 */
public final class Iso8583Codec {
  /** The packager: j8583 parse guides, one per MTI. */
  public static final String PACKAGER_RESOURCE = "iso8583/iotpay-8583.xml";

  /** Every field is single-byte text; ISO-8859-1 maps each byte to one char and back, so positions never drift. */
  static final String ENCODING = "ISO-8859-1";

  private final MessageFactory<IsoMessage> factory;
  private final Map<Integer, Map<Integer, FieldParseInfo>> guides;

  private Iso8583Codec(GuideRecordingFactory factory) {
    this.factory = factory;
    this.guides = Map.copyOf(factory.guides);
  }

  /**
   * The codec on the packager resource.
   *
   * @throws UncheckedIOException when the resource is missing or not a valid j8583 config (a build fault)
   */
  public static Iso8583Codec load() {
    GuideRecordingFactory factory = new GuideRecordingFactory();
    factory.setCharacterEncoding(ENCODING);
    factory.setUseBinaryBitmap(true);
    // Both bitmaps always: the npm peer writes them so, and field 128 is then always the MAC field.
    factory.setForceSecondaryBitmap(true);
    try (InputStream in = Iso8583Codec.class.getClassLoader().getResourceAsStream(PACKAGER_RESOURCE)) {
      Assert.that(in != null, "packager resource {} is missing", PACKAGER_RESOURCE);
      ConfigParser.configureFromReader(factory, new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PACKAGER_RESOURCE, e);
    }
    for (Mti mti : Mti.values()) {
      Assert.that(factory.guides.containsKey(mti.typeNumber()), "packager has no parse guide for {}", mti.code());
    }
    factory.freeze();
    return new Iso8583Codec(factory);
  }

  /** An empty message of type {@code mti}. */
  public IsoMessage newMessage(Mti mti) {
    return factory.newMessage(mti.typeNumber());
  }

  /** True when the parse guide of {@code mti} lists {@code field}. */
  public boolean allows(Mti mti, int field) {
    return guides.get(mti.typeNumber()).containsKey(field);
  }

  /**
   * Sets {@code field} of {@code message} to {@code value} with the type and length the parse guide
   * gives it: a {@code String} for text and numeric fields, a {@code byte[]} for binary ones.
   *
   * @throws AssertionError when the guide does not list the field or the value's kind does not fit
   *     (a programmer error: typed messages only set fields their type allows)
   */
  public void set(IsoMessage message, int field, Object value) {
    FieldParseInfo guide = guides.get(message.getType()).get(field);
    Assert.that(guide != null, "field {} is not in the parse guide of {}", field,
        Integer.toHexString(message.getType()));
    IsoType type = guide.getType();
    boolean binary = type == IsoType.BINARY || type == IsoType.LLLBIN;
    Assert.that(binary ? value instanceof byte[] : value instanceof String,
        "field {} of type {} takes a {}", field, type, binary ? "byte[]" : "String");
    IsoValue<Object> isoValue = type.needsLength()
        ? new IsoValue<>(type, value, guide.getLength())
        : new IsoValue<>(type, value);
    isoValue.setCharacterEncoding(ENCODING);
    message.setField(field, isoValue);
  }

  /**
   * The message's bytes (no length header).
   *
   * @throws Iso8583Exception TOO_LONG over {@link Iso8583Limits#MESSAGE_BYTES_MAX}
   */
  public byte[] encode(IsoMessage message) {
    byte[] bytes = message.writeData();
    if (bytes.length > Iso8583Limits.MESSAGE_BYTES_MAX) {
      throw new Iso8583Exception(TOO_LONG,
          "message of " + bytes.length + " bytes exceeds " + Iso8583Limits.MESSAGE_BYTES_MAX);
    }
    return bytes;
  }

  /**
   * Parses {@code bytes} (one message without its length header).
   *
   * @throws Iso8583Exception TOO_LONG, UNKNOWN_MTI or MALFORMED; nothing else escapes
   */
  public IsoMessage decode(byte[] bytes) {
    if (bytes == null || bytes.length < 4) {
      throw new Iso8583Exception(MALFORMED, "message shorter than its 4-digit MTI");
    }
    if (bytes.length > Iso8583Limits.MESSAGE_BYTES_MAX) {
      throw new Iso8583Exception(TOO_LONG,
          "message of " + bytes.length + " bytes exceeds " + Iso8583Limits.MESSAGE_BYTES_MAX);
    }
    Mti.byTypeNumber(mtiNumber(bytes));
    IsoMessage message = parse(bytes);
    byte[] again;
    try {
      again = message.writeData();
    } catch (RuntimeException e) {
      throw new Iso8583Exception(MALFORMED, "a field does not fit its format: " + e.getClass().getSimpleName(), e);
    }
    if (!Arrays.equals(again, bytes)) {
      throw new Iso8583Exception(MALFORMED,
          "bytes are not in the packager's form (trailing bytes, lower-case hex, padding or a missing bitmap)");
    }
    return message;
  }

  private IsoMessage parse(byte[] bytes) {
    try {
      IsoMessage message = factory.parseMessage(bytes, 0);
      message.setForceSecondaryBitmap(true);
      return message;
    } catch (ParseException | IOException e) {
      throw new Iso8583Exception(MALFORMED, "j8583 refused the message: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // j8583 signals some garbage with runtime exceptions (NumberFormat, IndexOutOfBounds,
      // IllegalArgument): at this boundary each of them is a malformed message, nothing more.
      throw new Iso8583Exception(MALFORMED, "j8583 failed on the message: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The MTI's four ASCII digits as j8583's type number, refusing anything but digits. */
  private static int mtiNumber(byte[] bytes) {
    int number = 0;
    for (int i = 0; i < 4; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new Iso8583Exception(MALFORMED, "MTI byte " + i + " is not a digit");
      }
      number = (number << 4) | digit;
    }
    return number;
  }

  /** Records each parse guide as ConfigParser hands it over: the field types for writing too. */
  private static final class GuideRecordingFactory extends MessageFactory<IsoMessage> {
    private final Map<Integer, Map<Integer, FieldParseInfo>> guides = new HashMap<>();

    @Override
    public void setParseMap(int type, Map<Integer, FieldParseInfo> map) {
      super.setParseMap(type, map);
      guides.put(type, Map.copyOf(map));
    }
  }
}
