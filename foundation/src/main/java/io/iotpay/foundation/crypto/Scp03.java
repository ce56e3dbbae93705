package io.iotpay.foundation.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * GlobalPlatform Secure Channel Protocol '03' (GP Card Specification v2.2 Amendment D, v1.1.x) for
 * the INTERNATIONAL suite, and iotpay's SM4 analogue for NATIONAL.
 *
 * <ul>
 *   <li>KDF (Amendment D 6.2.1, NIST SP 800-108 counter mode, PRF = CMAC): for i = 1.. the block
 *       {@code CMAC(key, label || 00 || L || i || context)}, label = 11 bytes {@code 00} and one
 *       derivation constant, L the output length in bits (2 bytes), i one byte; the output is the
 *       leftmost L bits of the concatenated blocks.
 *   <li>Session keys (6.2.2): S-ENC (constant 04) from the static ENC key, S-MAC (06) and S-RMAC
 *       (07) from the static MAC key, context = host challenge || card challenge, as long as the
 *       static keys.
 *   <li>Cryptograms (6.2.2.2/6.2.2.3): card (00) and host (01) cryptograms are the KDF under S-MAC
 *       with L = 64 and the same context.
 *   <li>C-MAC (6.2.4): {@code CMAC(S-MAC, MAC chaining value || CLA|04 INS P1 P2 Lc' data)}; the full
 *       16 bytes become the next chaining value (zeros before EXTERNAL AUTHENTICATE); the leftmost 8
 *       bytes are sent.
 *   <li>C-DEC (6.2.6): command data padded with {@code 80 00..}, CBC under S-ENC with ICV =
 *       E(S-ENC, encryption counter); the counter is 1 for the first command after EXTERNAL
 *       AUTHENTICATE and grows by one per command.
 *   <li>R-MAC (6.2.5): {@code CMAC(S-RMAC, chaining value of the command || response data ||
 *       SW1 SW2)}, leftmost 8 bytes.
 * </ul>
 *
 * <p><b>NATIONAL</b> is iotpay's analogue (no GlobalPlatform or GM/T document defining SCP03 over SM4
 * was found): the same layouts with SM4-CMAC as the PRF and SM4-CBC for C-DEC; static and session
 * keys are 16 bytes.
 */
public final class Scp03 {
  public static final int CHALLENGE_BYTES = 8;
  public static final int CRYPTOGRAM_BYTES = 8;
  public static final int MAC_BYTES = 8;

  /** Key diversification data, the first 10 bytes of the INITIALIZE UPDATE response. */
  public static final int KEY_DIVERSIFICATION_DATA_BYTES = 10;

  /** Longest context the KDF takes (challenges, or a counter and an AID of at most 16 bytes). */
  public static final int KDF_CONTEXT_BYTES_MAX = 32;

  /** Longest plain command data: padded (16 more at most) plus the C-MAC must fit Lc = 255. */
  public static final int COMMAND_DATA_BYTES_MAX = 255 - MAC_BYTES - 16;

  /** Largest sequence counter (three bytes). */
  public static final int SEQUENCE_COUNTER_MAX = 0xFF_FFFF;

  private static final int BLOCK_BYTES = 16;

  private Scp03() {}

  /** Derivation constants of Amendment D Table 6-1. */
  public enum DerivationConstant {
    CARD_CRYPTOGRAM(0x00),
    HOST_CRYPTOGRAM(0x01),
    CARD_CHALLENGE(0x02),
    S_ENC(0x04),
    S_MAC(0x06),
    S_RMAC(0x07);

    private final int value;

    DerivationConstant(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }
  }

  /** Security level bits of EXTERNAL AUTHENTICATE P1 (Amendment D Table 7-3) this class implements. */
  public enum SecurityLevel {
    C_MAC(0x01),
    C_DECRYPTION_C_MAC(0x03),
    C_MAC_R_MAC(0x11),
    C_DECRYPTION_C_MAC_R_MAC(0x13);

    private final int p1;

    SecurityLevel(int p1) {
      this.p1 = p1;
    }

    public int p1() {
      return p1;
    }

    boolean decryptsCommands() {
      return (p1 & 0x02) != 0;
    }

    boolean macsResponses() {
      return (p1 & 0x10) != 0;
    }
  }

  /** The card's static keys of one key set. */
  public record StaticKeys(SecretKeyBytes enc, SecretKeyBytes mac, SecretKeyBytes dek) {}

  /** The session keys of one secure channel session. */
  public record SessionKeys(SecretKeyBytes sEnc, SecretKeyBytes sMac, SecretKeyBytes sRmac) {}

  /**
   * The SCP03 KDF.
   *
   * @param lengthBits 64, 128, 192 or 256
   * @throws CryptoException for a key that does not fit the suite's MAC, a context longer than
   *     {@link #KDF_CONTEXT_BYTES_MAX}, or an unsupported length
   */
  public static byte[] kdf(AlgorithmSuite suite, SecretKeyBytes key, DerivationConstant constant, byte[] context,
      int lengthBits) {
    return kdf(suite, key, label(constant), context, lengthBits);
  }

  /** KDF with an explicit label ({@code 11 × 00 || constant} for SCP03 itself). */
  static byte[] kdf(AlgorithmSuite suite, SecretKeyBytes key, byte[] label, byte[] context, int lengthBits) {
    if (lengthBits != 64 && lengthBits != 128 && lengthBits != 192 && lengthBits != 256) {
      throw new CryptoException("SCP03 KDF: length of " + lengthBits + " bits, expected 64, 128, 192 or 256");
    }
    if (context == null || context.length > KDF_CONTEXT_BYTES_MAX) {
      throw new CryptoException("SCP03 KDF: context must be 0.." + KDF_CONTEXT_BYTES_MAX + " bytes");
    }
    MacAlgorithm.MacFunction prf = suite.mac().newFunction(key, null);
    int blocks = (lengthBits + 127) / 128;
    byte[] out = new byte[blocks * BLOCK_BYTES];
    byte[] input = new byte[label.length + 4 + context.length];
    System.arraycopy(label, 0, input, 0, label.length);
    input[label.length + 1] = (byte) (lengthBits >>> 8);
    input[label.length + 2] = (byte) lengthBits;
    System.arraycopy(context, 0, input, label.length + 4, context.length);
    for (int i = 1; i <= blocks; i++) {
      input[label.length + 3] = (byte) i;
      System.arraycopy(prf.mac(input), 0, out, (i - 1) * BLOCK_BYTES, BLOCK_BYTES);
    }
    return Arrays.copyOf(out, lengthBits / 8);
  }

  private static byte[] label(DerivationConstant constant) {
    byte[] label = new byte[12];
    label[11] = (byte) constant.value();
    return label;
  }

  /**
   * The session keys for one INITIALIZE UPDATE exchange.
   *
   * @throws CryptoException for challenges that are not 8 bytes or keys that do not fit the suite
   */
  public static SessionKeys sessionKeys(AlgorithmSuite suite, StaticKeys keys, byte[] hostChallenge, byte[] cardChallenge) {
    byte[] context = context(hostChallenge, cardChallenge);
    return new SessionKeys(
        sessionKey(suite, keys.enc(), DerivationConstant.S_ENC, context),
        sessionKey(suite, keys.mac(), DerivationConstant.S_MAC, context),
        sessionKey(suite, keys.mac(), DerivationConstant.S_RMAC, context));
  }

  private static SecretKeyBytes sessionKey(AlgorithmSuite suite, SecretKeyBytes key, DerivationConstant constant,
      byte[] context) {
    suite.blockCipher().checkKey(key);
    return new SecretKeyBytes(kdf(suite, key, constant, context, key.lengthBytes() * 8));
  }

  /** The card cryptogram of the INITIALIZE UPDATE response. */
  public static byte[] cardCryptogram(AlgorithmSuite suite, SecretKeyBytes sMac, byte[] hostChallenge, byte[] cardChallenge) {
    return kdf(suite, sMac, DerivationConstant.CARD_CRYPTOGRAM, context(hostChallenge, cardChallenge), 64);
  }

  /** The host cryptogram of EXTERNAL AUTHENTICATE. */
  public static byte[] hostCryptogram(AlgorithmSuite suite, SecretKeyBytes sMac, byte[] hostChallenge, byte[] cardChallenge) {
    return kdf(suite, sMac, DerivationConstant.HOST_CRYPTOGRAM, context(hostChallenge, cardChallenge), 64);
  }

  /** True when {@code received} is the card cryptogram; constant time. */
  public static boolean isCardCryptogramValid(
      AlgorithmSuite suite, SecretKeyBytes sMac, byte[] hostChallenge, byte[] cardChallenge, byte[] received) {
    return MessageDigest.isEqual(cardCryptogram(suite, sMac, hostChallenge, cardChallenge), received);
  }

  /** True when {@code received} is the host cryptogram; constant time. */
  public static boolean isHostCryptogramValid(
      AlgorithmSuite suite, SecretKeyBytes sMac, byte[] hostChallenge, byte[] cardChallenge, byte[] received) {
    return MessageDigest.isEqual(hostCryptogram(suite, sMac, hostChallenge, cardChallenge), received);
  }

  /**
   * The pseudo-random card challenge (6.2.2.1, i-parameter bit 5): KDF under the static ENC key with
   * constant 02, L = 64, context = sequence counter (3 bytes) || the selected application's AID.
   *
   * @throws CryptoException for a counter over 3 bytes or an AID outside 5..16 bytes
   */
  public static byte[] pseudoRandomCardChallenge(AlgorithmSuite suite, SecretKeyBytes staticEnc, int sequenceCounter,
      byte[] aid) {
    if (sequenceCounter < 0 || sequenceCounter > SEQUENCE_COUNTER_MAX) {
      throw new CryptoException("SCP03: sequence counter " + sequenceCounter + " is outside 0.." + SEQUENCE_COUNTER_MAX);
    }
    if (aid == null || aid.length < 5 || aid.length > 16) {
      throw new CryptoException("SCP03: AID must be 5 to 16 bytes");
    }
    byte[] context = new byte[3 + aid.length];
    context[0] = (byte) (sequenceCounter >>> 16);
    context[1] = (byte) (sequenceCounter >>> 8);
    context[2] = (byte) sequenceCounter;
    System.arraycopy(aid, 0, context, 3, aid.length);
    return kdf(suite, staticEnc, DerivationConstant.CARD_CHALLENGE, context, 64);
  }

  private static byte[] context(byte[] hostChallenge, byte[] cardChallenge) {
    if (hostChallenge == null || hostChallenge.length != CHALLENGE_BYTES) {
      throw new CryptoException("SCP03: host challenge must be " + CHALLENGE_BYTES + " bytes");
    }
    if (cardChallenge == null || cardChallenge.length != CHALLENGE_BYTES) {
      throw new CryptoException("SCP03: card challenge must be " + CHALLENGE_BYTES + " bytes");
    }
    byte[] context = Arrays.copyOf(hostChallenge, 2 * CHALLENGE_BYTES);
    System.arraycopy(cardChallenge, 0, context, CHALLENGE_BYTES, CHALLENGE_BYTES);
    return context;
  }

  /**
   * The off-card entity's side of one session after a verified card cryptogram: builds EXTERNAL
   * AUTHENTICATE, then wraps commands (C-MAC, C-DEC) and checks R-MACs. Not thread-safe.
   */
  public static final class Session {
    private final AlgorithmSuite suite;
    private final SessionKeys keys;
    private final SecurityLevel level;
    private byte[] chainingValue = new byte[BLOCK_BYTES];
    private long encryptionCounter;
    private boolean authenticated;

    /** @throws CryptoException for session keys that do not fit the suite */
    public Session(AlgorithmSuite suite, SessionKeys keys, SecurityLevel level) {
      suite.blockCipher().checkKey(keys.sEnc());
      suite.blockCipher().checkKey(keys.sMac());
      suite.blockCipher().checkKey(keys.sRmac());
      this.suite = suite;
      this.keys = keys;
      this.level = level;
    }

    /**
     * The EXTERNAL AUTHENTICATE command {@code 84 82 P1 00 10 host cryptogram C-MAC}, which starts
     * the MAC chain. Its data is never encrypted.
     *
     * @throws CryptoException for a cryptogram that is not 8 bytes, or when called twice
     */
    public byte[] externalAuthenticate(byte[] hostCryptogram) {
      if (authenticated) {
        throw new CryptoException("SCP03: EXTERNAL AUTHENTICATE already sent in this session");
      }
      if (hostCryptogram == null || hostCryptogram.length != CRYPTOGRAM_BYTES) {
        throw new CryptoException("SCP03: host cryptogram must be " + CRYPTOGRAM_BYTES + " bytes");
      }
      authenticated = true;
      return macAndAssemble(new byte[] {(byte) 0x80, (byte) 0x82, (byte) level.p1(), 0x00}, hostCryptogram, -1);
    }

    /**
     * Wraps a short command APDU (cases 1 to 4) under the session's security level.
     *
     * @throws CryptoException before EXTERNAL AUTHENTICATE, for a malformed APDU, a CLA already
     *     marked for secure messaging, or data longer than {@link #COMMAND_DATA_BYTES_MAX}
     */
    public byte[] wrap(byte[] command) {
      if (!authenticated) {
        throw new CryptoException("SCP03: no EXTERNAL AUTHENTICATE yet");
      }
      Apdu apdu = Apdu.parse(command);
      encryptionCounter++;
      byte[] data = apdu.data();
      if (level.decryptsCommands() && data.length > 0) {
        data = encrypt(data);
      }
      return macAndAssemble(apdu.header(), data, apdu.le());
    }

    /**
     * Checks the R-MAC of a response to the last wrapped command and returns its data.
     *
     * @param responseData the response data field including the trailing 8-byte R-MAC
     * @param sw the status word, e.g. {@code 0x9000}
     * @throws CryptoException when the level has no R-MAC, the response is too short or too long,
     *     or the R-MAC is wrong
     */
    public byte[] unwrapResponse(byte[] responseData, int sw) {
      if (!level.macsResponses()) {
        throw new CryptoException("SCP03: security level " + level + " has no R-MAC");
      }
      if (responseData == null || responseData.length < MAC_BYTES || responseData.length > 256 + MAC_BYTES) {
        throw new CryptoException("SCP03: response must carry data and an 8-byte R-MAC (at most 264 bytes)");
      }
      int dataLength = responseData.length - MAC_BYTES;
      byte[] expected = responseMac(suite, keys, chainingValue, Arrays.copyOf(responseData, dataLength), sw);
      if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(responseData, dataLength, responseData.length))) {
        throw new CryptoException("SCP03: R-MAC of the response is wrong");
      }
      return Arrays.copyOf(responseData, dataLength);
    }

    private byte[] encrypt(byte[] data) {
      int padded = (data.length / BLOCK_BYTES + 1) * BLOCK_BYTES;
      byte[] block = Arrays.copyOf(data, padded);
      block[data.length] = (byte) 0x80;
      return suite.blockCipher().encrypt(CipherMode.CBC, keys.sEnc(), commandIcv(suite, keys, encryptionCounter), block);
    }

    private byte[] macAndAssemble(byte[] header, byte[] data, int le) {
      int lc = data.length + MAC_BYTES;
      if (lc > 255) {
        throw new CryptoException("SCP03: wrapped command data of " + lc + " bytes does not fit a short APDU");
      }
      byte[] input = new byte[BLOCK_BYTES + 5 + data.length];
      System.arraycopy(chainingValue, 0, input, 0, BLOCK_BYTES);
      input[BLOCK_BYTES] = (byte) (header[0] | 0x04);
      System.arraycopy(header, 1, input, BLOCK_BYTES + 1, 3);
      input[BLOCK_BYTES + 4] = (byte) lc;
      System.arraycopy(data, 0, input, BLOCK_BYTES + 5, data.length);
      chainingValue = suite.mac().mac(keys.sMac(), input, null);
      byte[] out = new byte[5 + lc + (le >= 0 ? 1 : 0)];
      System.arraycopy(input, BLOCK_BYTES, out, 0, 5 + data.length);
      System.arraycopy(chainingValue, 0, out, 5 + data.length, MAC_BYTES);
      if (le >= 0) {
        out[out.length - 1] = (byte) le;
      }
      return out;
    }
  }

  /** ICV of C-DEC: E(S-ENC, encryption counter as a 16-byte big-endian block). */
  private static byte[] commandIcv(AlgorithmSuite suite, SessionKeys keys, long encryptionCounter) {
    byte[] counterBlock = new byte[BLOCK_BYTES];
    for (int i = 0; i < 8; i++) {
      counterBlock[BLOCK_BYTES - 1 - i] = (byte) (encryptionCounter >>> (8 * i));
    }
    return suite.blockCipher().encryptBlock(keys.sEnc(), counterBlock);
  }

  /** R-MAC: CMAC(S-RMAC, chaining value || data || SW1 SW2), leftmost 8 bytes. */
  private static byte[] responseMac(AlgorithmSuite suite, SessionKeys keys, byte[] chainingValue, byte[] data, int sw) {
    byte[] input = new byte[BLOCK_BYTES + data.length + 2];
    System.arraycopy(chainingValue, 0, input, 0, BLOCK_BYTES);
    System.arraycopy(data, 0, input, BLOCK_BYTES, data.length);
    input[input.length - 2] = (byte) (sw >>> 8);
    input[input.length - 1] = (byte) sw;
    return Arrays.copyOf(suite.mac().mac(keys.sRmac(), input, null), MAC_BYTES);
  }

  /**
   * The card's side of one session (what a security domain does, for simulators and tests): checks
   * EXTERNAL AUTHENTICATE, then unwraps commands (C-MAC check, C-DEC) and adds R-MACs. The first
   * wrong MAC or padding closes the session, as Amendment D requires. Not thread-safe.
   */
  public static final class CardSession {
    private final AlgorithmSuite suite;
    private final SessionKeys keys;
    private final SecurityLevel level;
    private byte[] chainingValue;
    private long encryptionCounter;
    private boolean closed;

    private CardSession(AlgorithmSuite suite, SessionKeys keys, SecurityLevel level, byte[] chainingValue) {
      this.suite = suite;
      this.keys = keys;
      this.level = level;
      this.chainingValue = chainingValue;
    }

    /**
     * Opens the session on a valid EXTERNAL AUTHENTICATE {@code 84 82 P1 00 10 cryptogram C-MAC}.
     *
     * @throws CryptoException for a malformed command, a security level not implemented, a wrong
     *     host cryptogram or a wrong C-MAC
     */
    public static CardSession open(
        AlgorithmSuite suite, SessionKeys keys, byte[] hostChallenge, byte[] cardChallenge, byte[] externalAuthenticate) {
      boolean shaped = externalAuthenticate != null && externalAuthenticate.length == 5 + 2 * CRYPTOGRAM_BYTES
          && externalAuthenticate[0] == (byte) 0x84 && externalAuthenticate[1] == (byte) 0x82
          && externalAuthenticate[3] == 0x00 && externalAuthenticate[4] == 0x10;
      if (!shaped) {
        throw new CryptoException("SCP03: not an EXTERNAL AUTHENTICATE command (84 82 P1 00 10, 16 bytes of data)");
      }
      SecurityLevel level = securityLevel(externalAuthenticate[2] & 0xFF);
      byte[] cryptogram = Arrays.copyOfRange(externalAuthenticate, 5, 13);
      if (!isHostCryptogramValid(suite, keys.sMac(), hostChallenge, cardChallenge, cryptogram)) {
        throw new CryptoException("SCP03: host cryptogram is wrong");
      }
      CardSession session = new CardSession(suite, keys, level, new byte[BLOCK_BYTES]);
      session.checkMac(externalAuthenticate);
      return session;
    }

    private static SecurityLevel securityLevel(int p1) {
      for (SecurityLevel each : SecurityLevel.values()) {
        if (each.p1() == p1) {
          return each;
        }
      }
      throw new CryptoException("SCP03: security level " + Integer.toHexString(p1) + " is not implemented");
    }

    /** The security level the host chose. */
    public SecurityLevel level() {
      return level;
    }

    /**
     * Checks and strips secure messaging: returns the plain command APDU ({@code CLA} without the
     * secure messaging bit, Lc and data in the clear, Le kept).
     *
     * @throws CryptoException for a closed session, a malformed command, a wrong C-MAC or a wrong
     *     padding (the last two close the session)
     */
    public byte[] unwrap(byte[] command) {
      if (closed) {
        throw new CryptoException("SCP03: session closed after a security failure");
      }
      boolean shaped = command != null && command.length >= 5 + MAC_BYTES && (command[0] & 0x04) != 0
          && (command[4] & 0xFF) >= MAC_BYTES
          && (command.length == 5 + (command[4] & 0xFF) || command.length == 6 + (command[4] & 0xFF));
      if (!shaped) {
        throw new CryptoException("SCP03: not a secure messaging command (CLA|04, Lc covering data and an 8-byte C-MAC)");
      }
      checkMac(command);
      encryptionCounter++;
      int lc = command[4] & 0xFF;
      byte[] data = Arrays.copyOfRange(command, 5, 5 + lc - MAC_BYTES);
      if (level.decryptsCommands() && data.length > 0) {
        data = decrypt(data);
      }
      boolean hasLe = command.length == 6 + lc;
      byte[] out = new byte[4 + (data.length > 0 ? 1 + data.length : 0) + (hasLe ? 1 : 0)];
      out[0] = (byte) (command[0] & ~0x04);
      System.arraycopy(command, 1, out, 1, 3);
      if (data.length > 0) {
        out[4] = (byte) data.length;
        System.arraycopy(data, 0, out, 5, data.length);
      }
      if (hasLe) {
        out[out.length - 1] = command[command.length - 1];
      }
      return out;
    }

    /**
     * The response data field with its R-MAC appended (levels with R-MAC), or the data unchanged.
     *
     * @throws CryptoException for data over 256 bytes
     */
    public byte[] wrapResponse(byte[] data, int sw) {
      if (data == null || data.length > 256) {
        throw new CryptoException("SCP03: response data must be 0..256 bytes");
      }
      if (!level.macsResponses()) {
        return data.clone();
      }
      byte[] out = Arrays.copyOf(data, data.length + MAC_BYTES);
      System.arraycopy(responseMac(suite, keys, chainingValue, data, sw), 0, out, data.length, MAC_BYTES);
      return out;
    }

    /** Verifies the trailing C-MAC of a command (without Le) and moves the chaining value on. */
    private void checkMac(byte[] command) {
      int lc = command[4] & 0xFF;
      byte[] input = new byte[BLOCK_BYTES + 5 + lc - MAC_BYTES];
      System.arraycopy(chainingValue, 0, input, 0, BLOCK_BYTES);
      System.arraycopy(command, 0, input, BLOCK_BYTES, 5 + lc - MAC_BYTES);
      byte[] full = suite.mac().mac(keys.sMac(), input, null);
      byte[] received = Arrays.copyOfRange(command, 5 + lc - MAC_BYTES, 5 + lc);
      if (!MessageDigest.isEqual(Arrays.copyOf(full, MAC_BYTES), received)) {
        closed = true;
        throw new CryptoException("SCP03: C-MAC of the command is wrong; session closed");
      }
      chainingValue = full;
    }

    private byte[] decrypt(byte[] data) {
      if (data.length % BLOCK_BYTES != 0) {
        closed = true;
        throw new CryptoException("SCP03: encrypted data is not whole blocks; session closed");
      }
      byte[] plain =
          suite.blockCipher().decrypt(CipherMode.CBC, keys.sEnc(), commandIcv(suite, keys, encryptionCounter), data);
      int end = plain.length - 1;
      while (end >= 0 && plain[end] == 0x00 && plain.length - end <= BLOCK_BYTES) {
        end--;
      }
      if (end < 0 || plain[end] != (byte) 0x80 || plain.length - end > BLOCK_BYTES) {
        closed = true;
        throw new CryptoException("SCP03: padding of the decrypted data is wrong; session closed");
      }
      return Arrays.copyOf(plain, end);
    }
  }

  /** A parsed short command APDU; {@code le} is -1 when absent. */
  private record Apdu(byte[] header, byte[] data, int le) {
    static Apdu parse(byte[] command) {
      if (command == null || command.length < 4) {
        throw new CryptoException("SCP03: command APDU must have at least CLA INS P1 P2");
      }
      if ((command[0] & 0x04) != 0) {
        throw new CryptoException("SCP03: CLA already has the secure messaging bit");
      }
      byte[] header = Arrays.copyOf(command, 4);
      if (command.length == 4) {
        return new Apdu(header, new byte[0], -1);
      }
      if (command.length == 5) {
        return new Apdu(header, new byte[0], command[4] & 0xFF);
      }
      int lc = command[4] & 0xFF;
      if (lc == 0 || lc > COMMAND_DATA_BYTES_MAX || (command.length != 5 + lc && command.length != 6 + lc)) {
        throw new CryptoException(
            "SCP03: command APDU of " + command.length + " bytes does not match its Lc (1.." + COMMAND_DATA_BYTES_MAX + ")");
      }
      int le = command.length == 6 + lc ? command[5 + lc] & 0xFF : -1;
      return new Apdu(header, Arrays.copyOfRange(command, 5, 5 + lc), le);
    }
  }
}
