package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.PinBlock;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operations every custody must perform identically, run by {@link SoftwareKeyCustodyTest} and
 * {@link Pkcs11KeyCustodyTest}. Expected values are computed here with the foundation formulas on
 * the clear test keys the test itself made and imported through the ceremony.
 */
abstract class CustodyOperationSuite {
  static final String PAN = "5413330089020011";
  static final String PSN = "01";
  static final HexFormat HEX = HexFormat.of();

  /**
   * The TAC formula the custodies under test are built with. A stand-in for the issuer's
   * CardCrypto::tac, which foundation cannot call: the card MAC under the ATC session key.
   */
  static final TacFormula TEST_TAC = (suite, cardKey, atc, input) ->
      EmvCryptograms.applicationCryptogram(suite, EmvCryptograms.sessionKey(suite, cardKey, atc), input);

  /** A fresh, empty custody built with {@link #TEST_TAC}, for one test (closed by the test). */
  abstract <C extends KeyCustody & KeyCeremony> C newCustody(AlgorithmSuite suite);

  /**
   * Whether this custody performs {@code operation} under {@code suite}. A custody that cannot returns
   * false only after checking that it refuses the operation with {@code Reason.UNSUPPORTED}, so the
   * case still tests something: the refusal.
   */
  abstract boolean supports(AlgorithmSuite suite, String operation);

  static SecretKeyBytes randomKey() {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    return new SecretKeyBytes(key);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyArqcAndGenerateArpc_equalEmvCryptogramsOnTheClearKey(AlgorithmSuite suite) {
    if (!supports(suite, "card keys")) {
      return;
    }
    SecretKeyBytes imk = randomKey();
    int atc = 0x0042;
    byte[] input = EmvCryptograms.cryptogramInput(HEX.parseHex("000000001000000000000000097800000000000978230301"
        + "12345678"), HEX.parseHex("1800"), atc, HEX.parseHex("0110A00003220000000000000000000000FF"));
    SecretKeyBytes sessionKey = EmvCryptograms.sessionKey(suite, EmvKeyDerivation.cardMasterKey(suite, imk, PAN, PSN), atc);
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, sessionKey, input);
    byte[] arc = HEX.parseHex("3030");
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.importClear("imk-ac", suite, KeyUsage.ISSUER_MASTER, imk);

      assertThat(custody.verifyArqc(ref, PAN, PSN, atc, input, arqc)).isTrue();
      byte[] forged = arqc.clone();
      forged[7] ^= 1;
      assertThat(custody.verifyArqc(ref, PAN, PSN, atc, input, forged)).isFalse();
      assertThat(custody.verifyArqc(ref, PAN, PSN, atc + 1, input, arqc)).isFalse();
      assertThat(custody.generateArpc(ref, PAN, PSN, atc, arqc, arc))
          .isEqualTo(EmvCryptograms.arpcMethod1(suite, sessionKey, arqc, arc));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyTac_runsTheConfiguredFormulaOnTheDerivedCardKey(AlgorithmSuite suite) {
    if (!supports(suite, "card keys")) {
      return;
    }
    SecretKeyBytes imk = randomKey();
    byte[] input = "transit record 0001".getBytes(StandardCharsets.US_ASCII);
    byte[] tac = TEST_TAC.tac(suite, EmvKeyDerivation.cardMasterKey(suite, imk, PAN, PSN), 9, input);
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.importClear("imk-tac", suite, KeyUsage.ISSUER_MASTER, imk);

      assertThat(custody.verifyTac(ref, PAN, PSN, 9, input, tac)).isTrue();
      assertThat(custody.verifyTac(ref, PAN, "02", 9, input, tac)).isFalse();
      tac[0] ^= 1;
      assertThat(custody.verifyTac(ref, PAN, PSN, 9, input, tac)).isFalse();
    }
  }

  /**
   * A thread keeps the card key it used last (clearing files come in card order): a card's next tap
   * reuses it, counted as a cache hit; any other PAN, PSN or IMK gets its own key, and a retired
   * IMK is refused however recently its card key was used.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyTac_sameCardInARow_reusesItsKey_everyOtherCardOrImkGetsItsOwn(AlgorithmSuite suite) {
    if (!supports(suite, "card keys")) {
      return;
    }
    SecretKeyBytes imk1 = randomKey();
    SecretKeyBytes imk2 = randomKey();
    String otherPan = "5413330089020029";
    byte[] input = "transit record 0002".getBytes(StandardCharsets.US_ASCII);
    byte[] tacA = TEST_TAC.tac(suite, EmvKeyDerivation.cardMasterKey(suite, imk1, PAN, PSN), 9, input);
    byte[] tacA2 = TEST_TAC.tac(suite, EmvKeyDerivation.cardMasterKey(suite, imk1, PAN, "02"), 9, input);
    byte[] tacB = TEST_TAC.tac(suite, EmvKeyDerivation.cardMasterKey(suite, imk1, otherPan, PSN), 9, input);
    byte[] tacAUnder2 = TEST_TAC.tac(suite, EmvKeyDerivation.cardMasterKey(suite, imk2, PAN, PSN), 9, input);
    try (var custody = newCustody(suite)) {
      KeyRef ref1 = custody.importClear("imk-tac", suite, KeyUsage.ISSUER_MASTER, imk1);
      KeyRef ref2 = custody.importClear("imk-tac-2", suite, KeyUsage.ISSUER_MASTER, imk2);

      assertThat(custody.verifyTac(ref1, PAN, PSN, 9, input, tacA)).isTrue();
      long hits = ((CustodyCore) custody).cardKeyCacheStats().hits();
      assertThat(custody.verifyTac(ref1, PAN, PSN, 9, input, tacA)).isTrue();
      assertThat(((CustodyCore) custody).cardKeyCacheStats().hits()).isEqualTo(hits + 1);
      assertThat(custody.verifyTac(ref1, PAN, "02", 9, input, tacA)).isFalse();
      assertThat(custody.verifyTac(ref1, PAN, "02", 9, input, tacA2)).isTrue();
      assertThat(custody.verifyTac(ref1, otherPan, PSN, 9, input, tacA)).isFalse();
      assertThat(custody.verifyTac(ref1, otherPan, PSN, 9, input, tacB)).isTrue();
      assertThat(custody.verifyTac(ref1, PAN, PSN, 9, input, tacA)).isTrue();
      assertThat(custody.verifyTac(ref2, PAN, PSN, 9, input, tacA)).isFalse();
      assertThat(custody.verifyTac(ref2, PAN, PSN, 9, input, tacAUnder2)).isTrue();
      assertThat(custody.verifyTac(ref1, PAN, PSN, 9, input, tacA)).isTrue();

      custody.retire(ref1);

      assertRefused(() -> custody.verifyTac(ref1, PAN, PSN, 9, input, tacA), Reason.RETIRED);
      assertThat(custody.verifyTac(ref2, PAN, PSN, 9, input, tacAUnder2)).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyWalletTac_runsTheFormulaOnTheCardKeyDerivedOverTheCardId_andRefusesABadId(AlgorithmSuite suite) {
    if (!supports(suite, "card keys")) {
      return;
    }
    SecretKeyBytes imk = randomKey();
    byte[] cardId = {0x62, 0x10, 0, 0, 0, 0, 0x0A, 0x1F};
    byte[] otherCard = {0x62, 0x10, 0, 0, 0, 0, 0x0A, 0x20};
    byte[] input = "wallet DEBIT input".getBytes(StandardCharsets.US_ASCII);
    byte[] tac = TEST_TAC.tac(suite, EmvKeyDerivation.walletCardKey(suite, imk, cardId), 7, input);
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.importClear("imk-wallet", suite, KeyUsage.ISSUER_MASTER, imk);

      assertThat(custody.verifyWalletTac(ref, cardId, 7, input, tac)).isTrue();
      assertThat(custody.verifyWalletTac(ref, otherCard, 7, input, tac)).isFalse();
      assertThat(custody.verifyWalletTac(ref, cardId, 8, input, tac)).isFalse();
      tac[7] ^= 1;
      assertThat(custody.verifyWalletTac(ref, cardId, 7, input, tac)).isFalse();
      assertRefused(() -> custody.verifyWalletTac(ref, new byte[7], 7, input, tac), Reason.BAD_INPUT);
      assertRefused(() -> custody.verifyWalletTac(ref, cardId, 0x10000, input, tac), Reason.BAD_INPUT);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void walletRatingMac_isTheFormulaOnTheDerivedCardKey_andEachDirectionIsMacedOrCheckedOnly(AlgorithmSuite suite) {
    if (!supports(suite, "card keys")) {
      return;
    }
    SecretKeyBytes imk = randomKey();
    byte[] cardId = {0x62, 0x10, 0, 0, 0, 0, 0x0A, 0x1F};
    byte[] rating = HEX.parseHex("61" + "6210000000000A1F" + "00005014" + "04" + "00002710" + "0F" + "009C");
    byte[] confirmation = rating.clone();
    confirmation[0] = 0x71;
    SecretKeyBytes cardKey = EmvKeyDerivation.walletCardKey(suite, imk, cardId);
    byte[] cardConfirmation = io.iotpay.foundation.crypto.WalletRatingMac.mac(suite, cardKey, confirmation);
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.importClear("imk-wallet", suite, KeyUsage.ISSUER_MASTER, imk);

      byte[] issuerMac = custody.walletRatingMac(ref, rating);
      assertThat(issuerMac).hasSize(8)
          .isEqualTo(io.iotpay.foundation.crypto.WalletRatingMac.mac(suite, cardKey, rating));
      assertThat(custody.verifyWalletRatingConfirmation(ref, confirmation, cardConfirmation)).isTrue();
      // The issuer's MAC over the same fields is no confirmation: another tag, another session key.
      assertThat(custody.verifyWalletRatingConfirmation(ref, confirmation, issuerMac)).isFalse();
      byte[] altered = confirmation.clone();
      altered[17] ^= 1;
      assertThat(custody.verifyWalletRatingConfirmation(ref, altered, cardConfirmation)).isFalse();
      byte[] otherCard = confirmation.clone();
      otherCard[8] ^= 1;
      assertThat(custody.verifyWalletRatingConfirmation(ref, otherCard, cardConfirmation)).isFalse();
      // The custody MACs only tag 61 and checks only tag 71.
      assertRefused(() -> custody.walletRatingMac(ref, confirmation), Reason.BAD_INPUT);
      assertRefused(() -> custody.verifyWalletRatingConfirmation(ref, rating, issuerMac), Reason.BAD_INPUT);
      assertRefused(() -> custody.walletRatingMac(ref, java.util.Arrays.copyOf(rating, 20)), Reason.BAD_INPUT);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sign_verifiesUnderTheExportedPublicKey(AlgorithmSuite suite) {
    if (!supports(suite, "signing")) {
      return;
    }
    byte[] data = "settlement file 2026-12-07".getBytes(StandardCharsets.US_ASCII);
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.generate("scheme-signing", suite, KeyUsage.SIGNING);

      byte[] signature = custody.sign(ref, data);

      assertThat(suite.signature().verify(custody.publicKey(ref), data, signature)).isTrue();
      data[0] ^= 1;
      assertThat(suite.signature().verify(custody.publicKey(ref), data, signature)).isFalse();
    }
  }

  /**
   * The ISO 8583 field 128 MAC as io.iotpay.protocol.iso8583.MessageMac computes it (docs/iso8583.md):
   * ISO/IEC 9797-1 MAC algorithm 3, padding method 2, or the PBOC SM4 MAC cut to 8 bytes.
   */
  static byte[] messageMac(AlgorithmSuite suite, SecretKeyBytes zak, byte[] data) {
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M3.mac(zak, data, MacPadding.METHOD_2);
      case NATIONAL -> java.util.Arrays.copyOf(MacAlgorithm.pbocSm4Block(zak, null, data), 8);
    };
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mac_equalsTheIso8583MessageMacOnTheClearKey(AlgorithmSuite suite) {
    if (!supports(suite, "MAC")) {
      return;
    }
    SecretKeyBytes key = randomKey();
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.importClear("zone-mac", suite, KeyUsage.ZONE_MAC, key);
      for (int length : new int[] {0, 7, 8, 9, 24, 200}) {
        byte[] data = new byte[length];
        new SecureRandom().nextBytes(data);

        byte[] mac = custody.mac(ref, data);

        assertThat(mac).as("%d bytes", length).isEqualTo(messageMac(suite, key, data));
        assertThat(custody.verifyMac(ref, data, mac)).isTrue();
        mac[7] ^= 1;
        assertThat(custody.verifyMac(ref, data, mac)).isFalse();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void usage_isEnforced(AlgorithmSuite suite) {
    if (!supports(suite, "MAC") || !supports(suite, "signing")) {
      return;
    }
    try (var custody = newCustody(suite)) {
      KeyRef macKey = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
      KeyRef signingKey = custody.generate("party-signing", suite, KeyUsage.SIGNING);
      KeyRef pinKey = custody.generate("zone-pin", suite, KeyUsage.ZONE_PIN);
      byte[] block = new byte[16];

      assertRefused(() -> custody.translatePinBlock(macKey, pinKey, block, PAN), Reason.WRONG_USAGE); // MAC key deciphers
      assertRefused(() -> custody.mac(pinKey, block), Reason.WRONG_USAGE); // PIN key MACs
      assertRefused(() -> custody.unwrap(signingKey, "x", KeyUsage.ZONE_MAC, new byte[24]), Reason.WRONG_USAGE);
      assertRefused(() -> custody.sign(macKey, block), Reason.WRONG_USAGE);
      assertRefused(() -> custody.verifyArqc(macKey, PAN, PSN, 1, block, new byte[8]), Reason.WRONG_USAGE);
      assertRefused(() -> custody.wrap(signingKey, macKey), Reason.WRONG_USAGE);
      // A ref whose usage differs from the stored key's names no key.
      KeyRef lying = new KeyRef("zone-mac", 1, suite, KeyUsage.ZONE_PIN);
      assertRefused(() -> custody.translatePinBlock(lying, pinKey, block, PAN), Reason.UNKNOWN_KEY);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void rotation_newVersionIsCurrent_oldVerifiesUntilRetired(AlgorithmSuite suite) {
    if (!supports(suite, "MAC")) {
      return;
    }
    byte[] data = "network management 0800".getBytes(StandardCharsets.US_ASCII);
    try (var custody = newCustody(suite)) {
      KeyRef v1 = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
      byte[] macV1 = custody.mac(v1, data);

      KeyRef v2 = custody.rotate("zone-mac");

      assertThat(v2.version()).isEqualTo(2);
      assertThat(custody.current("zone-mac")).isEqualTo(v2);
      assertThat(custody.mac(v2, data)).isNotEqualTo(macV1);
      assertThat(custody.verifyMac(v1, data, macV1)).isTrue();
      assertRefused(() -> custody.mac(v1, data), Reason.NOT_CURRENT);

      custody.retire(v1);

      assertRefused(() -> custody.verifyMac(v1, data, macV1), Reason.RETIRED);
      assertThat(custody.verifyMac(v2, data, custody.mac(v2, data))).isTrue();
      assertThat(custody.list()).extracting(KeyInfo::ref, KeyInfo::retired)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(v1, true), org.assertj.core.groups.Tuple.tuple(v2, false));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void translatePinBlock_equalsDirectPinBlockTranslation(AlgorithmSuite suite) throws Exception {
    if (!supports(suite, "PIN translation")) {
      return;
    }
    SecretKeyBytes fromKey = randomKey();
    SecretKeyBytes toKey = randomKey();
    byte[] block;
    try (PinBlock.ClearPin pin = PinBlock.ClearPin.fromChars("1234".toCharArray())) {
      block = PinBlock.encipherFormat4(suite, fromKey, pin, PAN, new SecureRandom());
    }
    try (var custody = newCustody(suite)) {
      KeyRef from = custody.importClear("acquirer-pin", suite, KeyUsage.ZONE_PIN, fromKey);
      KeyRef to = custody.importClear("scheme-pin", suite, KeyUsage.ZONE_PIN, toKey);

      byte[] translated = custody.translatePinBlock(from, to, block, PAN);

      assertThat(translated).isEqualTo(PinBlock.translateFormat4(suite, fromKey, suite, toKey, block, PAN));
      try (PinBlock.ClearPin out = PinBlock.decipherFormat4(suite, toKey, translated, PAN);
          PinBlock.ClearPin expected = PinBlock.ClearPin.fromChars("1234".toCharArray())) {
        assertThat(out.matches(expected)).isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void translateDukptPinBlock_equalsDirectComputation(AlgorithmSuite suite) throws Exception {
    if (!supports(suite, "PIN translation")) {
      return;
    }
    SecretKeyBytes bdk = randomKey();
    SecretKeyBytes toKey = randomKey();
    Dukpt.Ksn ksn = new Dukpt.Ksn(HEX.parseHex("123456789012345A"), 5);
    SecretKeyBytes terminalPinKey = Dukpt.workingKey(suite, bdk, ksn, Dukpt.KeyUsage.PIN_ENCRYPTION,
        Dukpt.derivationKeyType(suite, bdk));
    byte[] block;
    try (PinBlock.ClearPin pin = PinBlock.ClearPin.fromChars("987654".toCharArray())) {
      block = PinBlock.encipherFormat4(suite, terminalPinKey, pin, PAN, new SecureRandom());
    }
    try (var custody = newCustody(suite)) {
      KeyRef bdkRef = custody.importClear("terminal-bdk", suite, KeyUsage.DUKPT_BDK, bdk);
      KeyRef to = custody.importClear("zone-pin", suite, KeyUsage.ZONE_PIN, toKey);

      byte[] translated = custody.translateDukptPinBlock(bdkRef, ksn.bytes(), to, block, PAN);

      assertThat(translated).isEqualTo(PinBlock.translateFormat4(suite, terminalPinKey, suite, toKey, block, PAN));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyPin_comparesTheBlockWithTheReferencePin_andRefusesWhatDoesNotDecipher(AlgorithmSuite suite) {
    if (!supports(suite, "PIN translation")) {
      return;
    }
    SecretKeyBytes zoneKey = randomKey();
    try (var custody = newCustody(suite)) {
      KeyRef zone = custody.importClear("issuer-zpk", suite, KeyUsage.ZONE_PIN, zoneKey);
      KeyRef pvk = custody.generate("pvk", suite, KeyUsage.PIN_VERIFICATION);
      byte[] reference = custody.translatePinBlock(zone, pvk, block(suite, zoneKey, "4321"), PAN);

      assertThat(custody.verifyPin(zone, block(suite, zoneKey, "4321"), pvk, reference, PAN)).isTrue();
      assertThat(custody.verifyPin(zone, block(suite, zoneKey, "4322"), pvk, reference, PAN)).isFalse();
      assertThat(custody.verifyPin(zone, block(suite, zoneKey, "43210"), pvk, reference, PAN)).isFalse();
      byte[] right = block(suite, zoneKey, "4321");
      assertThatThrownBy(() -> custody.verifyPin(zone, right, pvk, reference, "5413330089020029"))
          .as("the block is bound to its PAN").isInstanceOf(io.iotpay.foundation.crypto.CryptoException.class);
      byte[] underAnotherKey = block(suite, randomKey(), "4321");
      assertThatThrownBy(() -> custody.verifyPin(zone, underAnotherKey, pvk, reference, PAN))
          .isInstanceOf(io.iotpay.foundation.crypto.CryptoException.class).hasMessageNotContaining("4321");
      // The reference PIN never leaves: the PVK cannot decipher into another key, nor be exported.
      assertRefused(() -> custody.translatePinBlock(pvk, zone, reference, PAN), Reason.WRONG_USAGE);
      assertRefused(() -> custody.verifyPin(pvk, reference, pvk, reference, PAN), Reason.WRONG_USAGE);
    }
  }

  private static byte[] block(AlgorithmSuite suite, SecretKeyBytes key, String digits) {
    try (PinBlock.ClearPin pin = PinBlock.ClearPin.fromChars(digits.toCharArray())) {
      return PinBlock.encipherFormat4(suite, key, pin, PAN, new SecureRandom());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrapAndUnwrap_moveAZoneKeyToAPeerUnderTheZoneMasterKey(AlgorithmSuite suite) {
    if (!supports(suite, "key wrap")) {
      return;
    }
    SecretKeyBytes zmk = randomKey();
    SecretKeyBytes macKey = randomKey();
    byte[] data = "0800 key change".getBytes(StandardCharsets.US_ASCII);
    try (var sender = newCustody(suite)) {
      KeyRef zmkRef = sender.importClear("zmk", suite, KeyUsage.ZONE_MASTER, zmk);
      KeyRef macRef = sender.importClear("zone-mac", suite, KeyUsage.ZONE_MAC, macKey);

      byte[] wrapped = sender.wrap(zmkRef, macRef);

      // RFC 3394 is deterministic: the same wrap computed here on the clear keys.
      RFC3394WrapEngine reference = new RFC3394WrapEngine(suite.blockCipher().newEngine());
      reference.init(true, new KeyParameter(zmk.value()));
      assertThat(wrapped).isEqualTo(reference.wrap(macKey.value(), 0, 16));
      KeyRef received = sender.unwrap(zmkRef, "peer-mac", KeyUsage.ZONE_MAC, wrapped);
      assertThat(sender.mac(received, data)).isEqualTo(sender.mac(macRef, data));
      wrapped[3] ^= 1;
      assertRefused(() -> sender.unwrap(zmkRef, "peer-mac", KeyUsage.ZONE_MAC, wrapped), Reason.BAD_INPUT);
      assertThat(sender.current("peer-mac")).isEqualTo(received);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unknownAndMalformedRefs_areRefusedWithATypedError(AlgorithmSuite suite) {
    if (!supports(suite, "MAC")) {
      return;
    }
    try (var custody = newCustody(suite)) {
      KeyRef ref = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);

      assertRefused(() -> custody.mac(new KeyRef("zone-mac", 2, suite, KeyUsage.ZONE_MAC), new byte[1]), Reason.UNKNOWN_KEY);
      assertRefused(() -> custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC), Reason.BAD_INPUT);
      assertRefused(() -> custody.mac(ref, new byte[KeyCustody.DATA_BYTES_MAX + 1]), Reason.BAD_INPUT);
      assertRefused(() -> custody.generate("bad label", suite, KeyUsage.ZONE_MAC), Reason.BAD_INPUT);
      assertThat(custody.list()).hasSize(1);
    }
  }

  static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KeyCustodyException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static void assumeTrueWithReason(boolean condition, String reason) {
    assumeTrue(condition, reason);
  }
}
