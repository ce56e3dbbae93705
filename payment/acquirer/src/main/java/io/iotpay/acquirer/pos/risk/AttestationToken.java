package io.iotpay.acquirer.pos.risk;

import io.iotpay.foundation.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An attestation token as the phone's SE signs it (docs/se-apdus.md, "The attestation token"):
 * counter (4) ‖ terminal id (8) ‖ version (1) ‖ integrity digest (32) ‖ device state flags (1) ‖
 * SDK version (2) ‖ nonce (16) ‖ latitude (4) ‖ longitude (4) ‖ DER signature (8..72).
 *
 * @param signed the 72 bytes the signature covers
 */
public record AttestationToken(long counter, String terminalId, byte[] integrityDigest, int deviceFlags,
    int sdkMajor, int sdkMinor, byte[] nonce, int latitudeMicro, int longitudeMicro, byte[] signed,
    byte[] signature) {
  public static final int SIGNED_BYTES = 72;
  public static final int SIGNATURE_BYTES_MAX = 72;
  public static final int BYTES_MAX = SIGNED_BYTES + SIGNATURE_BYTES_MAX;
  public static final int NONCE_BYTES = 16;
  public static final int DIGEST_BYTES = 32;
  static final int VERSION = 1;
  public static final int FLAG_ROOTED = 0x01;
  public static final int FLAG_DEBUGGER = 0x02;
  public static final int FLAG_EMULATOR = 0x04;
  public static final int FLAG_BOOTLOADER_UNLOCKED = 0x08;
  private static final int LATITUDE_MAX = 90_000_000;
  private static final int LONGITUDE_MAX = 180_000_000;

  /**
   * Parses a token; bounded (at most {@link #BYTES_MAX} bytes read), never trusts a length.
   *
   * @throws InvalidInputException naming what is wrong; nothing is changed anywhere
   */
  public static AttestationToken parse(byte[] token) {
    if (token == null || token.length < SIGNED_BYTES + 8 || token.length > BYTES_MAX) {
      throw new InvalidInputException("attestation token must be " + (SIGNED_BYTES + 8) + ".." + BYTES_MAX + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(token);
    long counter = Integer.toUnsignedLong(b.getInt());
    byte[] terminal = new byte[8];
    b.get(terminal);
    for (byte c : terminal) {
      if (c < '0' || c > '9') {
        throw new InvalidInputException("attestation token: terminal id is not 8 digits");
      }
    }
    int version = b.get() & 0xFF;
    if (version != VERSION) {
      throw new InvalidInputException("attestation token: unknown version " + version);
    }
    byte[] digest = new byte[DIGEST_BYTES];
    b.get(digest);
    int flags = b.get() & 0xFF;
    int major = b.get() & 0xFF;
    int minor = b.get() & 0xFF;
    byte[] nonce = new byte[NONCE_BYTES];
    b.get(nonce);
    int latitude = b.getInt();
    int longitude = b.getInt();
    if (Math.abs((long) latitude) > LATITUDE_MAX || Math.abs((long) longitude) > LONGITUDE_MAX) {
      throw new InvalidInputException("attestation token: location outside the globe");
    }
    byte[] signature = Arrays.copyOfRange(token, SIGNED_BYTES, token.length);
    if ((signature[0] & 0xFF) != 0x30 || (signature[1] & 0xFF) != signature.length - 2) {
      throw new InvalidInputException("attestation token: signature is not one DER SEQUENCE");
    }
    return new AttestationToken(counter, new String(terminal, StandardCharsets.US_ASCII), digest, flags, major, minor,
        nonce, latitude, longitude, Arrays.copyOf(token, SIGNED_BYTES), signature);
  }
}
