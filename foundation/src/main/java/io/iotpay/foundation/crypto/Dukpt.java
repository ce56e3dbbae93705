package io.iotpay.foundation.crypto;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;

/**
 * Derived Unique Key Per Transaction: AES DUKPT of ANSI X9.24-3-2017 for the INTERNATIONAL suite,
 * and iotpay's SM4 analogue (the same algorithm with SM4 as the derivation cipher) for NATIONAL.
 *
 * <p><b>The algorithm</b> (X9.24-3-2017 section 6 and the reference code of its Annex B):
 *
 * <ul>
 *   <li>A key serial number ({@link Ksn}) is an 8-byte initial key ID (4-byte BDK ID, 4-byte
 *       derivation ID) and a 32-bit transaction counter. A counter is valid when it is not zero and
 *       has at most {@link #COUNTER_ONE_BITS_MAX} one-bits.
 *   <li>Every derivation is {@code E(derivation key, derivation data)} with a 16-byte data block
 *       {@code 01 | block counter | key usage(2) | algorithm(2) | length in bits(2) | 8 bytes}; a
 *       key longer than one block takes block counters 1, 2, … and is truncated.
 *   <li>Initial key: from the BDK with usage {@code 8001} and the whole initial key ID in the last
 *       eight bytes.
 *   <li>Transaction (intermediate derivation) key: starting from the initial key, for each one-bit
 *       of the counter from the most significant down, the working counter gains that bit and the
 *       key becomes {@code E(key, data with usage 8000, derivation ID || working counter)}.
 *   <li>Working key: {@code E(transaction key, data with the usage and algorithm of the working key,
 *       derivation ID || counter)}.
 * </ul>
 *
 * <p>The host derives any key from the BDK and a KSN ({@link #workingKey}); the device keeps the
 * standard's 32 intermediate derivation key registers and walks the counter forward, erasing each
 * key once used ({@link Device}).
 *
 * <p><b>NATIONAL</b> is iotpay's analogue, not a published standard: SM4 (128-bit keys) replaces AES
 * for every derivation, and the algorithm field of the derivation data carries {@link
 * KeyType#SM4_128}'s indicator {@code 0010}, a value X9.24-3 does not assign, so no SM4 derivation
 * data block can equal an AES one.
 */
public final class Dukpt {
  /** Bytes of the initial key ID (BDK ID and derivation ID). */
  public static final int INITIAL_KEY_ID_BYTES = 8;

  /** Bytes of a key serial number: initial key ID and a 32-bit counter. */
  public static final int KSN_BYTES = 12;

  /** X9.24-3: a counter with more one-bits than this is never used (it bounds host work to 16 steps). */
  public static final int COUNTER_ONE_BITS_MAX = 16;

  /** Number of intermediate derivation key registers in a device: one per counter bit. */
  public static final int REGISTER_COUNT = 32;

  /** Largest counter value; the counter is an unsigned 32-bit number. */
  public static final long COUNTER_MAX = 0xFFFF_FFFFL;

  private static final int DERIVATION_DATA_BYTES = 16;

  private Dukpt() {}

  /** Key usage indicators of the derivation data (X9.24-3-2017 Table 2). */
  public enum KeyUsage {
    KEY_ENCRYPTION_KEY(0x0002),
    PIN_ENCRYPTION(0x1000),
    MAC_GENERATION(0x2000),
    MAC_VERIFICATION(0x2001),
    MAC_BOTH_WAYS(0x2002),
    DATA_ENCRYPTION_ENCRYPT(0x3000),
    DATA_ENCRYPTION_DECRYPT(0x3001),
    DATA_ENCRYPTION_BOTH_WAYS(0x3002),
    KEY_DERIVATION(0x8000),
    KEY_DERIVATION_INITIAL_KEY(0x8001);

    private final int indicator;

    KeyUsage(int indicator) {
      this.indicator = indicator;
    }

    /** The two-byte indicator. */
    public int indicator() {
      return indicator;
    }
  }

  /**
   * Algorithm indicators and lengths of the derivation data (X9.24-3-2017 Table 3), plus iotpay's
   * SM4 indicator.
   */
  public enum KeyType {
    TDEA_2(0x0000, 128, 80),
    TDEA_3(0x0001, 192, 112),
    AES_128(0x0002, 128, 128),
    AES_192(0x0003, 192, 192),
    AES_256(0x0004, 256, 256),
    /** iotpay's analogue: not assigned by X9.24-3 (see the class comment). */
    SM4_128(0x0010, 128, 128);

    private final int indicator;
    private final int lengthBits;
    private final int strengthBits;

    KeyType(int indicator, int lengthBits, int strengthBits) {
      this.indicator = indicator;
      this.lengthBits = lengthBits;
      this.strengthBits = strengthBits;
    }

    /** Security strength (NIST SP 800-57: 2TDEA 80, 3TDEA 112, AES its length). */
    public int strengthBits() {
      return strengthBits;
    }

    public int indicator() {
      return indicator;
    }

    public int lengthBits() {
      return lengthBits;
    }

    public int lengthBytes() {
      return lengthBits / 8;
    }
  }

  /**
   * A key serial number.
   *
   * @param initialKeyId 8 bytes (the record keeps its own copy)
   * @param counter the transaction counter, 0..{@link #COUNTER_MAX}
   */
  public record Ksn(byte[] initialKeyId, long counter) {
    /** @throws CryptoException for an ID that is not 8 bytes or a counter outside 32 bits */
    public Ksn {
      if (initialKeyId == null || initialKeyId.length != INITIAL_KEY_ID_BYTES) {
        throw new CryptoException("DUKPT: initial key ID must be " + INITIAL_KEY_ID_BYTES + " bytes");
      }
      if (counter < 0 || counter > COUNTER_MAX) {
        throw new CryptoException("DUKPT: counter " + counter + " is outside 0.." + COUNTER_MAX);
      }
      initialKeyId = initialKeyId.clone();
    }

    /**
     * Parses the 12-byte wire form.
     *
     * @throws CryptoException for any other length
     */
    public static Ksn parse(byte[] ksn) {
      if (ksn == null || ksn.length != KSN_BYTES) {
        throw new CryptoException("DUKPT: KSN must be " + KSN_BYTES + " bytes");
      }
      long counter = 0;
      for (int i = INITIAL_KEY_ID_BYTES; i < KSN_BYTES; i++) {
        counter = (counter << 8) | (ksn[i] & 0xFF);
      }
      return new Ksn(Arrays.copyOf(ksn, INITIAL_KEY_ID_BYTES), counter);
    }

    @Override
    public byte[] initialKeyId() {
      return initialKeyId.clone();
    }

    /** The 12-byte wire form. */
    public byte[] bytes() {
      byte[] out = Arrays.copyOf(initialKeyId, KSN_BYTES);
      for (int i = 0; i < 4; i++) {
        out[KSN_BYTES - 1 - i] = (byte) (counter >>> (8 * i));
      }
      return out;
    }

    /** True when the counter is usable: not zero and at most 16 one-bits. */
    public boolean isValid() {
      return counter != 0 && Long.bitCount(counter) <= COUNTER_ONE_BITS_MAX;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Ksn that && counter == that.counter && Arrays.equals(initialKeyId, that.initialKeyId);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(initialKeyId) * 31 + Long.hashCode(counter);
    }

    @Override
    public String toString() {
      // A KSN is not secret: it travels in the clear beside every PIN block.
      return "Ksn[" + Hex.encode(bytes()) + "]";
    }
  }

  /**
   * The key type a suite's derivation keys have: AES-128/192/256 by the BDK's length for
   * INTERNATIONAL, SM4-128 for NATIONAL.
   *
   * @throws CryptoException for a key length the suite's cipher does not take
   */
  public static KeyType derivationKeyType(AlgorithmSuite suite, SecretKeyBytes key) {
    suite.blockCipher().checkKey(key);
    return switch (suite) {
      case INTERNATIONAL ->
          switch (key.lengthBytes()) {
            case 16 -> KeyType.AES_128;
            case 24 -> KeyType.AES_192;
            default -> KeyType.AES_256;
          };
      case NATIONAL -> KeyType.SM4_128;
    };
  }

  /**
   * The initial key (IK) a device is loaded with, from the BDK and the device's initial key ID.
   *
   * @throws CryptoException for a BDK that does not fit the suite or an ID that is not 8 bytes
   */
  public static SecretKeyBytes initialKey(AlgorithmSuite suite, SecretKeyBytes bdk, byte[] initialKeyId) {
    KeyType type = derivationKeyType(suite, bdk);
    if (initialKeyId == null || initialKeyId.length != INITIAL_KEY_ID_BYTES) {
      throw new CryptoException("DUKPT: initial key ID must be " + INITIAL_KEY_ID_BYTES + " bytes");
    }
    byte[] data = derivationData(KeyUsage.KEY_DERIVATION_INITIAL_KEY, type, initialKeyId, 0, 8, 0);
    return new SecretKeyBytes(derive(suite, bdk, type, data));
  }

  /**
   * The transaction's intermediate derivation key ("transaction key" of the test vectors), from the
   * initial key: one derivation per one-bit of the counter, most significant first.
   *
   * @throws CryptoException for an invalid counter (zero or more than 16 one-bits)
   */
  public static SecretKeyBytes transactionKey(AlgorithmSuite suite, SecretKeyBytes initialKey, Ksn ksn) {
    KeyType type = derivationKeyType(suite, initialKey);
    checkCounter(ksn);
    byte[] key = initialKey.value();
    long workingCounter = 0;
    for (long mask = 1L << 31; mask != 0; mask >>>= 1) {
      if ((ksn.counter() & mask) != 0) {
        workingCounter |= mask;
        byte[] data = derivationData(KeyUsage.KEY_DERIVATION, type, ksn.initialKeyId, 4, 4, workingCounter);
        byte[] next = derive(suite, new SecretKeyBytes(key), type, data);
        Arrays.fill(key, (byte) 0);
        key = next;
      }
    }
    SecretKeyBytes out = new SecretKeyBytes(key);
    Arrays.fill(key, (byte) 0);
    return out;
  }

  /**
   * A working key for one transaction, derived by the host from the BDK and the KSN the device
   * sent.
   *
   * @throws CryptoException for an invalid counter, a BDK that does not fit, or a working key type
   *     not allowed under the suite (see {@link #checkWorkingKeyType})
   */
  public static SecretKeyBytes workingKey(
      AlgorithmSuite suite, SecretKeyBytes bdk, Ksn ksn, KeyUsage usage, KeyType workingKeyType) {
    SecretKeyBytes initialKey = initialKey(suite, bdk, ksn.initialKeyId);
    return workingKeyFromInitialKey(suite, initialKey, ksn, usage, workingKeyType);
  }

  /**
   * A working key from the device's initial key (the host caches IKs per device).
   *
   * @throws CryptoException as {@link #workingKey}
   */
  public static SecretKeyBytes workingKeyFromInitialKey(
      AlgorithmSuite suite, SecretKeyBytes initialKey, Ksn ksn, KeyUsage usage, KeyType workingKeyType) {
    SecretKeyBytes transactionKey = transactionKey(suite, initialKey, ksn);
    return workingKeyFromTransactionKey(suite, transactionKey, ksn, usage, workingKeyType);
  }

  private static SecretKeyBytes workingKeyFromTransactionKey(
      AlgorithmSuite suite, SecretKeyBytes transactionKey, Ksn ksn, KeyUsage usage, KeyType workingKeyType) {
    KeyType derivationType = derivationKeyType(suite, transactionKey);
    checkWorkingKeyType(suite, derivationType, usage, workingKeyType);
    byte[] data = derivationData(usage, workingKeyType, ksn.initialKeyId, 4, 4, ksn.counter());
    return new SecretKeyBytes(derive(suite, transactionKey, workingKeyType, data));
  }

  /**
   * Refuses working keys the standard does not allow: a working key stronger than the derivation
   * key (a key may not protect a stronger one; 2TDEA and 3TDEA are allowed under AES-128), the derivation usages, and for NATIONAL
   * anything but SM4-128.
   *
   * @throws CryptoException naming the refused combination
   */
  static void checkWorkingKeyType(AlgorithmSuite suite, KeyType derivationType, KeyUsage usage, KeyType workingType) {
    if (usage == KeyUsage.KEY_DERIVATION || usage == KeyUsage.KEY_DERIVATION_INITIAL_KEY) {
      throw new CryptoException("DUKPT: " + usage + " is not a working key usage");
    }
    boolean allowed =
        switch (suite) {
          case INTERNATIONAL -> workingType != KeyType.SM4_128 && workingType.strengthBits() <= derivationType.strengthBits();
          case NATIONAL -> workingType == KeyType.SM4_128;
        };
    if (!allowed) {
      throw new CryptoException(
          "DUKPT: working key " + workingType + " is not allowed under a " + derivationType + " derivation key");
    }
  }

  private static void checkCounter(Ksn ksn) {
    if (!ksn.isValid()) {
      throw new CryptoException(
          "DUKPT: counter " + Long.toHexString(ksn.counter()) + " is zero or has more than "
              + COUNTER_ONE_BITS_MAX + " one-bits");
    }
  }

  /**
   * The 16-byte derivation data: {@code 01, block counter (set per block), usage, algorithm, length,
   * then 8 bytes}: {@code idLength} bytes of the initial key ID from {@code idOffset}, then, when
   * {@code idLength} is 4, the 32-bit counter.
   */
  static byte[] derivationData(KeyUsage usage, KeyType type, byte[] initialKeyId, int idOffset, int idLength, long counter) {
    byte[] data = new byte[DERIVATION_DATA_BYTES];
    data[0] = 0x01;
    data[1] = 0x01;
    data[2] = (byte) (usage.indicator() >>> 8);
    data[3] = (byte) usage.indicator();
    data[4] = (byte) (type.indicator() >>> 8);
    data[5] = (byte) type.indicator();
    data[6] = (byte) (type.lengthBits() >>> 8);
    data[7] = (byte) type.lengthBits();
    System.arraycopy(initialKeyId, idOffset, data, 8, idLength);
    if (idLength == 4) {
      for (int i = 0; i < 4; i++) {
        data[15 - i] = (byte) (counter >>> (8 * i));
      }
    }
    return data;
  }

  /** Derive_Key of the reference code: as many cipher blocks as the output needs, truncated. */
  static byte[] derive(AlgorithmSuite suite, SecretKeyBytes derivationKey, KeyType outputType, byte[] data) {
    BlockCipher engine = suite.blockCipher().newEngine(derivationKey, true);
    int blocks = (outputType.lengthBytes() + DERIVATION_DATA_BYTES - 1) / DERIVATION_DATA_BYTES;
    byte[] out = new byte[blocks * DERIVATION_DATA_BYTES];
    byte[] block = data.clone();
    for (int i = 0; i < blocks; i++) {
      block[1] = (byte) (i + 1);
      engine.processBlock(block, 0, out, i * DERIVATION_DATA_BYTES);
    }
    byte[] key = Arrays.copyOf(out, outputType.lengthBytes());
    Arrays.fill(out, (byte) 0);
    Assert.that(key.length == outputType.lengthBytes(), "derived key has {} bytes", key.length);
    return key;
  }

  /**
   * The device side (the PIN pad or the phone's secure element): the standard's intermediate
   * derivation key registers, the counter, and the rule that each key is erased once used.
   * Register {@code i} holds the derivation key of a future counter whose lowest one-bit is bit
   * {@code i}. Not thread-safe: one device, one sequence of transactions.
   */
  public static final class Device {
    private final AlgorithmSuite suite;
    private final KeyType derivationType;
    private final byte[] initialKeyId;
    private final byte[][] registers = new byte[REGISTER_COUNT][];
    private long counter;
    private boolean inTransaction;

    private Device(AlgorithmSuite suite, KeyType derivationType, byte[] initialKeyId) {
      this.suite = suite;
      this.derivationType = derivationType;
      this.initialKeyId = initialKeyId.clone();
    }

    /**
     * Load_Initial_Key: fills all 32 registers from the initial key (for counters 1, 2, 4, …,
     * 2^31) and sets the counter to 1. The caller should erase its copy of the IK.
     *
     * @throws CryptoException for a key that does not fit the suite or an ID that is not 8 bytes
     */
    public static Device load(AlgorithmSuite suite, SecretKeyBytes initialKey, byte[] initialKeyId) {
      KeyType type = derivationKeyType(suite, initialKey);
      if (initialKeyId == null || initialKeyId.length != INITIAL_KEY_ID_BYTES) {
        throw new CryptoException("DUKPT: initial key ID must be " + INITIAL_KEY_ID_BYTES + " bytes");
      }
      Device device = new Device(suite, type, initialKeyId);
      byte[] ik = initialKey.value();
      device.fillRegisters(ik, 0, REGISTER_COUNT - 1);
      Arrays.fill(ik, (byte) 0);
      device.counter = 1;
      return device;
    }

    /**
     * The registers a device holds when its next counter is {@code counter}, rebuilt from the
     * initial key (for simulators and tests that need a device late in its life; a real device
     * never keeps its IK). Register i holds a key when i is the lowest one-bit of the counter, or
     * above it with bit i clear: the key of the counter's bits above i plus bit i.
     *
     * @throws CryptoException for an invalid counter, a key or an ID that does not fit
     */
    static Device resumeAt(AlgorithmSuite suite, SecretKeyBytes initialKey, byte[] initialKeyId, long counter) {
      Device device = load(suite, initialKey, initialKeyId);
      Ksn next = new Ksn(initialKeyId, counter);
      checkCounter(next);
      int lowest = Long.numberOfTrailingZeros(counter);
      for (int i = 0; i < REGISTER_COUNT; i++) {
        Arrays.fill(device.registers[i], (byte) 0);
        device.registers[i] = null;
        boolean held = i == lowest || (i > lowest && (counter & (1L << i)) == 0);
        if (held) {
          long keyCounter = (counter & ~((2L << i) - 1)) | (1L << i);
          device.registers[i] = transactionKey(suite, initialKey, new Ksn(initialKeyId, keyCounter)).value();
        }
      }
      device.counter = counter;
      return device;
    }

    /** The KSN the next transaction will use. */
    public Ksn nextKsn() {
      checkNotExhausted();
      return new Ksn(initialKeyId, counter);
    }

    /** True when no counter is left (the device must be reloaded with a new initial key). */
    public boolean isExhausted() {
      return counter > COUNTER_MAX;
    }

    /** How many registers hold a key now (at most 32; used keys are erased). */
    public int registersInUse() {
      int inUse = 0;
      for (byte[] register : registers) {
        if (register != null) {
          inUse++;
        }
      }
      return inUse;
    }

    /**
     * Starts the next transaction: the keys of this KSN can be derived until the transaction is
     * closed, which erases its derivation key and moves the counter on.
     *
     * @throws CryptoException when the device is exhausted or the previous transaction is still
     *     open (its key would be erased under it)
     */
    public Transaction begin() {
      checkNotExhausted();
      if (inTransaction) {
        throw new CryptoException("DUKPT: the previous transaction is still open; close it first");
      }
      inTransaction = true;
      int current = Long.numberOfTrailingZeros(counter);
      Assert.that(registers[current] != null, "DUKPT register {} empty at counter {}", current, counter);
      return new Transaction(this, new Ksn(initialKeyId, counter), current);
    }

    private void checkNotExhausted() {
      if (isExhausted()) {
        throw new CryptoException("DUKPT: device exhausted (counter passed " + Long.toHexString(COUNTER_MAX) + ")");
      }
    }

    /**
     * Update_State_for_next_Transaction: while the counter has fewer than 16 one-bits, fill the
     * registers below the current one from its key (the keys of counter + 2^j); erase the current
     * key; then step to the next counter whose register holds a key.
     */
    private void finish(int current) {
      inTransaction = false;
      byte[] key = registers[current];
      boolean fill = Long.bitCount(counter) < COUNTER_ONE_BITS_MAX;
      if (fill && current > 0) {
        fillRegisters(key, counter, current - 1);
      }
      Arrays.fill(key, (byte) 0);
      registers[current] = null;
      counter = fill ? counter + 1 : counter + (1L << current);
      while (!isExhausted() && registers[Long.numberOfTrailingZeros(counter)] == null) {
        // Only reached past a counter with 16 one-bits: skip to the next one with a key.
        counter += Long.lowestOneBit(counter);
      }
    }

    /** Registers {@code top..0} get the keys of {@code base | 2^i}, each derived from {@code baseKey}. */
    private void fillRegisters(byte[] baseKey, long base, int top) {
      SecretKeyBytes derivationKey = new SecretKeyBytes(baseKey);
      for (int i = top; i >= 0; i--) {
        byte[] data = derivationData(KeyUsage.KEY_DERIVATION, derivationType, initialKeyId, 4, 4, base | (1L << i));
        if (registers[i] != null) {
          Arrays.fill(registers[i], (byte) 0);
        }
        registers[i] = derive(suite, derivationKey, derivationType, data);
      }
    }

    @Override
    public String toString() {
      return "Dukpt.Device[" + suite + ", next " + (isExhausted() ? "none" : nextKsn()) + "]";
    }
  }

  /** One transaction of a {@link Device}; close it to erase its key and advance the device. */
  public static final class Transaction implements AutoCloseable {
    private final Device device;
    private final Ksn ksn;
    private final int register;
    private boolean closed;

    private Transaction(Device device, Ksn ksn, int register) {
      this.device = device;
      this.ksn = ksn;
      this.register = register;
    }

    /** The KSN to send with this transaction's PIN block or MAC. */
    public Ksn ksn() {
      return ksn;
    }

    /**
     * A working key of this transaction.
     *
     * @throws CryptoException after {@link #close} or for a working key type not allowed
     */
    public SecretKeyBytes workingKey(KeyUsage usage, KeyType workingKeyType) {
      if (closed) {
        throw new CryptoException("DUKPT: transaction " + ksn + " is closed; its key is erased");
      }
      SecretKeyBytes transactionKey = new SecretKeyBytes(device.registers[register]);
      return workingKeyFromTransactionKey(device.suite, transactionKey, ksn, usage, workingKeyType);
    }

    /** Erases this transaction's derivation key and moves the device to its next counter. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        device.finish(register);
      }
    }
  }
}
