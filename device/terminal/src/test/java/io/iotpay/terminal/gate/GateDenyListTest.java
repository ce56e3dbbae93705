package io.iotpay.terminal.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedDenyLists;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.transit.DenyList;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signed deny lists at the gate (docs/signed-files.md §6): signature and bounded version, both suites. */
class GateDenyListTest {
  private static final PartyId ISSUER = PartyId.of("ISSUER-1");
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

  @TempDir Path dir;
  private Metro metro;
  private SchemeEnrolment scheme;

  @AfterEach
  void tearDown() {
    if (metro != null) {
      metro.close();
    }
    if (scheme != null) {
      scheme.close();
    }
  }

  private SignedDenyLists setUp(AlgorithmSuite suite) {
    metro = new Metro(dir);
    Instant from = DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
    scheme = SchemeEnrolment.create(dir.resolve("pki"), suite, from, from.plusSeconds(86_400L * 400));
    return new SignedDenyLists(scheme.verifierFor(Metro.OPERATOR), 1_000, io.iotpay.protocol.file.FileLimits.defaults());
  }

  private Path list(FileSigner signer, long version, SimCard... denied) throws Exception {
    Path file = dir.resolve("denylist-v" + version + "-" + System.nanoTime() + ".txt");
    TreeSet<io.iotpay.protocol.Pan> pans = new TreeSet<>();
    for (SimCard card : denied) {
      pans.add(card.pan);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      DenyListFile.write(out, Metro.OPERATOR, DAY, new DenyList(ISSUER, version, pans));
    }
    signer.sign(file, FileKind.DENY_LIST);
    return file;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void forgedListWithAHugeVersion_isRefused_andTheGateKeepsItsList(AlgorithmSuite suite) throws Exception {
    SignedDenyLists acceptance = setUp(suite);
    FileTrust switchTrust = scheme.enrol(SWITCH, PartyRole.SWITCH);
    SimCard card = SimCard.standard(suite, 6);
    GateKernel gate = metro.gate("IN-A");
    gate.installDenyList(list(switchTrust.signer(), 3, card), acceptance);
    assertThat(gate.denyListVersion(ISSUER)).isEqualTo(3);

    // correctly signed by the switch, but a version far ahead: would freeze the list for good
    Path huge = list(switchTrust.signer(), Long.MAX_VALUE / 2);
    assertThatThrownBy(() -> gate.installDenyList(huge, acceptance)).isInstanceOfSatisfying(SignedFileException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.VERSION_JUMP));
    // signed by an operator (valid certificate, a role that may neither send nor relay deny lists)
    FileTrust operator = scheme.enrol(PartyId.of("METRO-2"), PartyRole.OPERATOR);
    Path byOperator = list(operator.signer(), 4);
    assertThatThrownBy(() -> gate.installDenyList(byOperator, acceptance)).isInstanceOfSatisfying(
        SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_SENDER));
    // a bit flipped in a correctly signed next version
    Path flipped = list(switchTrust.signer(), 4);
    byte[] bytes = Files.readAllBytes(flipped);
    bytes[bytes.length - 3] ^= 1;
    Files.write(flipped, bytes);
    assertThatThrownBy(() -> gate.installDenyList(flipped, acceptance)).isInstanceOfSatisfying(
        SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FORGED));
    // an old list replayed
    Path old = list(switchTrust.signer(), 2);
    assertThatThrownBy(() -> gate.installDenyList(old, acceptance)).isInstanceOfSatisfying(
        SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAYED));

    // nothing changed: version 3 held, the card still refused at the gate
    assertThat(gate.denyListVersion(ISSUER)).isEqualTo(3);
    TapOutcome refused = gate.tap(card.channel());
    assertThat(((TapOutcome.Refused) refused).reason()).isEqualTo(TapOutcome.Reason.DENIED);
    assertThat(card.quotaMinor()).isEqualTo(5_000);

    // the next list within the bound, signed by the issuer itself, is installed and lifts the denial
    FileTrust issuer = scheme.enrol(ISSUER, PartyRole.ISSUER);
    gate.installDenyList(list(issuer.signer(), 3 + 1_000), acceptance);
    assertThat(gate.denyListVersion(ISSUER)).isEqualTo(1_003);
    assertThat(gate.tap(card.channel())).isInstanceOf(TapOutcome.Opened.class);
    assertThat(List.of(huge, byOperator, flipped, old)).allMatch(Files::exists);
  }
}
