package io.iotpay.protocol.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborAndCoseTest {
  /** RFC 8949 Appendix A examples: value → encoding (preferred serialisation). */
  @ParameterizedTest
  @CsvSource({
      "0, 00", "1, 01", "10, 0a", "23, 17", "24, 1818", "25, 1819", "100, 1864", "1000, 1903e8",
      "1000000, 1a000f4240", "1000000000000, 1b000000e8d4a51000", "-1, 20", "-10, 29", "-100, 3863",
      "-1000, 3903e7"})
  void integers_encodeAndDecodeAsRfc8949AppendixA(long value, String hex) {
    assertThat(Hex.encode(new CborWriter().integer(value).toByteArray())).isEqualToIgnoringCase(hex);
    CborReader reader = new CborReader(Hex.decode(hex), "example");
    assertThat(reader.readInteger()).isEqualTo(value);
    reader.expectEnd();
  }

  @Test
  void stringsArraysMapsAndTags_encodeAsRfc8949AppendixA() {
    // RFC 8949 Appendix A: h'01020304' → 4401020304; "IETF" → 6449455446; [1, 2, 3] → 83010203;
    // {1: 2, 3: 4} → a201020304; 1(1363896240) → c11a514b67b0.
    assertThat(Hex.encode(new CborWriter().bytes(new byte[] {1, 2, 3, 4}).toByteArray())).isEqualToIgnoringCase("4401020304");
    assertThat(Hex.encode(new CborWriter().text("IETF").toByteArray())).isEqualToIgnoringCase("6449455446");
    assertThat(Hex.encode(new CborWriter().array(3).integer(1).integer(2).integer(3).toByteArray())).isEqualToIgnoringCase("83010203");
    assertThat(Hex.encode(new CborWriter().map(2).integer(1).integer(2).integer(3).integer(4).toByteArray())).isEqualToIgnoringCase("a201020304");
    assertThat(Hex.encode(new CborWriter().tag(1).integer(1363896240).toByteArray())).isEqualToIgnoringCase("c11a514b67b0");
  }

  @Test
  void skip_walksNestedItems_andRefusesIndefiniteLengthsAndFloats() {
    // RFC 8949 Appendix A: {"a": 1, "b": [2, 3]} → a26161016162820203
    CborReader reader = new CborReader(Hex.decode("a26161016162820203ff"), "example");
    reader.skip();
    assertThat(reader.position()).isEqualTo(9);
    // [_ 1, 2] (indefinite array, 9f0102ff) and 1.5 as a half float (f93e00).
    assertThatThrownBy(() -> new CborReader(Hex.decode("9f0102ff"), "x").skip()).isInstanceOf(CoseException.class);
    assertThatThrownBy(() -> new CborReader(Hex.decode("f93e00"), "x").skip()).isInstanceOf(CoseException.class);
    // A byte string claiming 2^32 bytes in a 5-byte input.
    assertThatThrownBy(() -> new CborReader(Hex.decode("5affffffff"), "x").readBytes())
        .isInstanceOf(CoseException.class).hasMessageContaining("declares");
  }

  @Test
  void skip_refusesMoreItemsThanTheBound() {
    byte[] deep = new byte[CborReader.SKIP_ITEMS_MAX + 1];
    java.util.Arrays.fill(deep, (byte) 0x81); // [[[[…
    assertThatThrownBy(() -> new CborReader(deep, "deep").skip())
        .isInstanceOfSatisfying(CoseException.class, e -> assertThat(e.reason()).isEqualTo(CoseException.Reason.MALFORMED));
  }

  /**
   * cose-wg/Examples sign1-tests/sign-pass-03.json (the RFC 8152/9052 Appendix C.2.1 content and
   * key "11" of Appendix C.7.1): ES256 over protected {1: -7}, payload "This is the content.",
   * no external AAD. Checks our Sig_structure byte for byte and that the published r‖s signature
   * verifies after our conversion to DER.
   */
  @Test
  void sigStructureAndRawSignature_matchCoseWgExampleSignPass03() {
    byte[] protectedBytes = Hex.decode("A10126");
    byte[] payload = "This is the content.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] toBeSigned = Cose.toBeSigned(protectedBytes, new byte[0], payload);
    assertThat(Hex.encode(toBeSigned)).isEqualToIgnoringCase(
        "846A5369676E61747572653143A101264054546869732069732074686520636F6E74656E742E");

    byte[] output = Hex.decode("8443A10126A10442313154546869732069732074686520636F6E74656E742E5840"
        + "8EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E"
        + "2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36");
    CborReader reader = new CborReader(output, "sign-pass-03");
    assertThat(reader.readArrayHeader()).isEqualTo(4);
    assertThat(reader.readBytes()).isEqualTo(protectedBytes);
    reader.skip();
    assertThat(reader.readBytes()).isEqualTo(payload);
    byte[] signature = reader.readBytes();
    reader.expectEnd();

    java.util.Base64.Decoder base64 = java.util.Base64.getUrlDecoder();
    byte[] x = base64.decode("usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8");
    byte[] y = base64.decode("IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4");
    // X.509 SubjectPublicKeyInfo prefix for an uncompressed P-256 point (id-ecPublicKey, prime256v1).
    byte[] spki = Hex.decode("3059301306072A8648CE3D020106082A8648CE3D030107034200" + "04" + Hex.encode(x) + Hex.encode(y));
    AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;
    java.security.PublicKey key = suite.signature().publicKeyFromDer(spki);
    assertThat(suite.signature().verify(key, toBeSigned, Cose.derSignature(suite, signature))).isTrue();
    signature[10] ^= 1;
    assertThat(suite.signature().verify(key, toBeSigned, Cose.derSignature(suite, signature))).isFalse();
  }
}
