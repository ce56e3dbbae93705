package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.KeyDiversification.KeyPurpose;
import io.iotpay.foundation.crypto.KeyDiversification.Method;
import io.iotpay.foundation.crypto.Scp03.DerivationConstant;
import io.iotpay.foundation.crypto.Scp03.SecurityLevel;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GlobalPlatformKeysTest {
  private static final SecretKeyBytes GP_TEST_KEY = SecretKeyBytes.fromHex("404142434445464748494A4B4C4D4E4F");
  private static final byte[] KDD = Hex.decode("00010203040506070809");

  private static String kcv(BlockCipherAlgorithm cipher, SecretKeyBytes key) {
    return Hex.encode(KeyDiversification.keyCheckValue(cipher, key));
  }

  @Test
  void emvAndVisa2Diversification_reproduceGlobalPlatformProKcvs() {
    // GlobalPlatformPro (martinpaljak/GlobalPlatformPro) TestPlaintextKeys
    // testDiversification_EMV_SCP02 / testDiversification_VISA2_SCP02: master key 40..4F,
    // KDD 00010203040506070809, 3DES KCVs of the diversified ENC, MAC and DEK keys.
    var emv = KeyDiversification.diversifyAll(AlgorithmSuite.INTERNATIONAL, Method.EMV, GP_TEST_KEY, KDD);
    assertThat(kcv(BlockCipherAlgorithm.TDES, emv.enc())).isEqualTo("C33013");
    assertThat(kcv(BlockCipherAlgorithm.TDES, emv.mac())).isEqualTo("6F4CA6");
    assertThat(kcv(BlockCipherAlgorithm.TDES, emv.dek())).isEqualTo("BB8179");
    var visa2 = KeyDiversification.diversifyAll(AlgorithmSuite.INTERNATIONAL, Method.VISA2, GP_TEST_KEY, KDD);
    assertThat(kcv(BlockCipherAlgorithm.TDES, visa2.enc())).isEqualTo("2BE598");
    assertThat(kcv(BlockCipherAlgorithm.TDES, visa2.mac())).isEqualTo("58DA38");
    assertThat(kcv(BlockCipherAlgorithm.TDES, visa2.dek())).isEqualTo("3C328E");
  }

  @Test
  void scp03Kdf_reproducesGlobalPlatformProSessionKeyKcvs() {
    // GlobalPlatformPro TestPlaintextKeys testSessionKeys_SCP03: static keys 40..4F, context =
    // the KDD 00010203040506070809; AES KCVs (E(K, 01 x 16)) of S-ENC, S-MAC, S-RMAC and of the
    // static DEK.
    AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;
    BlockCipherAlgorithm aes = BlockCipherAlgorithm.AES;
    assertThat(kcv(aes, new SecretKeyBytes(Scp03.kdf(suite, GP_TEST_KEY, DerivationConstant.S_ENC, KDD, 128)))).isEqualTo("C25559");
    assertThat(kcv(aes, new SecretKeyBytes(Scp03.kdf(suite, GP_TEST_KEY, DerivationConstant.S_MAC, KDD, 128)))).isEqualTo("0E12CC");
    assertThat(kcv(aes, new SecretKeyBytes(Scp03.kdf(suite, GP_TEST_KEY, DerivationConstant.S_RMAC, KDD, 128)))).isEqualTo("9ACB9C");
    assertThat(kcv(aes, GP_TEST_KEY)).isEqualTo("504A77");
  }

  /** One SCP03 session recorded in osmocom/pysim tests/unittests/test_globalplatform.py. */
  private record PysimSession(
      String keys, String initUpdateCommand, String initUpdateResponse, String externalAuthenticate, SecurityLevel level) {}

  private static final String KEYS_128 = "000102030405060708090A0B0C0D0E0F 101112131415161718191A1B1C1D1E1F 202122232425262728292A2B2C2D2E2F";
  private static final String KEYS_256 =
      "000102030405060708090A0B0C0D0E0F000102030405060708090A0B0C0D0E0F "
          + "101112131415161718191A1B1C1D1E1F101112131415161718191A1B1C1D1E1F "
          + "202122232425262728292A2B2C2D2E2F202122232425262728292A2B2C2D2E2F";

  private static final byte[] ISD_R_AID = Hex.decode("A0000005591010FFFFFFFF8900000100");

  private static Scp03.StaticKeys staticKeys(String keys) {
    String[] parts = keys.split(" ");
    return new Scp03.StaticKeys(SecretKeyBytes.fromHex(parts[0]), SecretKeyBytes.fromHex(parts[1]), SecretKeyBytes.fromHex(parts[2]));
  }

  /** Runs INITIALIZE UPDATE / EXTERNAL AUTHENTICATE of a recorded session; returns the host session. */
  private static Scp03.Session handshake(PysimSession recorded) {
    AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;
    byte[] hostChallenge = Arrays.copyOfRange(Hex.decode(recorded.initUpdateCommand()), 5, 13);
    byte[] response = Hex.decode(recorded.initUpdateResponse());
    byte[] cardChallenge = Arrays.copyOfRange(response, 13, 21);
    byte[] cardCryptogram = Arrays.copyOfRange(response, 21, 29);
    int sequenceCounter = ((response[29] & 0xFF) << 16) | ((response[30] & 0xFF) << 8) | (response[31] & 0xFF);
    // i = 70: the card challenge is pseudo-random, derived from the counter and the selected AID
    // (pysim selects the eUICC's ISD-R, GSMA SGP.22 AID A0000005591010FFFFFFFF8900000100).
    assertThat(Scp03.pseudoRandomCardChallenge(suite, staticKeys(recorded.keys()).enc(), sequenceCounter, ISD_R_AID))
        .isEqualTo(cardChallenge);
    var keys = Scp03.sessionKeys(suite, staticKeys(recorded.keys()), hostChallenge, cardChallenge);
    assertThat(Scp03.isCardCryptogramValid(suite, keys.sMac(), hostChallenge, cardChallenge, cardCryptogram)).isTrue();
    var session = new Scp03.Session(suite, keys, recorded.level());
    byte[] externalAuthenticate = session.externalAuthenticate(Scp03.hostCryptogram(suite, keys.sMac(), hostChallenge, cardChallenge));
    assertThat(Hex.encode(externalAuthenticate)).isEqualTo(recorded.externalAuthenticate());
    return session;
  }

  @Test
  void scp03Aes128_cMacAndRMac_reproducePysimRecordedSession() {
    // osmocom/pysim tests/unittests/test_globalplatform.py SCP03_Test_AES128_11 (GPL; vectors only):
    // security level 11 (C-MAC, R-MAC).
    var session = handshake(new PysimSession(KEYS_128, "8050300008B13E5F938FC108C400",
        "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002",
        "84821100107D5F5826A993EBC89EEA24957FA0B3CE", SecurityLevel.C_MAC_R_MAC));
    assertThat(Hex.encode(session.wrap(Hex.decode("80E2910006BF3E035C015A00")))).isEqualTo("84E291000EBF3E035C015A558D036518A2829700");
    byte[] response = Hex.decode("BF3E125A1089882119900000000000000000000005971BE68992DBBDFA");
    assertThat(Hex.encode(session.unwrapResponse(response, 0x9000))).isEqualTo("BF3E125A1089882119900000000000000000000005");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F22002")))).isEqualTo("84F220020863A63F8959827FB2");
    assertThat(Hex.encode(session.wrap(Hex.decode("80CA006600")))).isEqualTo("84CA006608A0C6A4A74166F7CE00");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F220020A4F0212345C054F9F70C5"))))
        .isEqualTo("84F22002124F0212345C054F9F70C52249B50272656536");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F28002024F0000")))).isEqualTo("84F280020A4F00E91443F6DCE6B8ED00");
  }

  @Test
  void scp03Aes128_cDec_reproducesPysimRecordedSession() {
    // pysim SCP03_Test_AES128_03: security level 03 (C-DEC and C-MAC).
    var session = handshake(new PysimSession(KEYS_128, "80503000088E1552D0513C60F300",
        "0000000000000000000030037030760CD2C47C1DD395065FE5EAD8A9D7000001",
        "8482030010FD4721A14D9B07003C451D2F8AE6BB21", SecurityLevel.C_DECRYPTION_C_MAC));
    assertThat(Hex.encode(session.wrap(Hex.decode("80E2910006BF3E035C015A00"))))
        .isEqualTo("84E2910018CA9C00F6713D79BC8BAA642BDFF51C3F6A4082D3BD9AD26C00");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F22002")))).isEqualTo("84F2200208C9811B11F1264CF1");
    assertThat(Hex.encode(session.wrap(Hex.decode("80CA006600")))).isEqualTo("84CA006608E10AB60B3054798800");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F220020A4F0212345C054F9F70C5"))))
        .isEqualTo("84F22002184E2908BDB48B2315A55482E9E936CA122D6ECFAE7D17416E");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F28002024F0000"))))
        .isEqualTo("84F28002180DD10A6B6193E5340B9E77D32D5A179CD710AC2773AEFB2800");
  }

  @Test
  void scp03Aes256_reproducesPysimRecordedSession() {
    // pysim SCP03_Test_AES256_03: AES-256 static keys, C-DEC and C-MAC.
    var session = handshake(new PysimSession(KEYS_256, "8050320008C6066990FC426E1D00",
        "000000000000000000003203708682CD81BBD8919F2DE3F2664581F118000001",
        "848203001077C493B632EDADAF865A1E64ACC07CE9", SecurityLevel.C_DECRYPTION_C_MAC));
    assertThat(Hex.encode(session.wrap(Hex.decode("80E2910006BF3E035C015A00"))))
        .isEqualTo("84E29100183DDAA60594963BEFAADA3525B492EDE23C2AB2C1CE3AFE4400");
    assertThat(Hex.encode(session.wrap(Hex.decode("80F22002")))).isEqualTo("84F2200208480DDC8E419DA38D");
  }

  /** The card's side of a recorded session: keys from the INITIALIZE UPDATE exchange. */
  private static Scp03.CardSession cardSide(String keys, String initUpdateCommand, String initUpdateResponse, String externalAuthenticate) {
    byte[] hostChallenge = Arrays.copyOfRange(Hex.decode(initUpdateCommand), 5, 13);
    byte[] cardChallenge = Arrays.copyOfRange(Hex.decode(initUpdateResponse), 13, 21);
    var sessionKeys = Scp03.sessionKeys(AlgorithmSuite.INTERNATIONAL, staticKeys(keys), hostChallenge, cardChallenge);
    return Scp03.CardSession.open(AlgorithmSuite.INTERNATIONAL, sessionKeys, hostChallenge, cardChallenge, Hex.decode(externalAuthenticate));
  }

  @Test
  void scp03CardSide_unwrapsPysimCommands_andProducesItsRMac() {
    // pysim SCP03_Test_AES128_11 seen from the card: every recorded wrapped command unwraps to
    // its plain form, and the card's R-MAC of the GET DATA (EID) response is the recorded one.
    var card = cardSide(KEYS_128, "8050300008B13E5F938FC108C400",
        "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002", "84821100107D5F5826A993EBC89EEA24957FA0B3CE");
    assertThat(card.level()).isEqualTo(SecurityLevel.C_MAC_R_MAC);
    assertThat(Hex.encode(card.unwrap(Hex.decode("84E291000EBF3E035C015A558D036518A2829700")))).isEqualTo("80E2910006BF3E035C015A00");
    assertThat(Hex.encode(card.wrapResponse(Hex.decode("BF3E125A1089882119900000000000000000000005"), 0x9000)))
        .isEqualTo("BF3E125A1089882119900000000000000000000005971BE68992DBBDFA");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84F220020863A63F8959827FB2")))).isEqualTo("80F22002");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84CA006608A0C6A4A74166F7CE00")))).isEqualTo("80CA006600");
  }

  @Test
  void scp03CardSide_decryptsPysimCDecCommands() {
    // pysim SCP03_Test_AES128_03 seen from the card (C-DEC and C-MAC).
    var card = cardSide(KEYS_128, "80503000088E1552D0513C60F300",
        "0000000000000000000030037030760CD2C47C1DD395065FE5EAD8A9D7000001", "8482030010FD4721A14D9B07003C451D2F8AE6BB21");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84E2910018CA9C00F6713D79BC8BAA642BDFF51C3F6A4082D3BD9AD26C00"))))
        .isEqualTo("80E2910006BF3E035C015A00");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84F2200208C9811B11F1264CF1")))).isEqualTo("80F22002");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84CA006608E10AB60B3054798800")))).isEqualTo("80CA006600");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84F22002184E2908BDB48B2315A55482E9E936CA122D6ECFAE7D17416E"))))
        .isEqualTo("80F220020A4F0212345C054F9F70C5");
    assertThat(Hex.encode(card.unwrap(Hex.decode("84F28002180DD10A6B6193E5340B9E77D32D5A179CD710AC2773AEFB2800"))))
        .isEqualTo("80F28002024F0000");
  }

  @Test
  void scp03CardSide_closesTheSessionOnAWrongCMac() {
    var card = cardSide(KEYS_128, "8050300008B13E5F938FC108C400",
        "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002", "84821100107D5F5826A993EBC89EEA24957FA0B3CE");
    byte[] tampered = Hex.decode("84E291000EBF3E035C015B558D036518A2829700"); // one data bit changed
    assertThatThrownBy(() -> card.unwrap(tampered)).isInstanceOf(CryptoException.class).hasMessageContaining("C-MAC");
    // Even the genuine command is refused now: the session is over.
    assertThatThrownBy(() -> card.unwrap(Hex.decode("84E291000EBF3E035C015A558D036518A2829700")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("closed");
    // A wrong host cryptogram, or a wrong C-MAC on EXTERNAL AUTHENTICATE, never opens a session.
    assertThatThrownBy(() -> cardSide(KEYS_128, "8050300008B13E5F938FC108C400",
        "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002", "84821100107D5F5826A993EBC99EEA24957FA0B3CE"))
        .isInstanceOf(CryptoException.class).hasMessageContaining("cryptogram");
    assertThatThrownBy(() -> cardSide(KEYS_128, "8050300008B13E5F938FC108C400",
        "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002", "84821100107D5F5826A993EBC89EEA24957FA0B3CF"))
        .isInstanceOf(CryptoException.class).hasMessageContaining("C-MAC");
  }

  @Test
  void scp03_wrongRMac_isRefused() {
    var session = handshake(new PysimSession(KEYS_128, "8050300008B13E5F938FC108C400",
        "000000000000000000003003703EB51047495B249F66C484C1D2EF1948000002",
        "84821100107D5F5826A993EBC89EEA24957FA0B3CE", SecurityLevel.C_MAC_R_MAC));
    session.wrap(Hex.decode("80E2910006BF3E035C015A00"));
    byte[] response = Hex.decode("BF3E125A1089882119900000000000000000000005971BE68992DBBDFA");
    assertThatThrownBy(() -> session.unwrapResponse(response, 0x6A82)).isInstanceOf(CryptoException.class).hasMessageContaining("R-MAC");
    response[0] ^= 1;
    assertThatThrownBy(() -> session.unwrapResponse(response, 0x9000)).isInstanceOf(CryptoException.class);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void scp03_kdfAndCMac_equalIndependentComputation(AlgorithmSuite suite) {
    // The SM4 analogue has no published vectors: both suites are recomputed here straight from
    // Amendment D's layouts with BouncyCastle's CMac over AESEngine / SM4Engine.
    SecretKeyBytes key = SecretKeyBytes.fromHex("000102030405060708090A0B0C0D0E0F");
    byte[] host = Hex.decode("A0A1A2A3A4A5A6A7");
    byte[] card = Hex.decode("B0B1B2B3B4B5B6B7");
    byte[] context = Hex.decode("A0A1A2A3A4A5A6A7B0B1B2B3B4B5B6B7");
    byte[] sMac = cmac(suite, key.value(), concat(Hex.decode("0000000000000000000000" + "06" + "00" + "0080" + "01"), context));
    var keys = Scp03.sessionKeys(suite, new Scp03.StaticKeys(key, key, key), host, card);
    assertThat(keys.sMac().value()).isEqualTo(sMac);
    byte[] cardCryptogram =
        Arrays.copyOf(cmac(suite, sMac, concat(Hex.decode("0000000000000000000000" + "00" + "00" + "0040" + "01"), context)), 8);
    assertThat(Scp03.cardCryptogram(suite, keys.sMac(), host, card)).isEqualTo(cardCryptogram);
    byte[] hostCryptogram =
        Arrays.copyOf(cmac(suite, sMac, concat(Hex.decode("0000000000000000000000" + "01" + "00" + "0040" + "01"), context)), 8);
    assertThat(Scp03.isHostCryptogramValid(suite, keys.sMac(), host, card, hostCryptogram)).isTrue();

    var session = new Scp03.Session(suite, keys, SecurityLevel.C_MAC);
    byte[] externalAuthenticate = session.externalAuthenticate(hostCryptogram);
    byte[] chain = cmac(suite, sMac, concat(new byte[16], Hex.decode("8482010010"), hostCryptogram));
    assertThat(Arrays.copyOfRange(externalAuthenticate, 13, 21)).isEqualTo(Arrays.copyOf(chain, 8));
    byte[] wrapped = session.wrap(Hex.decode("80F28002024F00"));
    byte[] next = cmac(suite, sMac, concat(chain, Hex.decode("84F280020A4F00")));
    assertThat(wrapped).isEqualTo(concat(Hex.decode("84F280020A4F00"), Arrays.copyOf(next, 8)));
  }

  @Test
  void nationalDiversificationAndKcv_equalIndependentSm4() {
    // iotpay's SM4 analogue: the EMV diversification bytes as one SM4 block; KCV over 01 x 16.
    byte[] data = Hex.decode("040506070809" + "F001" + "040506070809" + "0F01");
    SecretKeyBytes enc = KeyDiversification.diversify(AlgorithmSuite.NATIONAL, Method.EMV, GP_TEST_KEY, KDD, KeyPurpose.ENC);
    assertThat(enc.value()).isEqualTo(sm4(GP_TEST_KEY.value(), data));
    byte[] ones = new byte[16];
    Arrays.fill(ones, (byte) 1);
    assertThat(KeyDiversification.keyCheckValue(BlockCipherAlgorithm.SM4, enc)).isEqualTo(Arrays.copyOf(sm4(enc.value(), ones), 3));
  }

  @Test
  void badInput_isRefusedWithTypedErrors() {
    AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;
    assertThatThrownBy(() -> KeyDiversification.diversify(suite, Method.EMV, GP_TEST_KEY, new byte[9], KeyPurpose.ENC))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Scp03.kdf(suite, GP_TEST_KEY, DerivationConstant.S_ENC, new byte[33], 128))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Scp03.kdf(suite, GP_TEST_KEY, DerivationConstant.S_ENC, KDD, 100)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Scp03.sessionKeys(suite, new Scp03.StaticKeys(GP_TEST_KEY, GP_TEST_KEY, GP_TEST_KEY), new byte[7], new byte[8]))
        .isInstanceOf(CryptoException.class);
    var keys = Scp03.sessionKeys(suite, new Scp03.StaticKeys(GP_TEST_KEY, GP_TEST_KEY, GP_TEST_KEY), new byte[8], new byte[8]);
    var session = new Scp03.Session(suite, keys, SecurityLevel.C_MAC);
    assertThatThrownBy(() -> session.wrap(Hex.decode("80F22002"))).isInstanceOf(CryptoException.class).hasMessageContaining("EXTERNAL");
    session.externalAuthenticate(new byte[8]);
    assertThatThrownBy(() -> session.externalAuthenticate(new byte[8])).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> session.wrap(Hex.decode("84F22002"))).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> session.wrap(Hex.decode("80F2200205AABB"))).isInstanceOf(CryptoException.class).hasMessageContaining("Lc");
    assertThatThrownBy(() -> session.unwrapResponse(new byte[10], 0x9000)).isInstanceOf(CryptoException.class).hasMessageContaining("no R-MAC");
    assertThatThrownBy(() -> Scp03.pseudoRandomCardChallenge(suite, GP_TEST_KEY, 0x1000000, new byte[8]))
        .isInstanceOf(CryptoException.class);
  }

  private static byte[] cmac(AlgorithmSuite suite, byte[] key, byte[] data) {
    CMac mac = new CMac(suite == AlgorithmSuite.NATIONAL ? new SM4Engine() : org.bouncycastle.crypto.engines.AESEngine.newInstance());
    mac.init(new KeyParameter(key));
    mac.update(data, 0, data.length);
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    return out;
  }

  private static byte[] sm4(byte[] key, byte[] block) {
    SM4Engine engine = new SM4Engine();
    engine.init(true, new KeyParameter(key));
    byte[] out = new byte[16];
    engine.processBlock(block, 0, out, 0);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
