package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.Dukpt.KeyType;
import io.iotpay.foundation.crypto.Dukpt.KeyUsage;
import io.iotpay.foundation.crypto.Dukpt.Ksn;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AES DUKPT against the ANSI X9.24-3-2017 test vectors, and the SM4 analogue against an
 * independent implementation.
 *
 * <p>Source of the AES vectors: ANSI X9.24-3-2017 Annex B.1 ("Sample Test Vectors for Generating
 * AES-128 keys from AES-128 BDK", BDK FEDCBA9876543210F1F1F1F1F1F1F1F1, initial key ID
 * 1234567890123456) and its supplement (X9.24-3-2017-Test-Vectors-20180129, published by ASC X9).
 * The standard itself is paywalled; the values below are as reproduced in public projects that
 * check against it: openemv/dukpt test/dukpt_aes128_test.c and dukpt_aes_test.c (initial keys,
 * transaction keys of counters 1-8, 1FFFE, 20000, 20001 and the last four counters, "page 2",
 * "page 5", "page 6" of the supplement), moov-io/dukpt pkg/aes/aes_test.go (Table 4), and the
 * working keys of counter 1 for every usage as listed in test suites quoting Annex B.
 */
class DukptTest {
  private static final SecretKeyBytes BDK_128 = SecretKeyBytes.fromHex("FEDCBA9876543210F1F1F1F1F1F1F1F1");
  private static final SecretKeyBytes BDK_256 =
      SecretKeyBytes.fromHex("FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1");
  private static final byte[] IKID = Hex.decode("1234567890123456");
  private static final AlgorithmSuite AES = AlgorithmSuite.INTERNATIONAL;

  private static Ksn ksn(long counter) {
    return new Ksn(IKID, counter);
  }

  @Test
  void initialKey_matchesX9243AnnexB() {
    // X9.24-3-2017 B.1 (AES-128 BDK) and the supplement's AES-256 BDK.
    assertThat(Hex.encode(Dukpt.initialKey(AES, BDK_128, IKID).value())).isEqualTo("1273671EA26AC29AFA4D1084127652A1");
    assertThat(Hex.encode(Dukpt.initialKey(AES, BDK_256, IKID).value()))
        .isEqualTo("CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F");
  }

  @ParameterizedTest
  @CsvSource({
    // Supplement, AES-128 BDK: first eight counters (page 2), 1FFFE/20000/20001 (page 5), last four (page 6).
    "00000001, 4F21B565BAD9835E112B6465635EAE44",
    "00000002, 2F34D68DE10F68D38091A73B9E7C437C",
    "00000003, 031504E530365CF81264238540518318",
    "00000004, 0EEFC7ADA628BA68878DA9165A8A1887",
    "00000005, C2A7AC328A5DA2D6002D62465BFC028B",
    "00000006, D30F7D9351DA58448A2F5E92B4EE3B7D",
    "00000007, A8253CEED9AC042C54F75D35C8352278",
    "00000008, 718EE6CF0B27E53D5F7AF99C4D8146A2",
    "0001FFFE, E21E8C8D347F8561A2BE752DAA85A111",
    "00020000, F7AE9025468A25D37B7249CFFED224C8",
    "00020001, 692C8EA4013645135B36497131DF9D2C",
    "FFFE2000, 48E585B694EB0B18D5C35443E163C0BA",
    "FFFE4000, 396C2C7CA1EA701C03B86B7D41F0C562",
    "FFFE8000, 0387625F189B58AE03EF0E8CCA41105E",
    "FFFF0000, F6BA59389BD14A9855BE9727E7C52E3C",
  })
  void transactionKey_matchesX9243Supplement(String counterHex, String expected) {
    SecretKeyBytes ik = Dukpt.initialKey(AES, BDK_128, IKID);
    assertThat(Hex.encode(Dukpt.transactionKey(AES, ik, ksn(Long.parseLong(counterHex, 16))).value())).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    // Annex B, AES-128 working keys from the AES-128 BDK, counter 1, one per usage; counters 2 and 8.
    "1, PIN_ENCRYPTION, AF8CB133A78F8DC2D1359F18527593FB",
    "1, MAC_GENERATION, A2DC23DE6FDE0824A2BC321E08E4B8B7",
    "1, MAC_VERIFICATION, DBB463945B286C07CD3AD82EE96FD9C9",
    "1, MAC_BOTH_WAYS, 85675439D18D7F1158BD8E3EAA3D502B",
    "1, DATA_ENCRYPTION_ENCRYPT, A35C412EFD41FDB98B69797C02DCD08F",
    "1, DATA_ENCRYPTION_DECRYPT, 16292C6EA8F64C5420A0584BFBC577BE",
    "1, DATA_ENCRYPTION_BOTH_WAYS, A308E080DD15A1B741F1721BF67DE11C",
    "1, KEY_ENCRYPTION_KEY, 36A724B7BEFA5A25F5E7B5782A4554A2",
    "2, PIN_ENCRYPTION, D30BDC73EC9714B000BEC66BDB7B6D09",
    "8, PIN_ENCRYPTION, 4D9DF3FBEE3448FC3E676D04320A90F5",
    "8, MAC_GENERATION, 6FD572E5D59E618875F193484F9178FB",
    "8, DATA_ENCRYPTION_ENCRYPT, 650F34204ABD4E57764D61AC3D266FB1",
  })
  void aes128WorkingKeys_matchX9243AnnexB(long counter, KeyUsage usage, String expected) {
    SecretKeyBytes key = Dukpt.workingKey(AES, BDK_128, ksn(counter), usage, KeyType.AES_128);
    assertThat(Hex.encode(key.value())).isEqualTo(expected);
  }

  @Test
  void tdeaAndAes256WorkingKeys_matchX9243Supplement() {
    // Supplement: 2TDEA and 3TDEA working keys from the AES-128 BDK, counter 1.
    assertThat(Hex.encode(Dukpt.workingKey(AES, BDK_128, ksn(1), KeyUsage.PIN_ENCRYPTION, KeyType.TDEA_2).value()))
        .isEqualTo("630C706D9546E47D4449313F61C4D4AB");
    assertThat(Hex.encode(Dukpt.workingKey(AES, BDK_128, ksn(1), KeyUsage.MAC_GENERATION, KeyType.TDEA_2).value()))
        .isEqualTo("5D8FD787E8A796D07035FFCA9B5800BB");
    assertThat(Hex.encode(Dukpt.workingKey(AES, BDK_128, ksn(1), KeyUsage.PIN_ENCRYPTION, KeyType.TDEA_3).value()))
        .isEqualTo("EA8B3F37EB9B15831167EF2977FD8762D9B5913F35766F6A");
    // Supplement: AES-256 BDK, counter 1.
    SecretKeyBytes ik256 = Dukpt.initialKey(AES, BDK_256, IKID);
    assertThat(Hex.encode(Dukpt.transactionKey(AES, ik256, ksn(1)).value()))
        .isEqualTo("54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3");
    assertThat(Hex.encode(Dukpt.workingKey(AES, BDK_256, ksn(1), KeyUsage.PIN_ENCRYPTION, KeyType.AES_256).value()))
        .isEqualTo("8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502");
  }

  @Test
  void device_walksTheStandardsCounters_andSkipsThoseWithSeventeenOneBits() {
    // The device state machine reproduces the supplement's keys by itself: counters 1..8 in order,
    // and after 131,069 transactions 1FFFE, then 20000 (1FFFF has 17 one-bits and is skipped).
    SecretKeyBytes ik = Dukpt.initialKey(AES, BDK_128, IKID);
    Dukpt.Device device = Dukpt.Device.load(AES, ik, IKID);
    assertThat(device.registersInUse()).isEqualTo(Dukpt.REGISTER_COUNT);
    try (Dukpt.Transaction first = device.begin()) {
      assertThat(Hex.encode(first.ksn().bytes())).isEqualTo("123456789012345600000001");
      assertThat(Hex.encode(first.workingKey(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128).value()))
          .isEqualTo("AF8CB133A78F8DC2D1359F18527593FB");
    }
    try (Dukpt.Transaction second = device.begin()) {
      assertThat(Hex.encode(second.workingKey(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128).value()))
          .isEqualTo("D30BDC73EC9714B000BEC66BDB7B6D09");
    }
    while (device.nextKsn().counter() < 0x1FFFE) {
      device.begin().close();
    }
    try (Dukpt.Transaction tx = device.begin()) {
      assertThat(tx.ksn().counter()).isEqualTo(0x1FFFE);
      assertThat(Hex.encode(tx.workingKey(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128).value()))
          .isEqualTo(Hex.encode(Dukpt.workingKey(AES, BDK_128, ksn(0x1FFFE), KeyUsage.PIN_ENCRYPTION, KeyType.AES_128).value()));
    }
    assertThat(device.nextKsn().counter()).isEqualTo(0x20000);
    assertThat(device.registersInUse()).isLessThanOrEqualTo(Dukpt.REGISTER_COUNT);
  }

  @Test
  void device_lastFourCountersMatchTheSupplement_thenTheDeviceIsExhausted() {
    // Supplement page 6: the last four counters FFFE2000, FFFE4000, FFFE8000, FFFF0000; the
    // device walks them itself (skipping every counter in between with more than 16 one-bits).
    SecretKeyBytes ik = Dukpt.initialKey(AES, BDK_128, IKID);
    Dukpt.Device device = Dukpt.Device.resumeAt(AES, ik, IKID, 0xFFFE2000L);
    String[] expected = {
      "FFFE2000", "48E585B694EB0B18D5C35443E163C0BA",
      "FFFE4000", "396C2C7CA1EA701C03B86B7D41F0C562",
      "FFFE8000", "0387625F189B58AE03EF0E8CCA41105E",
      "FFFF0000", "F6BA59389BD14A9855BE9727E7C52E3C",
    };
    for (int i = 0; i < expected.length; i += 2) {
      try (Dukpt.Transaction tx = device.begin()) {
        assertThat(tx.ksn().counter()).isEqualTo(Long.parseLong(expected[i], 16));
        SecretKeyBytes transactionKey = new SecretKeyBytes(Hex.decode(expected[i + 1]));
        // The working key shows which transaction key the register held.
        byte[] data = Dukpt.derivationData(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128, IKID, 4, 4, tx.ksn().counter());
        assertThat(tx.workingKey(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128).value())
            .isEqualTo(BlockCipherAlgorithm.AES.encryptBlock(transactionKey, data));
      }
    }
    assertThat(device.isExhausted()).isTrue();
    assertThatThrownBy(device::begin).isInstanceOf(CryptoException.class).hasMessageContaining("exhausted");
  }

  @Test
  void device_resumedAtACounter_equalsADeviceSteppedThere() {
    SecretKeyBytes ik = Dukpt.initialKey(AES, BDK_128, IKID);
    Dukpt.Device stepped = Dukpt.Device.load(AES, ik, IKID);
    while (stepped.nextKsn().counter() < 1000) {
      stepped.begin().close();
    }
    Dukpt.Device resumed = Dukpt.Device.resumeAt(AES, ik, IKID, 1000);
    for (int i = 0; i < 600; i++) {
      assertThat(resumed.registersInUse()).isEqualTo(stepped.registersInUse());
      try (Dukpt.Transaction a = stepped.begin(); Dukpt.Transaction b = resumed.begin()) {
        assertThat(b.ksn()).isEqualTo(a.ksn());
        assertThat(b.workingKey(KeyUsage.MAC_GENERATION, KeyType.AES_128))
            .isEqualTo(a.workingKey(KeyUsage.MAC_GENERATION, KeyType.AES_128));
      }
    }
  }

  @Test
  void transaction_keyIsErasedOnClose() {
    Dukpt.Device device = Dukpt.Device.load(AES, Dukpt.initialKey(AES, BDK_128, IKID), IKID);
    Dukpt.Transaction tx = device.begin();
    int before = device.registersInUse();
    tx.close();
    // Counter 1's key is erased; bit 0 has no lower registers to fill.
    assertThat(device.registersInUse()).isEqualTo(before - 1);
    assertThatThrownBy(() -> tx.workingKey(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void device_refusesASecondTransactionWhileOneIsOpen() {
    Dukpt.Device device = Dukpt.Device.load(AES, Dukpt.initialKey(AES, BDK_128, IKID), IKID);
    try (Dukpt.Transaction open = device.begin()) {
      assertThatThrownBy(device::begin).isInstanceOf(CryptoException.class).hasMessageContaining("still open");
      assertThat(open.workingKey(KeyUsage.PIN_ENCRYPTION, KeyType.AES_128))
          .isEqualTo(Dukpt.workingKey(AES, BDK_128, open.ksn(), KeyUsage.PIN_ENCRYPTION, KeyType.AES_128));
    }
    assertThat(device.begin().ksn().counter()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void device_equalsHost_overThousandsOfCounters(AlgorithmSuite suite) {
    SecretKeyBytes bdk = SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF");
    KeyType type = suite == AlgorithmSuite.NATIONAL ? KeyType.SM4_128 : KeyType.AES_128;
    SecretKeyBytes ik = Dukpt.initialKey(suite, bdk, IKID);
    Dukpt.Device device = Dukpt.Device.load(suite, ik, IKID);
    for (int i = 0; i < 3_000; i++) {
      try (Dukpt.Transaction tx = device.begin()) {
        assertThat(tx.ksn().counter()).isEqualTo(i + 1);
        assertThat(tx.workingKey(KeyUsage.PIN_ENCRYPTION, type))
            .isEqualTo(Dukpt.workingKeyFromInitialKey(suite, ik, tx.ksn(), KeyUsage.PIN_ENCRYPTION, type));
      }
      // Never more than one key per counter bit, and at least the keys of the untouched high bits.
      assertThat(device.registersInUse()).isBetween(1, Dukpt.REGISTER_COUNT);
    }
  }

  @Test
  void sm4Analogue_equalsIndependentImplementationWithBouncyCastleSm4() {
    // iotpay's SM4 analogue (no published vectors): the X9.24-3 algorithm written out again here,
    // straight over BouncyCastle's SM4Engine, with the algorithm indicator 0010.
    byte[] bdk = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
    byte[] ik = sm4(bdk, Hex.decode("01018001001000801234567890123456"));
    assertThat(Dukpt.initialKey(AlgorithmSuite.NATIONAL, new SecretKeyBytes(bdk), IKID).value()).isEqualTo(ik);
    for (long counter : new long[] {1, 2, 3, 0x2A, 0x1FFFE, 0x845FED, 0xFFFF0000L}) {
      byte[] key = ik;
      long working = 0;
      for (int bit = 31; bit >= 0; bit--) {
        if ((counter & (1L << bit)) != 0) {
          working |= 1L << bit;
          key = sm4(key, Hex.decode("0101" + "8000" + "0010" + "0080" + "90123456" + String.format("%08X", working)));
        }
      }
      byte[] pinKey = sm4(key, Hex.decode("0101" + "1000" + "0010" + "0080" + "90123456" + String.format("%08X", counter)));
      SecretKeyBytes ours =
          Dukpt.workingKey(AlgorithmSuite.NATIONAL, new SecretKeyBytes(bdk), ksn(counter), KeyUsage.PIN_ENCRYPTION, KeyType.SM4_128);
      assertThat(ours.value()).as("counter %x", counter).isEqualTo(pinKey);
    }
  }

  @Test
  void badInput_isRefusedWithTypedErrors() {
    SecretKeyBytes ik = Dukpt.initialKey(AES, BDK_128, IKID);
    assertThatThrownBy(() -> Dukpt.transactionKey(AES, ik, ksn(0))).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Dukpt.transactionKey(AES, ik, ksn(0x1FFFF))).isInstanceOf(CryptoException.class)
        .hasMessageContaining("one-bits");
    assertThatThrownBy(() -> new Ksn(new byte[7], 1)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> new Ksn(IKID, 1L << 32)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Ksn.parse(new byte[11])).isInstanceOf(CryptoException.class);
    // A working key stronger than its derivation key, or the wrong suite's cipher.
    assertThatThrownBy(() -> Dukpt.workingKey(AES, BDK_128, ksn(1), KeyUsage.PIN_ENCRYPTION, KeyType.AES_256))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Dukpt.workingKey(AES, BDK_128, ksn(1), KeyUsage.PIN_ENCRYPTION, KeyType.SM4_128))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Dukpt.workingKey(AlgorithmSuite.NATIONAL, BDK_128, ksn(1), KeyUsage.PIN_ENCRYPTION, KeyType.AES_128))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Dukpt.workingKey(AES, BDK_128, ksn(1), KeyUsage.KEY_DERIVATION, KeyType.AES_128))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Dukpt.initialKey(AlgorithmSuite.NATIONAL, BDK_256, IKID)).isInstanceOf(CryptoException.class);
  }

  @Test
  void ksn_roundTripsItsWireForm_andPrintsNoKey() {
    Ksn parsed = Ksn.parse(Hex.decode("1234567890123456FFFE2000"));
    assertThat(parsed.counter()).isEqualTo(0xFFFE2000L);
    assertThat(Hex.encode(parsed.bytes())).isEqualTo("1234567890123456FFFE2000");
    Dukpt.Device device = Dukpt.Device.load(AES, Dukpt.initialKey(AES, BDK_128, IKID), IKID);
    assertThat(device.toString()).doesNotContain("1273671E").contains("123456789012345600000001");
  }

  private static byte[] sm4(byte[] key, byte[] block) {
    SM4Engine engine = new SM4Engine();
    engine.init(true, new KeyParameter(key));
    byte[] out = new byte[16];
    engine.processBlock(block, 0, out, 0);
    return Arrays.copyOf(out, 16);
  }
}
