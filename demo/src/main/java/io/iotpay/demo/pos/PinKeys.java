package io.iotpay.demo.pos;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.PinBlock;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.phone.pos.PhonePinPad;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The online PIN keys of a run, made once as the parties' key ceremonies would (docs/pin-and-dukpt.md):
 * one DUKPT BDK per suite at the acquirer, with its 4-byte BDK id; the zone PIN key the acquirer
 * shares with the switch; one zone PIN key the switch shares with each issuer (in the issuer's
 * suite). Each party imports its keys into its own sealed key custody; the clear keys stay in this
 * object only, which models the key ceremony and the key-injection facility that loads each phone's
 * initial DUKPT key.
 */
final class PinKeys {
  static final String ACQUIRER_ZONE_PIN = "zpk-acquirer-switch";
  static final String ISSUER_ZONE_PIN = "zpk-switch-issuer";
  static final String PIN_VERIFICATION = "pvk";
  static final int PIN_TRIES = 3;
  private static final SecureRandom RANDOM = new SecureRandom();

  final AlgorithmSuite acquirerZoneSuite;
  private final SecretKeyBytes acquirerZonePin = Links.randomKey();
  private final Map<AlgorithmSuite, SecretKeyBytes> bdks = new EnumMap<>(AlgorithmSuite.class);
  private final Map<AlgorithmSuite, String> bdkIds = new EnumMap<>(AlgorithmSuite.class);
  private final Map<PartyId, SecretKeyBytes> issuerZonePins = new HashMap<>();
  private int devices;

  /** @param acquirerZoneSuite the suite of the acquirer–switch zone PIN key */
  PinKeys(AlgorithmSuite acquirerZoneSuite) {
    this.acquirerZoneSuite = acquirerZoneSuite;
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      bdks.put(suite, Links.randomKey());
      bdkIds.put(suite, String.format("B%07X", 1 + suite.ordinal()));
    }
  }

  /** The zone PIN key between the switch and {@code issuer} (made on first use, in the issuer's suite). */
  private SecretKeyBytes issuerZonePin(PartyId issuer) {
    return issuerZonePins.computeIfAbsent(issuer, i -> Links.randomKey());
  }

  /** A party's sealed key custody in {@code dir}, under a fresh master key. */
  static SoftwareKeyCustody custody(Path dir, AlgorithmSuite storeSuite) {
    byte[] master = new byte[storeSuite == AlgorithmSuite.INTERNATIONAL ? 32 : 16];
    RANDOM.nextBytes(master);
    return SoftwareKeyCustody.open(dir, storeSuite, new SecretKeyBytes(master));
  }

  /** The acquirer's ceremony: both BDKs and the zone PIN key; the BDK labels by BDK id. */
  Map<String, String> loadAcquirer(SoftwareKeyCustody custody) {
    custody.importClear(ACQUIRER_ZONE_PIN, acquirerZoneSuite, KeyUsage.ZONE_PIN, acquirerZonePin);
    Map<String, String> labels = new HashMap<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      String label = "bdk-" + bdkIds.get(suite);
      custody.importClear(label, suite, KeyUsage.DUKPT_BDK, bdks.get(suite));
      labels.put(bdkIds.get(suite), label);
    }
    return labels;
  }

  /** The switch's ceremony: the acquirer's zone PIN key and each issuer's. */
  void loadSwitch(SoftwareKeyCustody custody, PartyId acquirer, List<IssuerNode> issuers,
      Map<PartyId, String> acquirerLabels, Map<PartyId, String> issuerLabels) {
    custody.importClear(ACQUIRER_ZONE_PIN, acquirerZoneSuite, KeyUsage.ZONE_PIN, acquirerZonePin);
    acquirerLabels.put(acquirer, ACQUIRER_ZONE_PIN);
    for (IssuerNode issuer : issuers) {
      String label = ISSUER_ZONE_PIN + "-" + issuer.id.value().toLowerCase(java.util.Locale.ROOT);
      custody.importClear(label, issuer.suite, KeyUsage.ZONE_PIN, issuerZonePin(issuer.id));
      issuerLabels.put(issuer.id, label);
    }
  }

  /** An issuer's ceremony: its zone PIN key with the switch; it generates its PVK itself. */
  void loadIssuer(SoftwareKeyCustody custody, PartyId issuer, AlgorithmSuite suite) {
    custody.importClear(ISSUER_ZONE_PIN, suite, KeyUsage.ZONE_PIN, issuerZonePin(issuer));
    custody.generate(PIN_VERIFICATION, suite, KeyUsage.PIN_VERIFICATION);
  }

  /**
   * The cardholder's PIN selection as the issuer receives it: a format 4 block under the issuer's
   * zone PIN key (a model of the issuer's PIN selection channel, which enciphers at the keypad).
   */
  byte[] selectionBlock(PartyId issuer, AlgorithmSuite suite, Pan pan, String pin) {
    try (PinBlock.ClearPin clear = PinBlock.ClearPin.fromChars(pin.toCharArray())) {
      return PinBlock.encipherFormat4(suite, issuerZonePin(issuer), clear, pan.digits(), RANDOM);
    }
  }

  /** A phone's PIN pad, loaded with its initial DUKPT key from {@code suite}'s BDK (key injection). */
  PhonePinPad pinPad(AlgorithmSuite suite, PhonePinPad.TrustedKeypad keypad) {
    byte[] initialKeyId = Hex.decode(bdkIds.get(suite) + String.format("%08X", ++devices));
    return PhonePinPad.load(suite, Dukpt.initialKey(suite, bdks.get(suite), initialKeyId), initialKeyId, keypad);
  }
}
