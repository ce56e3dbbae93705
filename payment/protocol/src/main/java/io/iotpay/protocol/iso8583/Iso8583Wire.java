package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.MAC_INVALID;
import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.MAC_MISSING;

import com.solab.iso8583.IsoMessage;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Typed messages ↔ message bytes, with field 128 (see {@link MessageMac}). Thread-safe.
 */
public final class Iso8583Wire {
  /** Field 128 travels as 16 hex characters at the very end (it is the last field). */
  private static final int MAC_FIELD_CHARS = 2 * Iso8583Limits.MAC_BYTES;

  /** Byte of the secondary bitmap that holds bit 128 (MTI 4 bytes, primary bitmap 8, secondary 8), and its mask. */
  private static final int FIELD_128_BITMAP_BYTE = 4 + 8 + 7;
  private static final int FIELD_128_BITMAP_MASK = 0x01;

  /**
   * The last message this thread wrote without a MAC, and its bytes. A party that stores a message's
   * plain bytes (the acquirer host seals every request and answer before it sends them on) then
   * sends that same message: the MACed write starts from these bytes instead of encoding the message
   * again (docs/bench-auth.md §3.4). One slot per thread, compared by identity, emptied when it is
   * used, so the clear bytes (with the PAN) are not kept after the send they were kept for.
   */
  private static final ThreadLocal<Plain> LAST_PLAIN = new ThreadLocal<>();

  private record Plain(Iso8583Message message, byte[] bytes) {}

  private final Iso8583Messages messages;

  public Iso8583Wire(Iso8583Messages messages) {
    this.messages = messages;
  }

  /** A wire on the packager resource. */
  public static Iso8583Wire load() {
    return new Iso8583Wire(new Iso8583Messages(Iso8583Codec.load()));
  }

  public Iso8583Messages messages() {
    return messages;
  }

  /**
   * A received message and what its MAC covers.
   *
   * @param message the typed message
   * @param macInput the bytes before field 128 (the whole message when there is none)
   * @param mac field 128, or null when absent
   */
  public record Received(Iso8583Message message, byte[] macInput, byte[] mac) {}

  /** The bytes of {@code message} with no field 128 (a link with MACs off). */
  public byte[] write(Iso8583Message message) {
    byte[] bytes = messages.codec().encode(messages.toIso(message));
    LAST_PLAIN.set(new Plain(message, bytes));
    return bytes.clone();
  }

  /** The bytes of {@code message} with field 128 under {@code zak}. */
  public byte[] write(Iso8583Message message, AlgorithmSuite suite, ZoneKeys.Generation zak) {
    return write(message, input -> MessageMac.compute(suite, zak.zak(), input));
  }

  /** The bytes of {@code message} with field 128 under {@code zak} of the link {@code keys} (its kept MAC functions). */
  public byte[] write(Iso8583Message message, ZoneKeys keys, ZoneKeys.Generation zak) {
    return write(message, input -> keys.mac(zak, input));
  }

  private byte[] write(Iso8583Message message, UnaryOperator<byte[]> macOf) {
    byte[] bytes = withRoomForMac(message);
    int macAt = bytes.length - MAC_FIELD_CHARS;
    byte[] mac = macOf.apply(Arrays.copyOf(bytes, macAt));
    byte[] macText = Hex.encode(mac).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(macText, 0, bytes, macAt, MAC_FIELD_CHARS);
    return bytes;
  }

  /**
   * The bytes of {@code message} with bit 128 set and room for field 128 at the end: from this
   * thread's last plain write of the same message when there is one (field 128, last of all, only
   * adds its bit and its 16 characters), else encoded.
   */
  private byte[] withRoomForMac(Iso8583Message message) {
    Plain last = LAST_PLAIN.get();
    if (last != null && last.message() == message) {
      LAST_PLAIN.remove();
      byte[] bytes = Arrays.copyOf(last.bytes(), last.bytes().length + MAC_FIELD_CHARS);
      bytes[FIELD_128_BITMAP_BYTE] |= FIELD_128_BITMAP_MASK;
      if (bytes.length <= Iso8583Limits.MESSAGE_BYTES_MAX) {
        return bytes;
      }
    }
    IsoMessage iso = messages.toIso(message);
    messages.codec().set(iso, 128, new byte[Iso8583Limits.MAC_BYTES]);
    return messages.codec().encode(iso);
  }

  /**
   * Parses {@code bytes}; the MAC is not checked here ({@link #verify}).
   *
   * @throws Iso8583Exception for anything malformed; nothing else escapes
   */
  public Received read(byte[] bytes) {
    IsoMessage iso = messages.codec().decode(bytes);
    Iso8583Message message = messages.fromIso(iso);
    if (!iso.hasField(128)) {
      return new Received(message, bytes, null);
    }
    // decode() checked the bytes are canonical, so field 128 is exactly the last 16 characters.
    return new Received(message, Arrays.copyOf(bytes, bytes.length - MAC_FIELD_CHARS), iso.getObjectValue(128));
  }

  /**
   * The key among {@code keys} that {@code received}'s MAC verifies under, trying each in constant time.
   *
   * @throws Iso8583Exception MAC_MISSING without field 128, MAC_INVALID when no key verifies it
   */
  public static ZoneKeys.Generation verify(Received received, AlgorithmSuite suite, List<ZoneKeys.Generation> keys) {
    return verify(received, keys, (key, input) -> MessageMac.compute(suite, key.zak(), input));
  }

  /**
   * As {@link #verify(Received, AlgorithmSuite, List)}, with the kept MAC functions of the link {@code link}.
   *
   * @param candidates generations of {@code link}
   */
  public static ZoneKeys.Generation verify(Received received, ZoneKeys link, List<ZoneKeys.Generation> candidates) {
    return verify(received, candidates, link::mac);
  }

  private static ZoneKeys.Generation verify(Received received, List<ZoneKeys.Generation> keys,
      BiFunction<ZoneKeys.Generation, byte[], byte[]> macOf) {
    if (received.mac() == null) {
      throw new Iso8583Exception(MAC_MISSING, received.message().mti().code() + " has no field 128");
    }
    for (ZoneKeys.Generation key : keys) {
      if (MessageDigest.isEqual(macOf.apply(key, received.macInput()), received.mac())) {
        return key;
      }
    }
    throw new Iso8583Exception(MAC_INVALID, received.message().mti().code() + " field 128 does not verify");
  }
}
