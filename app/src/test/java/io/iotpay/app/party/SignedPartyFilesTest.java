package io.iotpay.app.party;

import static io.iotpay.app.party.SchemeProcessesTest.await;
import static io.iotpay.app.party.SchemeProcessesTest.carry;
import static io.iotpay.app.party.SchemeProcessesTest.carrySigned;
import static io.iotpay.app.party.SchemeProcessesTest.count;
import static io.iotpay.app.party.SchemeProcessesTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.party.PartyConfigException;
import io.iotpay.protocol.party.PartyFileTrust;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyCertificate;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SignedFileVerifier;
import io.iotpay.switching.party.SwitchParty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The party processes' signed clearing files, wired in one JVM (docs/parties.md, "Signed clearing files"):
 * what {@code party init} writes (the scheme CA in the switch's custody, each party's file-signing key in
 * its own custody and its certificate), and each party's inbox taking a file only with its sender's valid
 * signature. Each case runs with the scheme CA under both suites.
 */
class SignedPartyFilesTest {
  @TempDir Path dir;

  /** Issuers of both suites, the scheme CA (the switch's suite) under {@code scheme}. */
  private static SchemeSetup.Written scheme(Path dir, AlgorithmSuite scheme, int issuers) throws Exception {
    AlgorithmSuite other = scheme == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    return SchemeSetup.init(dir, new SchemeSetup.Options(issuers, 1, 2, List.of(scheme, other), 0, 100_000, 50_000,
        100_000, 10_000_000, 300, 5_000, 1_000, 1, null), new SecureRandom());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void initMakesTheSchemeCaOnce_andCertifiesEveryPartysSigningKeyHeldInItsOwnCustody(AlgorithmSuite suite) throws Exception {
    Path root = dir.resolve("scheme");
    SchemeSetup.Written scheme = scheme(root, suite, 2);
    byte[] caPem = Files.readAllBytes(scheme.switchDir().resolve(PartyFileTrust.CA_CERTIFICATE_FILE));
    X509Certificate ca = Pem.readCertificate(new String(caPem, StandardCharsets.US_ASCII));
    try (KeyCustody switchCustody = custody(scheme.switchDir(), suite)) {
      assertThat(switchCustody.publicKey(switchCustody.current(PartyFileTrust.CA_LABEL)).getEncoded())
          .isEqualTo(ca.getPublicKey().getEncoded());
    }
    List<Object[]> parties = new ArrayList<>();
    parties.add(new Object[] {scheme.switchDir(), "SWITCH", PartyRole.SWITCH, suite});
    parties.add(new Object[] {scheme.acquirerDirs().get(0), "ACQ1", PartyRole.OPERATOR, suite});
    parties.add(new Object[] {scheme.issuerDirs().get(0), "ISS1", PartyRole.ISSUER, suite});
    parties.add(new Object[] {scheme.issuerDirs().get(1), "ISS2", PartyRole.ISSUER,
        suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL});
    for (Object[] p : parties) {
      Path partyDir = (Path) p[0];
      AlgorithmSuite storeSuite = (AlgorithmSuite) p[3];
      // the same CA certificate in every directory
      assertThat(Files.readAllBytes(partyDir.resolve(PartyFileTrust.CA_CERTIFICATE_FILE))).as("%s", p[1]).isEqualTo(caPem);
      X509Certificate leaf = Pem.readCertificate(Files.readString(partyDir.resolve(PartyFileTrust.CERTIFICATE_FILE)));
      Certificates.check(suite, leaf, ca, Instant.now()); // issued by the CA, in the scheme's suite, valid now
      PartyCertificate certificate = PartyCertificate.of(leaf, suite);
      assertThat(certificate.party()).isEqualTo(PartyId.of((String) p[1]));
      assertThat(certificate.role()).isEqualTo(p[2]);
      try (KeyCustody custody = custody(partyDir, storeSuite)) {
        // the certified key is the custody's, sealed under the party's master key; the party opens it as its trust
        assertThat(custody.current(PartyFileTrust.SIGNING_LABEL).suite()).isEqualTo(suite);
        assertThat(custody.publicKey(custody.current(PartyFileTrust.SIGNING_LABEL)).getEncoded())
            .isEqualTo(leaf.getPublicKey().getEncoded());
        FileTrust trust = PartyFileTrust.open(partyDir, custody, PartyId.of((String) p[1]), (PartyRole) p[2]);
        assertThat(trust.signer().certificate().party()).isEqualTo(PartyId.of((String) p[1]));
        // and only as itself: another party's id or role is refused
        assertThatThrownBy(() -> PartyFileTrust.open(partyDir, custody, PartyId.of("ISS9"), (PartyRole) p[2]))
            .isInstanceOf(PartyConfigException.class).hasMessageContaining("certifies");
      }
      // no clear private key in any file of the directory (the merchant registry's own keys aside, docs/parties.md)
      try (var files = Files.walk(partyDir)) {
        for (Path f : files.filter(Files::isRegularFile)
            .filter(f -> !f.startsWith(partyDir.resolve(AcquirerParty.REGISTRY_KEYS_DIR))).toList()) {
          assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("%s", f).doesNotContain("PRIVATE KEY");
        }
      }
    }
    // party init on the same directory does not make a second CA: refused, the CA unchanged
    assertThatThrownBy(() -> scheme(root, suite, 2)).isInstanceOf(PartyConfigException.class)
        .hasMessageContaining("already holds a scheme");
    // nor does the CA step itself, on a switch directory that has its CA
    try (KeyCustody switchCustody = custody(scheme.switchDir(), suite)) {
      assertThatThrownBy(() -> PartyFileTrust.createCa(switchCustody, scheme.switchDir(), suite,
          PartyFileTrust.Validity.from(java.time.Clock.systemUTC()))).isInstanceOf(PartyConfigException.class)
          .hasMessageContaining("made once");
      assertThat(switchCustody.list().stream().filter(k -> k.ref().label().equals(PartyFileTrust.CA_LABEL))).hasSize(1);
    }
    assertThat(Files.readAllBytes(scheme.switchDir().resolve(PartyFileTrust.CA_CERTIFICATE_FILE))).isEqualTo(caPem);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void eachInboxTakesAFileOnlyWithItsSendersSignature_andRefusesForgedUnsignedResignedAndReplayedOnes(AlgorithmSuite suite)
      throws Exception {
    SchemeSetup.Written scheme = scheme(dir.resolve("scheme"), suite, 1);
    Path acqDir = scheme.acquirerDirs().get(0);
    Path issDir = scheme.issuerDirs().get(0);
    Path switchDb = scheme.switchDir().resolve(SwitchParty.DATABASE_FILE);
    Path issuerDb = issDir.resolve(IssuerParty.DATABASE_FILE);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Logger issuerLogger = Logger.getLogger(IssuerParty.class.getName());
    List<String> issuerLog = new CopyOnWriteArrayList<>();
    Handler capture = capture(issuerLogger, issuerLog);
    // ISS1's own signer, opened by the test from its custody: "another party" re-signing the others' files
    try (KeyCustody issCustody = custody(issDir, suite);
        IssuerParty issuer = IssuerParty.start(issDir, IssuerParty.Options.none());
        SwitchParty switching = SwitchParty.start(scheme.switchDir(), new SwitchParty.Options(null, null, Map.of()));
        AcquirerParty acquirer = AcquirerParty.start(acqDir, AcquirerParty.Options.none());
        TestTerminal terminal = new TestTerminal(SchemeSetup.terminalLink(acqDir))) {
      FileSigner iss1 = PartyFileTrust.open(issDir, issCustody, PartyId.of("ISS1"), PartyRole.ISSUER).signer();
      assertThat(terminal.tap(SchemeSetup.cards(scheme.cardsFile().getParent()).get(0), 1_250).approved()).isTrue();

      // ACQ1's day end: its presentment file, signed, verifies at the switch as ACQ1's
      PartyInbox.writeDayEnd(acqDir, today);
      Path file = SchemeProcessesTest.awaitFile(PartyInbox.out(acqDir).resolve("presentment-ACQ1-" + today + "-1.txt"));
      assertThat(verifier(scheme.switchDir(), suite, "SWITCH").verify(file, FileKind.PRESENTMENT, AcceptedFiles.NONE)
          .signer().party()).isEqualTo(PartyId.of("ACQ1"));
      String name = file.getFileName().toString();

      // at the switch: forged, unsigned, re-signed by ISS1 → refused with the reason, nothing recorded
      Path switchIn = PartyInbox.in(scheme.switchDir());
      dropForged(file, switchIn, "forged-" + name);
      carry(file, switchIn, "unsigned-" + name);
      dropResigned(file, switchIn, "resigned-" + name, iss1, FileKind.PRESENTMENT);
      for (String refused : List.of("forged-", "unsigned-", "resigned-")) {
        awaitIn(switchIn.resolve(PartyInbox.REFUSED), refused + name);
      }
      assertThat(rows(switchDb, "SELECT file_name || ' ' || signer || ' ' || outcome || ' ' || reason FROM online_file_event"
          + " WHERE outcome = 'REFUSED' ORDER BY file_name")).satisfiesExactly(
              r -> assertThat(r).startsWith("forged-" + name + " not verified REFUSED SIGNATURE: FORGED"),
              r -> assertThat(r).startsWith("resigned-" + name + " not verified REFUSED SIGNATURE: WRONG_SENDER"),
              r -> assertThat(r).startsWith("unsigned-" + name + " not verified REFUSED SIGNATURE: UNSIGNED"));
      assertThat(count(switchDb, "SELECT COUNT(*) FROM online_clearing_file")).isZero();
      assertThat(count(switchDb, "SELECT COUNT(*) FROM online_presentment")).isZero();
      // the genuine file is taken, its replay answered REPLAYED and recording nothing more
      carrySigned(file, switchIn, name);
      awaitIn(switchIn.resolve(PartyInbox.DONE), name);
      assertThat(switchIn.resolve(PartyInbox.DONE).resolve(name + ".sig")).exists();
      carrySigned(file, switchIn, "copy-" + name);
      awaitIn(switchIn.resolve(PartyInbox.DONE), "copy-" + name);
      assertThat(rows(switchDb, "SELECT file_name || ' ' || signer || ' ' || outcome FROM online_file_event"
          + " WHERE direction = 'RECEIVED' AND outcome <> 'REFUSED' ORDER BY id"))
          .containsExactly(name + " ACQ1 TAKEN", "copy-" + name + " ACQ1 REPLAYED");
      assertThat(count(switchDb, "SELECT COUNT(*) FROM online_clearing_file")).isEqualTo(1);
      assertThat(count(switchDb, "SELECT COUNT(*) FROM online_presentment")).isEqualTo(1);

      // what the switch wrote is signed by it: the issuer's file and the acquirer's result file
      Path issuerFile = SchemeProcessesTest.awaitFile(PartyInbox.out(scheme.switchDir())
          .resolve("presentment-ISS1-" + today + "-1.txt"));
      Path resultForAcquirer = PartyInbox.out(scheme.switchDir()).resolve("presentment-result-ACQ1-" + today + "-1.txt");
      assertThat(verifier(issDir, suite, "ISS1").verify(issuerFile, FileKind.PRESENTMENT, AcceptedFiles.NONE).signer()
          .party()).isEqualTo(PartyId.of("SWITCH"));

      // at the acquirer: the switch's result file kept; unsigned, re-signed by ISS1 and the replay refused
      Path acqIn = PartyInbox.in(acqDir);
      String resultName = resultForAcquirer.getFileName().toString();
      carry(resultForAcquirer, acqIn, "unsigned-" + resultName);
      dropResigned(resultForAcquirer, acqIn, "resigned-" + resultName, iss1, FileKind.PRESENTMENT_RESULT);
      awaitIn(acqIn.resolve(PartyInbox.REFUSED), "unsigned-" + resultName);
      awaitIn(acqIn.resolve(PartyInbox.REFUSED), "resigned-" + resultName);
      carrySigned(resultForAcquirer, acqIn, resultName);
      awaitIn(acqIn.resolve(PartyInbox.DONE), resultName);
      carrySigned(resultForAcquirer, acqIn, "copy-" + resultName);
      awaitIn(acqIn.resolve(PartyInbox.REFUSED), "copy-" + resultName);
      assertThat(names(acqIn.resolve(PartyInbox.DONE))).containsExactly(resultName, resultName + ".sig");

      // at the issuer: forged, unsigned, re-signed by ISS1 itself (not the switch) → refused, nothing applied
      Path issIn = PartyInbox.in(issDir);
      String issuerName = issuerFile.getFileName().toString();
      long before = issuer.books().cardDebitedMinor(0);
      dropForged(issuerFile, issIn, "forged-" + issuerName);
      carry(issuerFile, issIn, "unsigned-" + issuerName);
      dropResigned(issuerFile, issIn, "resigned-" + issuerName, iss1, FileKind.PRESENTMENT);
      for (String refused : List.of("forged-", "unsigned-", "resigned-")) {
        awaitIn(issIn.resolve(PartyInbox.REFUSED), refused + issuerName);
      }
      assertThat(count(issuerDb, "SELECT COUNT(*) FROM issuer_clearing_result")).isZero();
      assertThat(names(PartyInbox.out(issDir))).isEmpty();
      assertThat(issuer.books().cardDebitedMinor(0)).isEqualTo(before);
      // the genuine file applied once, its result file signed by ISS1; the replay refused, nothing applied twice
      carrySigned(issuerFile, issIn, issuerName);
      awaitIn(issIn.resolve(PartyInbox.DONE), issuerName);
      carrySigned(issuerFile, issIn, "copy-" + issuerName);
      awaitIn(issIn.resolve(PartyInbox.REFUSED), "copy-" + issuerName);
      assertThat(rows(issuerDb, "SELECT status FROM issuer_clearing_result")).containsExactly("ACCEPTED");
      assertThat(issuer.books().balanced()).isTrue();
      assertThat(issuer.books().cardDebitedMinor(0)).isEqualTo(1_250);
      assertThat(issuerLog).anySatisfy(l -> assertThat(l).contains("refused forged-" + issuerName + ": FORGED"))
          .anySatisfy(l -> assertThat(l).contains("refused unsigned-" + issuerName + ": UNSIGNED"))
          .anySatisfy(l -> assertThat(l).contains("refused resigned-" + issuerName + ": WRONG_SENDER"))
          .anySatisfy(l -> assertThat(l).contains("refused copy-" + issuerName + ": REPLAYED"));
      Path result = PartyInbox.out(issDir).resolve("presentment-result-ISS1-" + today + "-1.txt");
      assertThat(verifier(scheme.switchDir(), suite, "SWITCH").verify(result, FileKind.PRESENTMENT_RESULT,
          AcceptedFiles.NONE).signer().party()).isEqualTo(PartyId.of("ISS1"));

      // back at the switch: the result recorded once, its replay refused REPLAYED
      carrySigned(result, switchIn, result.getFileName().toString());
      awaitIn(switchIn.resolve(PartyInbox.DONE), result.getFileName().toString());
      carrySigned(result, switchIn, result.getFileName().toString());
      awaitIn(switchIn.resolve(PartyInbox.REFUSED), result.getFileName().toString());
      assertThat(rows(switchDb, "SELECT status || ' ' || issuer_status FROM online_presentment"))
          .containsExactly("ACCEPTED ACCEPTED");
      assertThat(rows(switchDb, "SELECT signer || ' ' || outcome || ' ' || reason FROM online_file_event"
          + " WHERE outcome = 'REFUSED' AND file_name = '" + result.getFileName() + "'")).singleElement().asString()
          .startsWith("not verified REFUSED REPLAYED");
    } finally {
      issuerLogger.removeHandler(capture);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aDirectoryWithoutItsCertificateStartsButTakesAndWritesNoFile(AlgorithmSuite suite) throws Exception {
    SchemeSetup.Written scheme = scheme(dir.resolve("scheme"), suite, 1);
    Path acqDir = scheme.acquirerDirs().get(0);
    Path issDir = scheme.issuerDirs().get(0);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    // a genuine file for ISS1, signed by the switch (the test opens the switch's trust from its custody)
    Path issuerFile = dir.resolve("presentment-ISS1-" + today + "-1.txt");
    try (var out = Files.newOutputStream(issuerFile)) {
      io.iotpay.protocol.file.PresentmentFile.write(out, PartyId.of("SWITCH"), PartyId.of("ISS1"), today, 1,
          io.iotpay.foundation.money.CurrencyUnit.CNY, List.of());
    }
    try (KeyCustody switchCustody = custody(scheme.switchDir(), suite)) {
      PartyFileTrust.open(scheme.switchDir(), switchCustody, PartyId.of("SWITCH"), PartyRole.SWITCH).signer()
          .sign(issuerFile, FileKind.PRESENTMENT);
    }
    for (Path partyDir : List.of(scheme.switchDir(), acqDir, issDir)) {
      Files.delete(partyDir.resolve(PartyFileTrust.CERTIFICATE_FILE)); // as a directory written before signed files
    }
    Logger issuerLogger = Logger.getLogger(IssuerParty.class.getName());
    List<String> issuerLog = new CopyOnWriteArrayList<>();
    Handler capture = capture(issuerLogger, issuerLog);
    try (IssuerParty issuer = IssuerParty.start(issDir, IssuerParty.Options.none());
        SwitchParty switching = SwitchParty.start(scheme.switchDir(), new SwitchParty.Options(null, null, Map.of()));
        AcquirerParty acquirer = AcquirerParty.start(acqDir, AcquirerParty.Options.none());
        TestTerminal terminal = new TestTerminal(SchemeSetup.terminalLink(acqDir))) {
      // it authorises as before
      assertThat(terminal.tap(SchemeSetup.cards(scheme.cardsFile().getParent()).get(0), 700).approved()).isTrue();
      // the acquirer's day end writes no file unsigned
      Path command = PartyInbox.writeDayEnd(acqDir, today);
      awaitIn(PartyInbox.control(acqDir).resolve(PartyInbox.REFUSED), command.getFileName().toString());
      assertThat(names(PartyInbox.out(acqDir))).isEmpty();
      // the issuer takes no file, not even a genuine one
      carrySigned(issuerFile, PartyInbox.in(issDir), issuerFile.getFileName().toString());
      awaitIn(PartyInbox.in(issDir).resolve(PartyInbox.REFUSED), issuerFile.getFileName().toString());
      assertThat(names(PartyInbox.out(issDir))).isEmpty(); // no result file: nothing applied
      assertThat(issuer.books().balanced()).isTrue();
      assertThat(issuerLog).anySatisfy(l -> assertThat(l).contains("refused " + issuerFile.getFileName() + ": no "
          + PartyFileTrust.CERTIFICATE_FILE));
      // nor does the switch
      carry(issuerFile, PartyInbox.in(scheme.switchDir()), "presentment-ACQ1-" + today + "-1.txt");
      awaitIn(PartyInbox.in(scheme.switchDir()).resolve(PartyInbox.REFUSED), "presentment-ACQ1-" + today + "-1.txt");
      Path switchDb = scheme.switchDir().resolve(SwitchParty.DATABASE_FILE);
      assertThat(rows(switchDb, "SELECT signer || ' ' || outcome || ' ' || reason FROM online_file_event"))
          .singleElement().asString().startsWith("not verified REFUSED no " + PartyFileTrust.CERTIFICATE_FILE);
      assertThat(count(switchDb, "SELECT COUNT(*) FROM online_clearing_file")).isZero();
    } finally {
      issuerLogger.removeHandler(capture);
    }
  }

  /** The party's custody, opened under its master key (as the party opens it). */
  static KeyCustody custody(Path partyDir, AlgorithmSuite storeSuite) {
    SecretKeyBytes master = PartyFiles.masterKey(partyDir, null, PartyKeys.masterKeyBytes(storeSuite), false, null);
    return SoftwareKeyCustody.open(partyDir.resolve(PartyKeys.CUSTODY_DIR), storeSuite, master);
  }

  /** A verifier for {@code self} anchored on the CA certificate of its directory. */
  static SignedFileVerifier verifier(Path partyDir, AlgorithmSuite suite, String self) throws Exception {
    return new SignedFileVerifier(suite, Pem.readCertificate(Files.readString(partyDir.resolve(
        PartyFileTrust.CA_CERTIFICATE_FILE))), PartyId.of(self));
  }

  /** {@code file} with one byte of its last record flipped, with the genuine signature. */
  static void dropForged(Path file, Path inbox, String name) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x01;
    Files.copy(FileSigner.signaturePath(file), inbox.resolve(name + ".sig"));
    Path temp = inbox.resolve(name + ".tmp");
    Files.write(temp, bytes);
    Files.move(temp, inbox.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code file} signed by {@code signer} instead of its sender. */
  static void dropResigned(Path file, Path inbox, String name, FileSigner signer, FileKind kind) throws Exception {
    Files.write(inbox.resolve(name + ".sig"), signer.signature(file, FileHeaders.read(file, kind, FileLimits.defaults())));
    carry(file, inbox, name);
  }

  static void awaitIn(Path directory, String name) {
    await(() -> Files.exists(directory.resolve(name)), name + " in " + directory.getFileName());
  }

  static List<String> names(Path directory) throws Exception {
    return SchemeProcessesTest.names(directory);
  }

  /** Adds to {@code logger} a handler that keeps each formatted message in {@code lines}; the test removes it. */
  private static Handler capture(Logger logger, List<String> lines) {
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        lines.add(new SimpleFormatter().formatMessage(r));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    return handler;
  }
}
