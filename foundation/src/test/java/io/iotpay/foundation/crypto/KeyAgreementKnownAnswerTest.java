package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyAgreementKnownAnswerTest {
  private static final byte[] ALICE = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BILL = "BILL456@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);

  @Test
  void ecdhP256_matchesRfc5903Section81() {
    // RFC 5903, 8.1 (256-bit random ECP group): i, r and the shared x-coordinate girx.
    var curve = TestCurves.named("secp256r1");
    KeyPair initiator = TestCurves.keyPair(curve, "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433");
    KeyPair responder = TestCurves.keyPair(curve, "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53");
    String expected = "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE";
    assertThat(Hex.encode(KeyAgreementAlgorithm.ECDH_P256.ecdh(initiator.getPrivate(), responder.getPublic()))).isEqualTo(expected);
    assertThat(Hex.encode(KeyAgreementAlgorithm.ECDH_P256.ecdh(responder.getPrivate(), initiator.getPublic()))).isEqualTo(expected);
    var gi = ((org.bouncycastle.jce.interfaces.ECPublicKey) initiator.getPublic()).getQ();
    assertThat(Hex.encode(gi.getAffineXCoord().getEncoded())).isEqualTo("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180");
  }

  @Test
  void sm2KeyExchange_matchesGbT32918Part3AnnexB() {
    // GB/T 32918.3-2016 (SM2 key exchange) Annex B / GM/T 0003.3-2012 A.2, example curve Fp-256,
    // klen = 128 bits: K_A = K_B = 55B0AC62..., S_B = S_1 = 284C8F19..., S_A = S_2 = 23444DAF....
    var curve = TestCurves.SM2_EXAMPLE_CURVE;
    KeyPair a = TestCurves.keyPair(curve, "6FCBA2EF9AE0AB902BC3BDE3FF915D44BA4CC78F88E2F8E7F8996D3B8CCEEDEE");
    KeyPair ra = TestCurves.keyPair(curve, "83A2C9C8B96E5AF70BD480B472409A9A327257F1EBB73F5B073354B248668563");
    KeyPair b = TestCurves.keyPair(curve, "5E35D7D3F3C54DBAC72E61819E730B019A84208CA3A35E4C2E353DFCCB2A3B53");
    KeyPair rb = TestCurves.keyPair(curve, "33FE21940342161C55619C4A0C060293D543C80AF19748CE176D83477DE71C80");
    var aliceSelf = new KeyAgreementAlgorithm.Sm2Party(a.getPrivate(), ra.getPrivate(), ALICE);
    var billSelf = new KeyAgreementAlgorithm.Sm2Party(b.getPrivate(), rb.getPrivate(), BILL);
    var aliceSeenByBill = new KeyAgreementAlgorithm.Sm2Peer(a.getPublic(), ra.getPublic(), ALICE);
    var billSeenByAlice = new KeyAgreementAlgorithm.Sm2Peer(b.getPublic(), rb.getPublic(), BILL);

    var responder = KeyAgreementAlgorithm.sm2Responder(billSelf, aliceSeenByBill, 16);
    assertThat(Hex.encode(responder.key())).isEqualTo("55B0AC62A6B927BA23703832C853DED4");
    assertThat(Hex.encode(responder.responderTag())).isEqualTo("284C8F198F141B502E81250F1581C7E9EEB4CA6990F9E02DF388B45471F5BC5C");
    var initiator = KeyAgreementAlgorithm.sm2Initiator(aliceSelf, billSeenByAlice, responder.responderTag(), 16);
    assertThat(Hex.encode(initiator.key())).isEqualTo("55B0AC62A6B927BA23703832C853DED4");
    assertThat(Hex.encode(initiator.initiatorTag())).isEqualTo("23444DAF8ED7534366CB901C84B3BDBB63504F4065C1116C91A4C00697E6CF7A");
    assertThat(responder.confirmsInitiator(initiator.initiatorTag())).isTrue();
    assertThat(Hex.encode(KeyAgreementAlgorithm.sm2Key(true, aliceSelf, billSeenByAlice, 16))).isEqualTo("55B0AC62A6B927BA23703832C853DED4");
  }

  @Test
  void sm2KeyExchange_wrongResponderTag_isRejected() {
    KeyPair a = SignatureAlgorithm.SM2_SM3.generateKeyPair(new SecureRandom());
    KeyPair ra = SignatureAlgorithm.SM2_SM3.generateKeyPair(new SecureRandom());
    KeyPair b = SignatureAlgorithm.SM2_SM3.generateKeyPair(new SecureRandom());
    KeyPair rb = SignatureAlgorithm.SM2_SM3.generateKeyPair(new SecureRandom());
    var responder = KeyAgreementAlgorithm.sm2Responder(
        new KeyAgreementAlgorithm.Sm2Party(b.getPrivate(), rb.getPrivate(), BILL),
        new KeyAgreementAlgorithm.Sm2Peer(a.getPublic(), ra.getPublic(), ALICE), 16);
    byte[] tag = responder.responderTag();
    tag[0] ^= 1;
    assertThatThrownBy(() -> KeyAgreementAlgorithm.sm2Initiator(
            new KeyAgreementAlgorithm.Sm2Party(a.getPrivate(), ra.getPrivate(), ALICE),
            new KeyAgreementAlgorithm.Sm2Peer(b.getPublic(), rb.getPublic(), BILL), tag, 16))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("S_B does not match");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void bothSidesAgree_underEachSuite(AlgorithmSuite suite) {
    SecureRandom random = new SecureRandom();
    KeyPair a = suite.signature().generateKeyPair(random);
    KeyPair b = suite.signature().generateKeyPair(random);
    switch (suite.keyAgreement()) {
      case ECDH_P256 -> assertThat(suite.keyAgreement().ecdh(a.getPrivate(), b.getPublic()))
          .isEqualTo(suite.keyAgreement().ecdh(b.getPrivate(), a.getPublic()));
      case SM2_KEY_EXCHANGE -> {
        KeyPair ra = suite.signature().generateKeyPair(random);
        KeyPair rb = suite.signature().generateKeyPair(random);
        byte[] ka = KeyAgreementAlgorithm.sm2Key(true, new KeyAgreementAlgorithm.Sm2Party(a.getPrivate(), ra.getPrivate(), ALICE),
            new KeyAgreementAlgorithm.Sm2Peer(b.getPublic(), rb.getPublic(), BILL), 16);
        byte[] kb = KeyAgreementAlgorithm.sm2Key(false, new KeyAgreementAlgorithm.Sm2Party(b.getPrivate(), rb.getPrivate(), BILL),
            new KeyAgreementAlgorithm.Sm2Peer(a.getPublic(), ra.getPublic(), ALICE), 16);
        assertThat(ka).isEqualTo(kb).hasSize(16);
      }
    }
  }
}
