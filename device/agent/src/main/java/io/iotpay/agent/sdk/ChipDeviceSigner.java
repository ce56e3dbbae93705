package io.iotpay.agent.sdk;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * The device's key and counter on its secure chip (the applet of docs/chip-apdus.md), reached
 * through {@link CardChannel}: the private key never leaves the chip, and every message counter
 * is the chip's own. Before the chip is locked it signs only the CSR (SIGN FOR PERSONALISATION);
 * once locked, every signature is a SIGN ENVELOPE: BEGIN (the chip advances and returns its
 * counter), the data in 240-byte pieces, FINAL (the DER signature).
 *
 * <p>As a {@link MessageCounter} it gives the chip's counter: {@link #next} opens the envelope
 * whose counter it returns, and the same thread's next {@link #sign} completes it, so the counter
 * a sealed message carries is the one the chip took for that signature. A signature asked without
 * a counter (a connect token) opens its own envelope and burns a counter value; the platform only
 * needs counters to increase. {@link #signatures} counts the signatures the chip made.
 */
public final class ChipDeviceSigner implements DeviceSigner, MessageCounter {
  private static final int CLA = 0x80;
  private static final int INS_SIGN_ENVELOPE = 0x2E;
  private static final int INS_SIGN_PERSONALISATION = 0x2C;
  private static final int INS_GET_DATA = 0xCA;
  private static final int INS_GET_PUBLIC_KEY = 0x4A;
  private static final int INS_WRITE_OBJECT = 0xD6;
  private static final int INS_END_PERSONALISATION = 0xF0;
  private static final int BEGIN = 0x00;
  private static final int UPDATE = 0x01;
  private static final int FINAL = 0x02;
  private static final int CHUNK = 240;
  private static final int WRITE_CHUNK = 200;
  /** Largest envelope the chip signs (docs/chip-apdus.md section 4). */
  public static final int ENVELOPE_BYTES_MAX = 4000;
  private static final int LIFE_LOCKED = 0x0F;
  /** The chip's certificate and platform trust anchor objects. */
  public static final int OBJECT_CERTIFICATE = 0x01;
  public static final int OBJECT_TRUST_ANCHOR = 0x02;
  /** SubjectPublicKeyInfo prefix (ecPublicKey with the named curve) before the 65-byte point. */
  private static final byte[] SPKI_P256 = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
  private static final byte[] SPKI_SM2 = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a811ccf5501822d034200");

  private final CardChannel channel;
  private final String deviceId;
  private final AlgorithmSuite suite;
  private final PublicKey publicKey;
  private final ReentrantLock envelope = new ReentrantLock();
  private boolean envelopeOpen;
  private long signatures;
  private long envelopesSigned;
  private long apdus;

  /**
   * Reads the device id, suite and public key from the chip (applet already selected on
   * {@code channel}).
   *
   * @throws ChipException when the chip answers a status word other than 9000
   */
  public ChipDeviceSigner(CardChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.deviceId = new String(transmit(new CommandAPDU(CLA, INS_GET_DATA, 0, 0x01, 256)), java.nio.charset.StandardCharsets.US_ASCII);
    byte[] state = transmit(new CommandAPDU(CLA, INS_GET_DATA, 0, 0x03, 256));
    this.suite = state[0] == 0x01 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
    byte[] point = transmit(new CommandAPDU(CLA, INS_GET_PUBLIC_KEY, 0, 0, 256));
    byte[] prefix = suite == AlgorithmSuite.INTERNATIONAL ? SPKI_P256 : SPKI_SM2;
    byte[] spki = Arrays.copyOf(prefix, prefix.length + point.length);
    System.arraycopy(point, 0, spki, prefix.length, point.length);
    this.publicKey = suite.signature().publicKeyFromDer(spki);
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  @Override
  public AlgorithmSuite suite() {
    return suite;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  /** True once END PERSONALISATION has locked the chip (it then signs envelopes only). */
  public boolean locked() {
    envelope.lock();
    try {
      return lockedState();
    } finally {
      envelope.unlock();
    }
  }

  /**
   * Factory personalisation: writes the device certificate and the platform trust anchor (both
   * DER, opaque to the chip) and locks the chip for good.
   */
  public void personalise(byte[] certificate, byte[] trustAnchor) {
    envelope.lock();
    try {
      writeObject(OBJECT_CERTIFICATE, certificate);
      writeObject(OBJECT_TRUST_ANCHOR, trustAnchor);
      transmit(new CommandAPDU(CLA, INS_END_PERSONALISATION, 0, 0));
    } finally {
      envelope.unlock();
    }
  }

  private void writeObject(int object, byte[] bytes) {
    for (int offset = 0; offset < bytes.length; offset += WRITE_CHUNK) {
      int length = Math.min(WRITE_CHUNK, bytes.length - offset);
      byte[] data = new byte[2 + length];
      data[0] = (byte) (offset >>> 8);
      data[1] = (byte) offset;
      System.arraycopy(bytes, offset, data, 2, length);
      transmit(new CommandAPDU(CLA, INS_WRITE_OBJECT, object, 0, data));
    }
  }

  /**
   * The chip advances its counter and opens an envelope for it; the calling thread's next
   * {@link #sign} signs under it.
   */
  @Override
  public long next() {
    envelope.lock();
    if (envelopeOpen) {
      envelope.unlock(); // a BEGIN abandons the envelope this thread left open
    }
    try {
      long counter = begin();
      envelopeOpen = true;
      return counter;
    } catch (RuntimeException e) {
      envelope.unlock();
      throw e;
    }
  }

  /**
   * Signs {@code data} on the chip: SIGN FOR PERSONALISATION while the chip is personalising (the
   * CSR), else the envelope opened by this thread's {@link #next}, or a new one.
   *
   * @throws ChipException on a status word other than 9000 (e.g. 6700: over {@link #ENVELOPE_BYTES_MAX})
   */
  @Override
  public byte[] sign(byte[] data) {
    envelope.lock();
    try {
      boolean counted = envelopeOpen;
      if (!envelopeOpen) {
        if (!lockedState()) {
          synchronized (this) {
            signatures++;
          }
          return transmit(new CommandAPDU(CLA, INS_SIGN_PERSONALISATION, 0, 0, data, 256));
        }
        begin();
      }
      envelopeOpen = false;
      int offset = 0;
      while (data.length - offset > CHUNK) {
        transmit(new CommandAPDU(CLA, INS_SIGN_ENVELOPE, UPDATE, 0, Arrays.copyOfRange(data, offset, offset + CHUNK)));
        offset += CHUNK;
      }
      byte[] signature = transmit(new CommandAPDU(CLA, INS_SIGN_ENVELOPE, FINAL, 0, Arrays.copyOfRange(data, offset, data.length), 256));
      synchronized (this) {
        signatures++;
        envelopesSigned += counted ? 1 : 0;
      }
      return signature;
    } finally {
      while (envelope.isHeldByCurrentThread()) {
        envelope.unlock();
      }
    }
  }

  /** Signatures the chip made through this signer. */
  public synchronized long signatures() {
    return signatures;
  }

  /** Signatures under a counter this signer gave as {@link MessageCounter}: the sealed messages. */
  public synchronized long envelopesSigned() {
    return envelopesSigned;
  }

  /** APDUs exchanged with the chip through this signer (for the bench's cost figures). */
  public synchronized long apdus() {
    return apdus;
  }

  private boolean lockedState() {
    return (transmit(new CommandAPDU(CLA, INS_GET_DATA, 0, 0x03, 256))[1] & 0xFF) == LIFE_LOCKED;
  }

  private long begin() {
    byte[] counter = transmit(new CommandAPDU(CLA, INS_SIGN_ENVELOPE, BEGIN, 0, 256));
    if (counter.length != 4) {
      throw new ChipException(0x6F00, "SIGN ENVELOPE BEGIN answered " + counter.length + " bytes, not a 4-byte counter");
    }
    return ((counter[0] & 0xFFL) << 24) | ((counter[1] & 0xFFL) << 16) | ((counter[2] & 0xFFL) << 8) | (counter[3] & 0xFFL);
  }

  private byte[] transmit(CommandAPDU command) {
    ResponseAPDU response;
    try {
      synchronized (this) {
        apdus++;
      }
      response = channel.transmit(command);
    } catch (CardException e) {
      throw new ChipException(0, "chip of " + deviceId + " unreachable: " + e.getMessage());
    }
    if (response.getSW() != 0x9000) {
      throw new ChipException(response.getSW(), String.format("chip of %s answered %04X to INS %02X", deviceId, response.getSW(), command.getINS()));
    }
    return response.getData();
  }

  @Override
  public String toString() {
    return "ChipDeviceSigner[" + deviceId + ", " + suite + "]";
  }

  /** The chip refused a command (status word) or could not be reached (status 0). */
  public static final class ChipException extends RuntimeException {
    private final int statusWord;

    public ChipException(int statusWord, String message) {
      super(message);
      this.statusWord = statusWord;
    }

    /** The status word, or 0 when the chip was not reached. */
    public int statusWord() {
      return statusWord;
    }
  }
}
