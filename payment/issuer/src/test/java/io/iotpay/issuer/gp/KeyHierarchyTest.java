package io.iotpay.issuer.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.BlockCipherAlgorithm;
import io.iotpay.foundation.crypto.KeyDiversification;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.Scp03;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17 item 2 in jCardSim, both suites: the ISD (root keys) creates the wallet provider's SSD
 * and gives it keys; the SSD rotates them, installs and personalises the wallet. Each level's key
 * does its own job and no other.
 */
class KeyHierarchyTest {
  private static final byte[] ISD_AID = hex("A000000151000000");
  private static final byte[] SSD_AID = hex("A00000015153504101");
  private static final byte[] OTHER_SSD_AID = hex("A00000015153504102");
  private static final byte[] WALLET_AID = hex("F0494F54504159574C");
  private static final byte[] OTHER_WALLET_AID = hex("F0494F54504159574D");
  private static final byte[] KDD = hex("00010203040506070809");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The secure channels the security domains run: SCP03 with AES, its SM4 analogue, SCP02 with 3DES. */
  enum Channel {
    SCP03_AES(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP03, BlockCipherAlgorithm.AES),
    SCP03_SM4(AlgorithmSuite.NATIONAL, PutKey.Protocol.SCP03, BlockCipherAlgorithm.SM4),
    SCP02_3DES(AlgorithmSuite.INTERNATIONAL, PutKey.Protocol.SCP02, BlockCipherAlgorithm.TDES);

    final AlgorithmSuite suite;
    final PutKey.Protocol protocol;
    final BlockCipherAlgorithm cipher;

    Channel(AlgorithmSuite suite, PutKey.Protocol protocol, BlockCipherAlgorithm cipher) {
      this.suite = suite;
      this.protocol = protocol;
      this.cipher = cipher;
    }

    byte scpByte() {
      return (byte) (protocol == PutKey.Protocol.SCP02 ? 0x02 : 0x03);
    }

    GpSession open(CardChannel card, byte[] aid, Scp03.StaticKeys keys, int version) {
      return protocol == PutKey.Protocol.SCP02 ? Scp02Session.open(card, aid, suite, keys, version)
          : Scp03Host.open(card, aid, suite, keys, version);
    }
  }

  /** One card with its ISD, and the key sets the test plays with. */
  private static final class Card {
    final Channel channel;
    final AlgorithmSuite suite;
    final KeyHierarchy hierarchy;
    final Scp03.StaticKeys isdKeys;
    final Scp03.StaticKeys ssdIssuerKeys = randomKeys();
    final Scp03.StaticKeys ssdProviderKeys = randomKeys();
    final OpenModel card;

    Card(Channel channel) {
      this(channel, randomKeys());
    }

    /** A card whose ISD was given {@code isdKeys} at manufacture. */
    Card(Channel channel, Scp03.StaticKeys isdKeys) {
      this.channel = channel;
      this.suite = channel.suite;
      this.isdKeys = isdKeys;
      hierarchy = new KeyHierarchy(suite);
      ByteBuffer isdData = ByteBuffer.allocate(62).put((byte) 0x01).put(hierarchy.suiteByte()).put(channel.scpByte())
          .put((byte) 0x01)
          .put(isdKeys.enc().value()).put(isdKeys.mac().value()).put(isdKeys.dek().value()).put(KDD);
      card = new OpenModel(ISD_AID, isdData.array());
    }

    GpSession isd() {
      return channel.open(card, ISD_AID, isdKeys, 1);
    }

    GpSession ssd(Scp03.StaticKeys keys, int version) {
      return channel.open(card, SSD_AID, keys, version);
    }

    /** ISD creates the SSD with the issuer's first keys (v1); the provider rotates them to its own (v2). */
    void createProviderDomain() {
      GpSession isd = isd();
      hierarchy.createDomain(isd, SSD_AID, channel.protocol, KDD);
      hierarchy.giveDomainKeys(isd, SSD_AID, 1, ssdIssuerKeys);
      hierarchy.rotateKeys(ssd(ssdIssuerKeys, 1), 1, 2, ssdProviderKeys);
    }

    void installWallet(GpSession domain, byte[] aid) {
      byte[] data = ByteBuffer.allocate(25).put(hierarchy.suiteByte()).put(hex("6200000000000042"))
          .putShort((short) 156).putInt(50_00).putInt(500_00).putInt(0).put((byte) 5).put((byte) 2).array();
      hierarchy.installWallet(domain, aid, data);
    }

    /** The wallet's application keys and certificate, as the provider's STORE DATA values. */
    List<KeyHierarchy.StoreDataBlock> walletPersonalisation(byte[] aid) {
      ResponseApdu key = card.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256));
      assertThat(key.sw()).isEqualTo(0x9000);
      byte[] cardKey = card.transmit(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256)).data();
      KeyPair issuer = suite.signature().generateKeyPair(RANDOM);
      KeyPair scheme = suite.signature().generateKeyPair(RANDOM);
      byte[] body = ByteBuffer.allocate(75).put((byte) 0x02).put(hierarchy.suiteByte()).put(hex("6200000000000042"))
          .put(cardKey).array();
      byte[] signature = suite.signature().sign(issuer.getPrivate(), body);
      byte[] certificate = ByteBuffer.allocate(body.length + signature.length).put(body).put(signature).array();
      byte[] tacKey = new byte[16]; // the card's TAC key, derived by the issuer (any 16 bytes for the hierarchy)
      RANDOM.nextBytes(tacKey);
      return List.of(new KeyHierarchy.StoreDataBlock(0x01, certificate),
          new KeyHierarchy.StoreDataBlock(0x02, point(scheme)), new KeyHierarchy.StoreDataBlock(0x03, point(issuer)),
          new KeyHierarchy.StoreDataBlock(0x04, tacKey));
    }

    ResponseApdu send(byte[] aid, CommandApdu command) {
      card.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256));
      return card.transmit(command);
    }
  }

  private static Scp03.StaticKeys randomKeys() {
    return new Scp03.StaticKeys(random16(), random16(), random16());
  }

  private static SecretKeyBytes random16() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  private static byte[] point(KeyPair pair) {
    return ((org.bouncycastle.jce.interfaces.ECPublicKey) pair.getPublic()).getQ().getEncoded(false);
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  private static CommandApdu initializePurchase() {
    byte[] challenge = new byte[16];
    RANDOM.nextBytes(challenge);
    return new CommandApdu(0x80, 0x50, 0, 0, challenge, 256);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void hierarchy_issuerCreatesSsd_providerInstallsAndPersonalisesWallet_walletPurchases(Channel channel) {
    Card card = new Card(channel);
    AlgorithmSuite suite = channel.suite;
    card.createProviderDomain();
    GpSession ssd = card.ssd(card.ssdProviderKeys, 2);
    card.installWallet(ssd, WALLET_AID);
    List<KeyHierarchy.StoreDataBlock> blocks = card.walletPersonalisation(WALLET_AID);

    assertThat(card.send(WALLET_AID, initializePurchase()).sw()).as("not yet personalised").isEqualTo(0x6986);
    card.hierarchy.personalise(card.ssd(card.ssdProviderKeys, 2), WALLET_AID, blocks);

    assertThat(card.send(WALLET_AID, initializePurchase()).sw()).isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void walletItself_refusesPlainStoreDataAndInstall(Channel channel) {
    Card card = new Card(channel);
    AlgorithmSuite suite = channel.suite;
    card.createProviderDomain();
    card.installWallet(card.ssd(card.ssdProviderKeys, 2), WALLET_AID);
    List<KeyHierarchy.StoreDataBlock> blocks = card.walletPersonalisation(WALLET_AID);

    assertThat(card.send(WALLET_AID, GpCommands.storeData(false, 0x01, blocks.get(0).value())).sw())
        .as("STORE DATA straight to the wallet, no domain").isEqualTo(0x6982);
    CommandApdu install = GpCommands.installForInstall(GpCommands.WALLET_LOAD_FILE, OTHER_WALLET_AID,
        OTHER_WALLET_AID, 0, new byte[25]);
    assertThat(card.send(WALLET_AID, install).sw()).as("the application cannot install").isEqualTo(0x6D00);
    assertThat(card.card.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, OTHER_WALLET_AID, 256)).sw())
        .as("nothing was installed").isNotEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void ssd_cannotCreateDomainsNorTouchAnotherDomainsApplications(Channel channel) {
    Card card = new Card(channel);
    AlgorithmSuite suite = channel.suite;
    card.createProviderDomain();
    GpSession isd = card.isd();
    card.hierarchy.createDomain(isd, OTHER_SSD_AID, channel.protocol, KDD);
    card.installWallet(isd, OTHER_WALLET_AID);

    GpSession ssd = card.ssd(card.ssdProviderKeys, 2);
    assertRefused(() -> card.hierarchy.createDomain(ssd, hex("A00000015153504103"), channel.protocol, KDD), 0x6985);
    GpSession ssd2 = card.ssd(card.ssdProviderKeys, 2);
    assertRefused(() -> ssd2.send(GpCommands.installForPersonalization(OTHER_SSD_AID), "perso"), 0x6A88);
    assertRefused(() -> ssd2.send(GpCommands.installForPersonalization(ISD_AID), "perso"), 0x6A88);
    assertRefused(() -> ssd2.send(GpCommands.installForPersonalization(OTHER_WALLET_AID), "perso"), 0x6A88);
    assertThatThrownBy(() -> channel.open(card.card, ISD_AID, card.ssdProviderKeys, 1))
        .as("the SSD's keys do not open the ISD").isInstanceOf(GpRefusedException.class)
        .hasMessageContaining("card cryptogram is wrong");
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void isd_cannotPersonaliseTheProvidersWallet(Channel channel) {
    Card card = new Card(channel);
    AlgorithmSuite suite = channel.suite;
    card.createProviderDomain();
    card.installWallet(card.ssd(card.ssdProviderKeys, 2), WALLET_AID);

    assertRefused(() -> card.isd().send(GpCommands.installForPersonalization(WALLET_AID), "perso"), 0x6A88);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void rotatedKey_stopsWorking(Channel channel) {
    Card card = new Card(channel);
    AlgorithmSuite suite = channel.suite;
    card.createProviderDomain();

    assertRefused(() -> card.ssd(card.ssdIssuerKeys, 1), 0x6A88);
    assertThatThrownBy(() -> card.ssd(card.ssdIssuerKeys, 0)).isInstanceOf(GpRefusedException.class)
        .hasMessageContaining("card cryptogram is wrong");
    Scp03.StaticKeys third = randomKeys();
    card.hierarchy.rotateKeys(card.ssd(card.ssdProviderKeys, 2), 2, 3, third);
    assertRefused(() -> card.ssd(card.ssdProviderKeys, 2), 0x6A88);
    card.installWallet(card.ssd(third, 3), WALLET_AID);
  }

  @ParameterizedTest
  @EnumSource(value = Channel.class, names = {"SCP03_AES", "SCP03_SM4"})
  void wrongHostCryptogram_refusedWith6300(Channel channel) {
    Card card = new Card(channel);
    AlgorithmSuite suite = channel.suite;
    OpenModel raw = card.card;
    byte[] hostChallenge = new byte[8];
    raw.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, ISD_AID, 256));
    byte[] r = raw.transmit(new CommandApdu(0x80, 0x50, 0, 0, hostChallenge, 256)).data();
    byte[] cardChallenge = java.util.Arrays.copyOfRange(r, 13, 21);
    Scp03.SessionKeys keys = Scp03.sessionKeys(suite, card.isdKeys, hostChallenge, cardChallenge);
    byte[] cryptogram = Scp03.hostCryptogram(suite, keys.sMac(), hostChallenge, cardChallenge);
    cryptogram[0] ^= 1;
    Scp03.Session forged = new Scp03.Session(suite, keys, Scp03.SecurityLevel.C_MAC);

    assertThat(raw.transmit(CommandApdu.parse(forged.externalAuthenticate(cryptogram))).sw()).isEqualTo(0x6300);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void wrongCMac_refused_sessionClosed_nothingInstalled(Channel channel) {
    Card card = new Card(channel);
    GpSession isd = card.isd();
    CommandApdu install = GpCommands.installForInstall(GpCommands.DOMAIN_LOAD_FILE, GpCommands.DOMAIN_MODULE,
        SSD_AID, 0x80, new byte[13]);

    ResponseApdu altered = card.card.transmit(alterLastByte(isd.wrap(install)));

    assertThat(altered.sw()).as("wrong C-MAC").isEqualTo(0x6988);
    assertRefused(() -> isd.send(GpCommands.installForPersonalization(SSD_AID), "after a MAC failure"), 0x6982);
    assertThat(card.card.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, SSD_AID, 256)).sw())
        .as("nothing installed").isNotEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void putKey_cardKcvsMatchPublishedAndHost_andAlteredKcvRefused(Channel channel) {
    SecretKeyBytes key = new SecretKeyBytes(hex("404142434445464748494A4B4C4D4E4F"));
    Scp03.StaticKeys rotated = new Scp03.StaticKeys(key, key, key);
    Card card = new Card(channel);

    List<byte[]> kcvs = card.hierarchy.rotateKeys(card.isd(), 1, 2, rotated);

    for (byte[] kcv : kcvs) {
      assertThat(kcv).isEqualTo(KeyDiversification.keyCheckValue(channel.cipher, key));
    }
    // GlobalPlatformPro TestPlaintextKeys, vectors only: the AES KCV of 40..4F is 504A77
    // (testSessionKeys_SCP03) and its 3DES KCV 8BAF47 (testKeyEncryption_SCP02).
    switch (channel) {
      case SCP03_AES -> assertThat(kcvs.get(0)).isEqualTo(hex("504A77"));
      case SCP02_3DES -> assertThat(kcvs.get(0)).isEqualTo(hex("8BAF47"));
      case SCP03_SM4 -> assertThat(kcvs.get(0)).hasSize(3);
    }
    assertRefused(() -> card.isd(), 0x6A88);
    GpSession again = channel.open(card.card, ISD_AID, rotated, 2);
    byte[] data = GpCommands.putKey(channel.suite, channel.protocol, again.keyEncryptionKey(), 2, 3, randomKeys())
        .data();
    data[data.length - 1] ^= 1;
    assertRefused(() -> again.send(new CommandApdu(0x80, 0xD8, 2, 0x81, data, 256), "altered KCV"), 0x6A80);
    channel.open(card.card, ISD_AID, rotated, 2);
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void malformedInstallOrPutKey_refused_nothingChanged(Channel channel) {
    Card card = new Card(channel);
    GpSession isd = card.isd();
    CommandApdu install = GpCommands.installForInstall(GpCommands.DOMAIN_LOAD_FILE, GpCommands.DOMAIN_MODULE,
        SSD_AID, 0x80, new byte[13]);
    byte[] data = install.data();
    data[0] = (byte) 0xF0; // the load file AID's length runs past the data
    assertRefused(() -> isd.send(new CommandApdu(0x80, 0xE6, 0x0C, 0x00, data, 0), "INSTALL"), 0x6A80);
    GpSession again = card.isd();
    byte[] putKey = GpCommands.putKey(channel.suite, channel.protocol, again.keyEncryptionKey(), 1, 2, randomKeys())
        .data();
    byte[] shortened = java.util.Arrays.copyOf(putKey, putKey.length - 1);
    assertRefused(() -> again.send(new CommandApdu(0x80, 0xD8, 1, 0x81, shortened, 256), "PUT KEY"), 0x6700);

    assertThat(card.card.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, SSD_AID, 256)).sw()).isNotEqualTo(0x9000);
    card.isd();
  }

  @ParameterizedTest
  @EnumSource(KeyDiversification.Method.class)
  void isdKeys_diversifiedFromIssuerMasterKey_matchGpProKcvs_andBuildTheHierarchy(KeyDiversification.Method method) {
    // GlobalPlatformPro TestPlaintextKeys (testDiversification_EMV_SCP02, _VISA2_SCP02), vectors only:
    // master key 40..4F, KDD 00..09, 3DES KCVs of the diversified ENC, MAC and DEK.
    SecretKeyBytes kmc = new SecretKeyBytes(hex("404142434445464748494A4B4C4D4E4F"));
    List<String> published = method == KeyDiversification.Method.EMV ? List.of("C33013", "6F4CA6", "BB8179")
        : List.of("2BE598", "58DA38", "3C328E");
    KeyDiversification.CardKeys factory = KeyDiversification.diversifyAll(AlgorithmSuite.INTERNATIONAL, method, kmc, KDD);
    Card card = new Card(Channel.SCP02_3DES, new Scp03.StaticKeys(factory.enc(), factory.mac(), factory.dek()));

    GpSession isd = Scp02Session.openWithMasterKey(card.card, ISD_AID, AlgorithmSuite.INTERNATIONAL, method, kmc, 1);
    card.hierarchy.createDomain(isd, SSD_AID, PutKey.Protocol.SCP02, KDD);
    card.hierarchy.giveDomainKeys(isd, SSD_AID, 1, card.ssdIssuerKeys);

    List<SecretKeyBytes> keys = List.of(factory.enc(), factory.mac(), factory.dek());
    for (int i = 0; i < 3; i++) {
      assertThat(HexFormat.of().withUpperCase().formatHex(
          KeyDiversification.keyCheckValue(BlockCipherAlgorithm.TDES, keys.get(i)))).isEqualTo(published.get(i));
    }
    card.installWallet(card.ssd(card.ssdIssuerKeys, 1), WALLET_AID);
    SecretKeyBytes otherKmc = new SecretKeyBytes(hex("424142434445464748494A4B4C4D4E4F") /* not a parity bit */);
    assertThatThrownBy(() -> Scp02Session.openWithMasterKey(card.card, ISD_AID, AlgorithmSuite.INTERNATIONAL, method,
        otherKmc, 1)).isInstanceOf(GpRefusedException.class).hasMessageContaining("card cryptogram is wrong");
  }

  /**
   * Every command of a key rotation (SELECT, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, PUT KEY) ×
   * lose command / lose response / pull card: afterwards exactly one key set opens the domain, the
   * new one only if the card executed PUT KEY. (A power loss inside PUT KEY is the card's
   * transaction's; jCardSim cannot cut power inside an APDU.)
   */
  @ParameterizedTest
  @EnumSource(Channel.class)
  void rotationTorn_atEveryCommand_exactlyOneKeySetOpens(Channel channel) {
    int rotationCommands = 4;
    for (int n = 1; n <= rotationCommands; n++) {
      for (FaultyCardChannel.Fault fault : FaultyCardChannel.Fault.values()) {
        Card card = new Card(channel);
        Scp03.StaticKeys next = randomKeys();
        FaultyCardChannel faulty = new FaultyCardChannel(card.card, n, fault);
        assertThatThrownBy(() -> card.hierarchy.rotateKeys(channel.open(faulty, ISD_AID, card.isdKeys, 1), 1, 2, next))
            .isInstanceOf(CardGoneException.class);

        boolean executed = n == rotationCommands && fault == FaultyCardChannel.Fault.LOSE_RESPONSE;
        String step = "command " + n + ", " + fault;
        assertThat(opens(channel, card, card.isdKeys, 1)).as(step + ": old keys").isEqualTo(!executed);
        assertThat(opens(channel, card, next, 2)).as(step + ": new keys").isEqualTo(executed);
      }
    }
  }

  private static boolean opens(Channel channel, Card card, Scp03.StaticKeys keys, int version) {
    try {
      channel.open(card.card, ISD_AID, keys, version);
      return true;
    } catch (GpRefusedException refused) {
      return false;
    }
  }

  private static CommandApdu alterLastByte(CommandApdu command) {
    byte[] data = command.data();
    data[data.length - 1] ^= 1;
    return new CommandApdu(command.cla(), command.ins(), command.p1(), command.p2(), data, command.ne());
  }

  private static void assertRefused(Runnable step, int sw) {
    assertThatThrownBy(step::run).isInstanceOf(GpRefusedException.class)
        .satisfies(e -> assertThat(((GpRefusedException) e).sw()).isEqualTo(sw));
  }
}
