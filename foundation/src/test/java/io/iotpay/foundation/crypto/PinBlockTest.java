package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.Dukpt.KeyType;
import io.iotpay.foundation.crypto.Dukpt.KeyUsage;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PinBlockTest {
  private static final SecretKeyBytes BDK_128 = SecretKeyBytes.fromHex("FEDCBA9876543210F1F1F1F1F1F1F1F1");
  private static final byte[] IKID = Hex.decode("1234567890123456");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static ClearPin pin(String digits) {
    return ClearPin.fromChars(digits.toCharArray());
  }

  @Test
  void format4_underDukptPinKeys_matchesX9243SupplementExample() {
    // ANSI X9.24-3-2017 supplement test vectors, ISO 9564 format 4 example: PIN 1234, PAN
    // 4111111111111111, random 2F69ADDE2E9E7ACE, enciphered under the AES-128 PIN encryption keys
    // of counters 1 and 2 (also reproduced in paycrypt's iso4 tests and Forage's PinBlockIso4Test).
    byte[] fill = Hex.decode("2F69ADDE2E9E7ACE");
    try (ClearPin pin = pin("1234")) {
      assertThat(Hex.encode(PinBlock.pinFieldFormat4(pin, fill))).isEqualTo("441234AAAAAAAAAA2F69ADDE2E9E7ACE");
      assertThat(Hex.encode(PinBlock.panFieldFormat4("4111111111111111"))).isEqualTo("44111111111111111000000000000000");
      SecretKeyBytes key1 = Dukpt.workingKey(
          AlgorithmSuite.INTERNATIONAL, BDK_128, new Dukpt.Ksn(IKID, 1), KeyUsage.PIN_ENCRYPTION, KeyType.AES_128);
      // Intermediate block A = E(K, PIN field), as printed in the example.
      assertThat(Hex.encode(BlockCipherAlgorithm.AES.encryptBlock(key1, PinBlock.pinFieldFormat4(pin, fill))))
          .isEqualTo("DE84127CF6DCA7DFE47BDE89057CB820");
      assertThat(Hex.encode(PinBlock.encipherFormat4(AlgorithmSuite.INTERNATIONAL, key1, pin, "4111111111111111", fill)))
          .isEqualTo("A912150391AB65A67E52883D81CE2D15");
      SecretKeyBytes key2 = Dukpt.workingKey(
          AlgorithmSuite.INTERNATIONAL, BDK_128, new Dukpt.Ksn(IKID, 2), KeyUsage.PIN_ENCRYPTION, KeyType.AES_128);
      assertThat(Hex.encode(PinBlock.encipherFormat4(AlgorithmSuite.INTERNATIONAL, key2, pin, "4111111111111111", fill)))
          .isEqualTo("52A00503BD34BA1383F6A7EE9FE2547F");
    }
  }

  @Test
  void format4_decipher_matchesPsecPublishedExample() {
    // psec (knovichikhin/psec) pinblock.decipher_pinblock_iso_4 docstring example.
    SecretKeyBytes key = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
    try (ClearPin pin = PinBlock.decipherFormat4(
            AlgorithmSuite.INTERNATIONAL, key, Hex.decode("E4BE5B623AF7E006AC319E5B93544564"), "1234567890123456");
        ClearPin expected = pin("1234")) {
      assertThat(pin.matches(expected)).isTrue();
    }
  }

  @Test
  void format0_matchesPsecPublishedExamples() {
    // psec tests/test_pinblock.py test_encode_pinblock_iso_0: clear format 0 blocks.
    try (ClearPin four = pin("1234"); ClearPin twelve = pin("123456789012")) {
      assertThat(Hex.encode(PinBlock.clearFormat0(four, "5555555551234567"))).isEqualTo("041261AAAAEDCBA9");
      assertThat(Hex.encode(PinBlock.clearFormat0(twelve, "5555555551234567"))).isEqualTo("0C1261032D8226A9");
    }
  }

  @Test
  void format0And1_roundTripUnder3des() {
    SecretKeyBytes key = SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210");
    try (ClearPin pin = pin("98765")) {
      byte[] block0 = PinBlock.encipherFormat0(key, pin, "4000001234567899");
      try (ClearPin back = PinBlock.decipherFormat0(key, block0, "4000001234567899")) {
        assertThat(back.matches(pin)).isTrue();
      }
      // Another PAN removes a different PAN field: the block no longer deciphers to this PIN.
      assertThat(decipherFormat0Matches(key, block0, "4000009999567899", pin)).isFalse();
      byte[] block1 = PinBlock.encipherFormat1(key, pin, RANDOM);
      try (ClearPin back = PinBlock.decipherFormat1(key, block1)) {
        assertThat(back.matches(pin)).isTrue();
      }
    }
  }

  private static boolean decipherFormat0Matches(SecretKeyBytes key, byte[] block, String pan, ClearPin expected) {
    try (ClearPin back = PinBlock.decipherFormat0(key, block, pan)) {
      return back.matches(expected);
    } catch (CryptoException invalid) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void phoneToAcquirerToIssuer_translatesUnderDukptAndVerifies(AlgorithmSuite suite) {
    // The phone's SE enciphers under its DUKPT PIN key; the acquirer derives the same key from the
    // BDK and KSN and translates to the zone PIN key; the issuer verifies under the zone key.
    KeyType type = suite == AlgorithmSuite.NATIONAL ? KeyType.SM4_128 : KeyType.AES_128;
    SecretKeyBytes bdk = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
    SecretKeyBytes zoneKey = SecretKeyBytes.fromHex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF");
    String pan = "6212345678901234567";
    Dukpt.Device phone = Dukpt.Device.load(suite, Dukpt.initialKey(suite, bdk, IKID), IKID);
    for (int i = 0; i < 5; i++) {
      byte[] block;
      Dukpt.Ksn ksn;
      try (Dukpt.Transaction tx = phone.begin(); ClearPin typed = pin("4321")) {
        ksn = tx.ksn();
        block = PinBlock.encipherFormat4(suite, tx.workingKey(KeyUsage.PIN_ENCRYPTION, type), typed, pan, RANDOM);
      }
      SecretKeyBytes acquirerKey = Dukpt.workingKey(suite, bdk, ksn, KeyUsage.PIN_ENCRYPTION, type);
      byte[] zoneBlock = PinBlock.translateFormat4(suite, acquirerKey, suite, zoneKey, block, pan);
      assertThat(zoneBlock).isNotEqualTo(block);
      try (ClearPin stored = pin("4321"); ClearPin wrong = pin("4322")) {
        assertThat(PinBlock.verifyFormat4(suite, zoneKey, zoneBlock, pan, stored)).isTrue();
        assertThat(PinBlock.verifyFormat4(suite, zoneKey, zoneBlock, pan, wrong)).isFalse();
        assertThat(PinBlock.verifyFormat4(suite, zoneKey, zoneBlock, "6212345678901234568", stored)).isFalse();
        assertThat(PinBlock.verifyFormat4(suite, acquirerKey, zoneBlock, pan, stored)).isFalse();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void translation_refusesABlockThatDoesNotDecipher_andChangesNothing(AlgorithmSuite suite) {
    SecretKeyBytes keyIn = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
    SecretKeyBytes keyOut = SecretKeyBytes.fromHex("FFEEDDCCBBAA99887766554433221100");
    byte[] block;
    try (ClearPin typed = pin("123456")) {
      block = PinBlock.encipherFormat4(suite, keyIn, typed, "4111111111111111", RANDOM);
    }
    byte[] copy = block.clone();
    // Under the wrong key the PIN field is garbage: one message, no detail.
    assertThatThrownBy(() -> PinBlock.translateFormat4(suite, keyOut, suite, keyIn, block, "4111111111111111"))
        .isInstanceOf(CryptoException.class)
        .hasMessage("PIN block: does not decipher to a valid PIN field");
    assertThat(block).isEqualTo(copy);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void format4_randomFillMakesEachBlockDifferent(AlgorithmSuite suite) {
    SecretKeyBytes key = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
    try (ClearPin typed = pin("0000")) {
      byte[] first = PinBlock.encipherFormat4(suite, key, typed, "4111111111111111", RANDOM);
      byte[] second = PinBlock.encipherFormat4(suite, key, typed, "4111111111111111", RANDOM);
      assertThat(first).isNotEqualTo(second);
    }
  }

  @Test
  void clearPin_printsNoDigit_andIsUnusableAfterClose() {
    ClearPin typed = pin("918273");
    assertThat(typed.toString()).doesNotContainPattern("[0-9]");
    typed.close();
    assertThat(typed.toString()).isEqualTo("ClearPin[wiped]");
    assertThatThrownBy(typed::length).isInstanceOf(CryptoException.class);
  }

  @Test
  void badInput_isRefusedWithoutRepeatingPinOrPan() {
    assertThatThrownBy(() -> pin("123")).isInstanceOf(CryptoException.class).hasMessageContaining("4 to 12");
    assertThatThrownBy(() -> pin("1234567890123")).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> pin("12a4")).isInstanceOf(CryptoException.class).hasMessage("PIN: character at position 2 is not a decimal digit");
    SecretKeyBytes key = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
    try (ClearPin typed = pin("1234")) {
      assertThatThrownBy(() -> PinBlock.encipherFormat4(AlgorithmSuite.INTERNATIONAL, key, typed, "41111111x1111111", RANDOM))
          .isInstanceOf(CryptoException.class)
          .hasMessage("PAN: character at position 8 is not a decimal digit");
      assertThatThrownBy(() -> PinBlock.encipherFormat4(AlgorithmSuite.INTERNATIONAL, key, typed, "41111111111111111111", RANDOM))
          .isInstanceOf(CryptoException.class);
      assertThatThrownBy(() -> PinBlock.encipherFormat0(key, typed, "411111111111")).isInstanceOf(CryptoException.class);
      assertThatThrownBy(() -> PinBlock.encipherFormat4(AlgorithmSuite.NATIONAL, SecretKeyBytes.fromHex("0011"), typed, "4111111111111111", RANDOM))
          .isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> PinBlock.decipherFormat4(AlgorithmSuite.INTERNATIONAL, key, new byte[15], "4111111111111111"))
        .isInstanceOf(CryptoException.class);
  }
}
