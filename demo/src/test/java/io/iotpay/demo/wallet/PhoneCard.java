package io.iotpay.demo.wallet;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.card.se.QrTokenApplet;
import io.iotpay.card.se.SeApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.Scp03;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.issuer.gp.GpSession;
import io.iotpay.issuer.gp.KeyHierarchy;
import io.iotpay.issuer.gp.OpenModel;
import io.iotpay.issuer.gp.Scp03Host;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.phone.wallet.NfcController;
import io.iotpay.phone.wallet.WalletAppView;
import io.iotpay.terminal.wallet.WalletApdus;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * A phone as a wallet card (test fixture): its secure element is one jCardSim chip under the GP
 * runtime model ({@link OpenModel}) whose ISD was given keys at manufacture; the issuer creates the
 * wallet provider's SSD and hands it its first keys, the provider rotates them to its own, installs
 * the wallet ({@code GpWalletApplet}) through the SSD and personalises it through the SSD's secure
 * channel with the same values a plastic card gets ({@link WalletIssuance#walletPersonalisation}).
 * The SE also holds the QR token applet and the acquiring SDK's terminal key applet, put there by
 * the phone's maker (preloaded, outside the hierarchy). The NFC controller routes only the wallet
 * AID to the SE, with the screen unlocked; the phone's wallet app reads the SE over its contact side.
 */
final class PhoneCard {
  static final byte[] ISD_AID = Hex.decode("A000000151000000");
  static final byte[] SSD_AID = Hex.decode("A00000015153504101");
  private static final byte[] KDD = Hex.decode("00010203040506070809");
  private static final SecureRandom RANDOM = new SecureRandom();

  final OpenModel se;
  final NfcController nfc;
  final WalletAppView app;
  final WalletNetwork.Cardholder holder;

  private PhoneCard(OpenModel se, NfcController nfc, WalletNetwork.Cardholder holder) {
    this.se = se;
    this.nfc = nfc;
    this.app = new WalletAppView(se);
    this.holder = holder;
  }

  /** A phone whose SE gets a wallet of {@code suite} through ISD → SSD → wallet, enrolled at the issuer. */
  static PhoneCard issue(WalletNetwork network, AlgorithmSuite suite, byte[] cardId, WalletIssuance.Limits limits,
      long fundedMinor) {
    KeyHierarchy hierarchy = new KeyHierarchy(suite);
    Scp03.StaticKeys isdKeys = randomKeys();
    byte[] isdData = ByteBuffer.allocate(62).put((byte) 0x01).put(hierarchy.suiteByte()).put((byte) 0x03)
        .put((byte) 0x01).put(isdKeys.enc().value()).put(isdKeys.mac().value()).put(isdKeys.dek().value()).put(KDD)
        .array();
    OpenModel se = new OpenModel(ISD_AID, isdData);
    byte suiteByte = (byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2);
    se.preload(SecureElement.AID, SeApplet.class, new byte[] {suiteByte});
    byte[] tokenKey = new byte[17];
    tokenKey[0] = suiteByte;
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    System.arraycopy(key, 0, tokenKey, 1, 16);
    se.preload(IssuerApp.TOKEN_APPLET_AID, QrTokenApplet.class, tokenKey);

    GpSession isd = Scp03Host.open(se, ISD_AID, suite, isdKeys, 1);
    hierarchy.createDomain(isd, SSD_AID, PutKey.Protocol.SCP03, KDD);
    Scp03.StaticKeys issuerFirst = randomKeys();
    hierarchy.giveDomainKeys(isd, SSD_AID, 1, issuerFirst);
    Scp03.StaticKeys provider = randomKeys();
    hierarchy.rotateKeys(Scp03Host.open(se, SSD_AID, suite, issuerFirst, 1), 1, 2, provider);

    WalletIssuance issuance = network.issuance(suite);
    GpSession ssd = Scp03Host.open(se, SSD_AID, suite, provider, 2);
    hierarchy.installWallet(ssd, WalletApdus.WALLET_AID, issuance.walletInstallData(cardId, limits));
    ok(se, WalletApdus.select(WalletApdus.WALLET_AID));
    byte[] cardKey = ok(se, new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    hierarchy.personalise(Scp03Host.open(se, SSD_AID, suite, provider, 2), WalletApdus.WALLET_AID,
        issuance.walletPersonalisation(cardId, cardKey, issuance.issuerKeys()));
    NfcController nfc = new NfcController(se);
    nfc.route(WalletApdus.WALLET_AID, true);
    nfc.screenUnlocked(true);
    return new PhoneCard(se, nfc, network.enrolCard(suite, cardId, cardKey, null, nfc::field, fundedMinor));
  }

  /** A reader comes into the phone's field: the POS's channel to the phone, as to a card. */
  CardChannel tap() {
    return nfc.field();
  }

  private static byte[] ok(CardChannel channel, CommandApdu command) {
    ResponseApdu r = channel.transmit(command);
    if (!r.isOk()) {
      throw new IllegalStateException("the SE answered " + Integer.toHexString(r.sw()) + " to " + command);
    }
    return r.data();
  }

  private static Scp03.StaticKeys randomKeys() {
    return new Scp03.StaticKeys(random16(), random16(), random16());
  }

  private static SecretKeyBytes random16() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }
}
