package io.iotpay.phone.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.terminal.pos.PinPad;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Online PIN on the phone (docs/pin-and-dukpt.md, "The flow"). The cardholder types the PIN on the
 * phone's trusted keypad, and this pad enciphers it at once as an ISO 9564 format 4 block under the
 * PIN key of the current DUKPT transaction (ANSI X9.24-3 AES DUKPT for INTERNATIONAL, iotpay's SM4
 * analogue for NATIONAL), returned with its KSN for fields 52 and 53.
 *
 * <p>Two parts are <b>models</b>: the {@link TrustedKeypad} stands for the TEE's trusted user
 * interface (here the digits pass through this JVM as a {@code char[]} that is wiped at once), and
 * the DUKPT registers ({@link Dukpt.Device}) stand for the secure element's key store: they live in
 * this object, in memory, so a restarted app needs a new initial key. The PIN exists in clear only
 * inside {@link #enterOnlinePin}; the kernel, the SDK and every party after it see the block.
 * One pad per terminal; calls are serialised (a DUKPT device has one open transaction at a time).
 */
public final class PhonePinPad implements PinPad {
  /** The TEE's trusted keypad (a model): the typed digits, or empty when the cardholder bypasses PIN entry. */
  @FunctionalInterface
  public interface TrustedKeypad {
    /**
     * @param amount the amount the keypad shows
     * @return a fresh buffer of the digits, which the pad wipes; empty for a bypass
     */
    Optional<char[]> readPin(Money amount);
  }

  private final AlgorithmSuite suite;
  private final Dukpt.Device registers;
  private final TrustedKeypad keypad;
  private final SecureRandom random = new SecureRandom();

  private PhonePinPad(AlgorithmSuite suite, Dukpt.Device registers, TrustedKeypad keypad) {
    this.suite = suite;
    this.registers = registers;
    this.keypad = keypad;
  }

  /**
   * Loads the pad's initial DUKPT key (what the acquirer's key-injection step derives from its BDK
   * for this phone). The caller drops its copy of {@code initialKey}.
   *
   * @param initialKeyId 8 bytes: the acquirer's BDK id (4) ‖ this phone's derivation id (4)
   * @throws io.iotpay.foundation.crypto.CryptoException for a key or an id that does not fit the suite
   */
  public static PhonePinPad load(AlgorithmSuite suite, SecretKeyBytes initialKey, byte[] initialKeyId,
      TrustedKeypad keypad) {
    Assert.notNull(keypad, "keypad");
    return new PhonePinPad(suite, Dukpt.Device.load(suite, initialKey, initialKeyId), keypad);
  }

  /** The DUKPT working key type of a PIN block: AES-128 (X9.24-3), or SM4-128 (the analogue). */
  static Dukpt.KeyType pinKeyType(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> Dukpt.KeyType.AES_128;
      case NATIONAL -> Dukpt.KeyType.SM4_128;
    };
  }

  /**
   * Reads the PIN and enciphers it under a fresh DUKPT transaction; that transaction is closed
   * before the block is returned, so its key is erased and the next call uses the next counter.
   *
   * @throws io.iotpay.foundation.crypto.CryptoException for a PIN that is not 4..12 digits or an
   *     exhausted device (the kernel then records "PIN pad not working")
   */
  @Override
  public synchronized Optional<PinBlock> enterOnlinePin(Money amount, Pan pan) {
    Optional<char[]> typed = keypad.readPin(amount);
    if (typed.isEmpty()) {
      return Optional.empty();
    }
    char[] digits = typed.get();
    try (ClearPin pin = ClearPin.fromChars(digits);
        Dukpt.Transaction transaction = registers.begin()) {
      SecretKeyBytes pinKey = transaction.workingKey(Dukpt.KeyUsage.PIN_ENCRYPTION, pinKeyType(suite));
      byte[] block = io.iotpay.foundation.crypto.PinBlock.encipherFormat4(suite, pinKey, pin, pan.digits(), random);
      return Optional.of(new PinBlock(block, transaction.ksn().bytes()));
    } finally {
      Arrays.fill(digits, '\0');
    }
  }

  @Override
  public String toString() {
    return "PhonePinPad[" + suite + "]";
  }
}
