package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PinBlock;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online PIN path through the custody (acquirer translation, issuer verification) fed the
 * published ANSI X9.24-3-2017 supplement example. AES only: no SM4 DUKPT or SM4 format 4 vectors
 * are published (docs/pin-and-dukpt.md); the NATIONAL path runs in CustodyOperationSuite and
 * OnlinePinTest under both suites.
 */
class CustodyPinKnownAnswerTest {
  /** X9.24-3-2017 Annex B / supplement: AES-128 BDK, initial key ID, and the format 4 example's block. */
  private static final SecretKeyBytes BDK = SecretKeyBytes.fromHex("FEDCBA9876543210F1F1F1F1F1F1F1F1");
  private static final byte[] KSN_COUNTER_1 = Hex.decode("123456789012345600000001");
  private static final byte[] KSN_COUNTER_2 = Hex.decode("123456789012345600000002");
  private static final String PAN = "4111111111111111";
  private static final byte[] BLOCK_COUNTER_1 = Hex.decode("A912150391AB65A67E52883D81CE2D15");
  private static final byte[] BLOCK_COUNTER_2 = Hex.decode("52A00503BD34BA1383F6A7EE9FE2547F");

  @TempDir Path temp;

  @Test
  void theSupplementsFormat4Blocks_translateFromDukpt_andVerifyAgainstPin1234() {
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    AlgorithmSuite aes = AlgorithmSuite.INTERNATIONAL;
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(temp.resolve("keys"), aes, new SecretKeyBytes(master))) {
      SecretKeyBytes zoneKey = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
      KeyRef bdk = custody.importClear("bdk", aes, KeyUsage.DUKPT_BDK, BDK);
      KeyRef zone = custody.importClear("zpk", aes, KeyUsage.ZONE_PIN, zoneKey);
      KeyRef pvk = custody.generate("pvk", aes, KeyUsage.PIN_VERIFICATION);
      byte[] reference;
      try (ClearPin selected = ClearPin.fromChars("1234".toCharArray())) {
        reference = custody.translatePinBlock(zone, pvk,
            PinBlock.encipherFormat4(aes, zoneKey, selected, PAN, new SecureRandom()), PAN);
      }
      for (byte[][] example : new byte[][][] {{KSN_COUNTER_1, BLOCK_COUNTER_1}, {KSN_COUNTER_2, BLOCK_COUNTER_2}}) {
        byte[] translated = custody.translateDukptPinBlock(bdk, example[0], zone, example[1], PAN);
        // The supplement's PIN field (441234AAAAAAAAAA2F69ADDE2E9E7ACE) survives translation, random half included.
        try (ClearPin out = PinBlock.decipherFormat4(aes, zoneKey, translated, PAN);
            ClearPin expected = ClearPin.fromChars("1234".toCharArray())) {
          assertThat(out.matches(expected)).isTrue();
        }
        assertThat(custody.verifyPin(zone, translated, pvk, reference, PAN)).isTrue();
      }
      // Counter 1's block under counter 2's key is not a PIN block: refused, not verified.
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> custody.translateDukptPinBlock(bdk, KSN_COUNTER_2, zone, BLOCK_COUNTER_1, PAN))
          .isInstanceOf(io.iotpay.foundation.crypto.CryptoException.class);
    }
  }
}
