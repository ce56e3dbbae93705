package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PutKeyTest {
  private static final SecretKeyBytes GP_TEST_KEY = SecretKeyBytes.fromHex("404142434445464748494A4B4C4D4E4F");

  @Test
  void scp02KeyData_reproducesGlobalPlatformProKeyEncryption() {
    // GlobalPlatformPro TestPlaintextKeys.testKeyEncryption_SCP02: key 40..4F enciphered under the
    // SCP02 session DEK of counter 0000 (static keys 40..4F) is EFBEE6C6D99D7B70BDE9D7E927F020AF;
    // its 3DES KCV 8BAF47 is the same file's testSessionKeys_SCP01 static DEK KCV.
    SecretKeyBytes sessionDek = Scp02.sessionKey(AlgorithmSuite.INTERNATIONAL, GP_TEST_KEY, Scp02.KeyUsage.DEK, 0x0000);
    byte[] field = PutKey.dataField(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP02, sessionDek, 0x01, List.of(GP_TEST_KEY));
    assertThat(Hex.encode(field)).isEqualTo("01" + "80" + "10" + "EFBEE6C6D99D7B70BDE9D7E927F020AF" + "03" + "8BAF47");
  }

  @Test
  void scp03KeyData_isAesCbcUnderTheStaticDek_withTheGpAesKcv() {
    // Amendment D layout; one block of CBC with a zero ICV is one AES-ECB block. KCV 504A77 of
    // 40..4F: GlobalPlatformPro TestPlaintextKeys.testSessionKeys_SCP03 (static DEK).
    SecretKeyBytes dek = SecretKeyBytes.fromHex("202122232425262728292A2B2C2D2E2F");
    byte[] field = PutKey.dataField(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP03, dek, 0x30, List.of(GP_TEST_KEY));
    String encrypted = Hex.encode(BlockCipherAlgorithm.AES.encryptBlock(dek, GP_TEST_KEY.value()));
    assertThat(Hex.encode(field)).isEqualTo("30" + "88" + "11" + "10" + encrypted + "03" + "504A77");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void parse_returnsTheKeys_andRefusesAWrongKcv(AlgorithmSuite suite) {
    SecretKeyBytes dek = SecretKeyBytes.fromHex("202122232425262728292A2B2C2D2E2F");
    List<SecretKeyBytes> keys = List.of(GP_TEST_KEY, SecretKeyBytes.fromHex("505152535455565758595A5B5C5D5E5F"),
        SecretKeyBytes.fromHex("606162636465666768696A6B6C6D6E6F"));
    byte[] field = PutKey.dataField(suite, PutKey.Protocol.SCP03, dek, 0x31, keys);
    PutKey.Received received = PutKey.parse(suite, PutKey.Protocol.SCP03, dek, field);
    assertThat(received.keyVersion()).isEqualTo(0x31);
    assertThat(received.keys()).containsExactlyElementsOf(keys);
    field[field.length - 1] ^= 0x01;
    assertThatThrownBy(() -> PutKey.parse(suite, PutKey.Protocol.SCP03, dek, field))
        .isInstanceOf(CryptoException.class).hasMessageContaining("KCV does not match");
    // Under another DEK the keys decipher to garbage, caught by the KCVs.
    field[field.length - 1] ^= 0x01;
    assertThatThrownBy(() -> PutKey.parse(suite, PutKey.Protocol.SCP03, GP_TEST_KEY, field)).isInstanceOf(CryptoException.class);
  }

  @Test
  void badInput_isRefused() {
    assertThatThrownBy(() -> PutKey.dataField(AlgorithmSuite.NATIONAL, PutKey.Protocol.SCP02, GP_TEST_KEY, 1, List.of(GP_TEST_KEY)))
        .isInstanceOf(CryptoException.class).hasMessageContaining("SCP03 layout");
    assertThatThrownBy(() -> PutKey.dataField(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP03, GP_TEST_KEY, 0, List.of(GP_TEST_KEY)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> PutKey.dataField(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP03, GP_TEST_KEY, 1,
        List.of(new SecretKeyBytes(new byte[24])))).isInstanceOf(CryptoException.class).hasMessageContaining("24 bytes");
    assertThatThrownBy(() -> PutKey.dataField(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP03, GP_TEST_KEY, 1,
        List.of(GP_TEST_KEY, GP_TEST_KEY, GP_TEST_KEY, GP_TEST_KEY))).isInstanceOf(CryptoException.class);
  }
}
