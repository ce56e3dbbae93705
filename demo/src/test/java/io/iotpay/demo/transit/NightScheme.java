package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.BANK;
import static io.iotpay.demo.transit.TransitParties.CERTIFICATES_FROM;
import static io.iotpay.demo.transit.TransitParties.CERTIFICATES_UNTIL;
import static io.iotpay.demo.transit.TransitParties.DAY;
import static io.iotpay.demo.transit.TransitParties.METRO;
import static io.iotpay.demo.transit.TransitParties.SWITCH;

import io.iotpay.demo.transit.NightLinks.Role;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.SealedSecrets;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.RiderAccountKind;
import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.journal.JournalLine;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeCa;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitTac;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The set-up step of the separate-process night ({@link NightKillTest}), run once per night like
 * {@code iotpay party init}: a data directory per party ({@code <root>/operator}, {@code switch},
 * {@code issuer}, owner-only), each with its own master key (kept in memory by the caller and handed
 * to the party's process on its stdin, never written to disk). In each directory:
 * {@code custody/keys.sealed}, a {@link SoftwareKeyCustody} holding the party's file-signing key
 * (the switch's also the scheme CA's key); {@code custody/secrets.sealed}, the party's audit-log
 * signing key pair ({@link SealedSecrets}, as {@link PartyKeys} reads it); the public files
 * {@value #CERTIFICATE_FILE} (the party's certificate from the scheme CA), {@value #CA_FILE} (the
 * trust anchor) and {@code audit-public-key.pem}. The issuer also gets its sealed key store
 * ({@code issuer-keys/}), one rider account and one card in its own database; the test keeps the
 * card's AC key in memory to make the card's TACs, as a harness card does (docs/parties.md).
 *
 * @param masters each party's master key
 * @param card the issuer's card, whose taps the night's journals carry
 * @param acKey the card's AC key (EMV option A from the IMK-AC), for its TACs only
 */
record NightScheme(Path root, AlgorithmSuite suite, Map<Role, SecretKeyBytes> masters, IssuedCard card, byte[] acKey) {
  static final String CERTIFICATE_FILE = "party-certificate.der";
  static final String CA_FILE = "scheme-ca.der";
  static final String DATABASE_FILE = "party.db";
  static final String SIGNING_LABEL = "file-signing";
  static final String NIGHT_FILE = "night.properties";
  static final String RIDER_ACCOUNT = "rider.account";
  private static final long RIDER_CREDIT_LIMIT_MINOR = 300_00;
  private static final long QUOTA_AFTER_MINOR = 1000;

  /** Each party's id and role in the scheme. */
  static PartyId id(Role role) {
    return switch (role) {
      case OPERATOR -> METRO;
      case SWITCH -> SWITCH;
      case ISSUER -> BANK;
    };
  }

  static PartyRole pkiRole(Role role) {
    return switch (role) {
      case OPERATOR -> PartyRole.OPERATOR;
      case SWITCH -> PartyRole.SWITCH;
      case ISSUER -> PartyRole.ISSUER;
    };
  }

  static Path dataDir(Path root, Role role) {
    return root.resolve(role.name().toLowerCase(java.util.Locale.ROOT));
  }

  Path dataDir(Role role) {
    return dataDir(root, role);
  }

  /** The master key of {@code role}'s process, in hex, for its environment. */
  String masterHex(Role role) {
    return Hex.encode(masters.get(role).value());
  }

  /** Sets up the scheme under {@code root}: every party's keys, certificates and (the issuer's) card. */
  static NightScheme create(Path root, AlgorithmSuite suite) throws Exception {
    SecureRandom random = new SecureRandom();
    Map<Role, SecretKeyBytes> masters = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      byte[] master = new byte[PartyKeys.masterKeyBytes(suite)];
      random.nextBytes(master);
      masters.put(role, new SecretKeyBytes(master));
      PartyFiles.ownerOnlyDirectory(dataDir(root, role));
    }
    Map<Role, KeyCustody> custodies = new EnumMap<>(Role.class);
    try {
      for (Role role : Role.values()) {
        custodies.put(role, SoftwareKeyCustody.open(dataDir(root, role).resolve(PartyKeys.CUSTODY_DIR), suite,
            masters.get(role)));
      }
      SchemeCa ca = SchemeCa.create(custodies.get(Role.SWITCH), "scheme-ca", suite, CERTIFICATES_FROM, CERTIFICATES_UNTIL);
      Map<Role, KeyPair> auditKeys = new EnumMap<>(Role.class);
      for (Role role : Role.values()) {
        auditKeys.put(role, enrol(dataDir(root, role), ca, custodies.get(role), role, masters.get(role), random));
      }
      return issueCard(root, suite, masters, auditKeys.get(Role.ISSUER), random);
    } finally {
      custodies.values().forEach(KeyCustody::close);
    }
  }

  /** The party's signing key and certificate, the CA certificate, its sealed audit key pair; returns the pair. */
  private static KeyPair enrol(Path dir, SchemeCa ca, KeyCustody custody, Role role, SecretKeyBytes master,
      SecureRandom random) throws CertificateEncodingException {
    FileSigner signer = ca.enrol(custody, SIGNING_LABEL, id(role), pkiRole(role), CERTIFICATES_FROM, CERTIFICATES_UNTIL);
    PartyFiles.writeOwnerOnly(dir.resolve(CERTIFICATE_FILE), signer.certificate().encoded());
    PartyFiles.writeOwnerOnly(dir.resolve(CA_FILE), ca.certificate().getEncoded());
    KeyPair audit = ca.suite().signature().generateKeyPair(random);
    String publicHex = Hex.encode(audit.getPublic().getEncoded());
    SealedSecrets.write(dir.resolve(PartyKeys.CUSTODY_DIR), ca.suite(), master, Map.of(
        AuditSigningKey.PRIVATE, Hex.encode(audit.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII),
        AuditSigningKey.PUBLIC, publicHex.getBytes(StandardCharsets.US_ASCII)), random);
    PartyFiles.writeOwnerOnly(AuditSigningKey.publicKeyFile(dir), AuditSigningKey.publicKeyPem(publicHex));
    return audit;
  }

  /** The issuer's key ceremony, its rider and card, in its own database under its audit key. */
  private static NightScheme issueCard(Path root, AlgorithmSuite suite, Map<Role, SecretKeyBytes> masters,
      KeyPair auditKey, SecureRandom random) throws Exception {
    Map<AlgorithmSuite, IssuerMasterKeys> imks = Map.of(AlgorithmSuite.INTERNATIONAL, TransitParties.masters(random),
        AlgorithmSuite.NATIONAL, TransitParties.masters(random));
    Path dir = dataDir(root, Role.ISSUER);
    try (Database database = Database.open("jdbc:sqlite:" + dir.resolve(DATABASE_FILE), 2);
        AuditLog auditLog = AuditLog.open(database, AuditLogConfig.of(suite, auditKey));
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), java.time.Clock.systemUTC(), auditLog);
        Issuer issuer = new Issuer(TransitParties.issuerConfig(), dir.resolve("issuer-keys"), imks,
            masters.get(Role.ISSUER), database, ledger)) {
      long account = issuer.openRiderAccount(1, RiderAccountKind.CREDIT, RIDER_CREDIT_LIMIT_MINOR);
      IssuedCard card = issuer.issueCard(suite, account);
      PartyFiles.writeOwnerOnly(dir.resolve(NIGHT_FILE), RIDER_ACCOUNT + "=" + account + "\n");
      byte[] acKey = EmvKeyDerivation.cardMasterKey(suite, imks.get(suite).imkAc(), card.pan().digits(),
          String.format("%02d", card.panSequence())).value();
      return new NightScheme(root, suite, masters, card, acKey);
    }
  }

  /**
   * A tap-out of the scheme's card at {@code terminal} with the card's own TAC over the TC's
   * cryptogram input (docs/card-apdus.md §6: the fare, CNY, the acceptor, the ATC, CID 40, the quota
   * after, journey state exit): a record the issuer clears and debits.
   */
  TransitRecord genuineExit(String terminal, long sequence, int atc, long fareMinor) {
    byte[] input = new byte[TransitTac.Input.BYTES];
    put(input, TransitTac.Input.AMOUNT, Bcd.encodeAmount(fareMinor));
    put(input, TransitTac.Input.CURRENCY, Bcd.encode(CurrencyUnit.CNY.numericCode(), 4));
    put(input, TransitTac.Input.TERMINAL_ID, TransitTac.Input.acceptor(terminal, METRO));
    put(input, TransitTac.Input.ATC, new byte[] {(byte) (atc >>> 8), (byte) atc});
    input[TransitTac.Input.CID] = 0x40;
    put(input, TransitTac.Input.QUOTA_AFTER, Bcd.encodeAmount(QUOTA_AFTER_MINOR));
    input[TransitTac.Input.CAPP] = 0x02;
    return new TransitRecord(new RecordId(terminal, sequence), METRO, "ST02", TransitKind.EXIT, card.pan(),
        card.panSequence(), suite, atc, Money.ofMinor(fareMinor, CurrencyUnit.CNY), QUOTA_AFTER_MINOR,
        DAY.atTime(9, 0).toInstant(ZoneOffset.UTC), DAY, input, TransitTac.tac(suite, acKey, atc, input), false);
  }

  private static void put(byte[] input, int at, byte[] field) {
    System.arraycopy(field, 0, input, at, field.length);
  }

  /** Writes a gate's journal ({@link JournalLine}s, one a line) into the operator's data directory. */
  Path writeJournal(String name, List<TransitRecord> records) {
    Path file = dataDir(Role.OPERATOR).resolve(name);
    PartyFiles.writeOwnerOnly(file, records.stream().map(r -> JournalLine.encode(r) + "\n").collect(Collectors.joining()));
    return file;
  }

  static Pan unknownPan(String digits) {
    return Pan.withCheckDigit(TransitParties.RANGE + digits);
  }
}
