package io.iotpay.app.party;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.switching.party.SwitchParty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One issuer of a suite with its console (plain HTTP or TLS), the switch and one acquirer in this JVM
 * over loopback TCP, and a terminal at the acquirer: what the issuer console's tests pay through.
 */
final class IssuerConsoleFixture implements AutoCloseable {
  final Path issuerDir;
  final IssuerParty issuer;
  final List<HarnessCard> cards;
  private final SwitchParty switching;
  private final AcquirerParty acquirer;
  private final TestTerminal terminal;

  private IssuerConsoleFixture(Path issuerDir, IssuerParty issuer, SwitchParty switching, AcquirerParty acquirer,
      TestTerminal terminal, List<HarnessCard> cards) {
    this.issuerDir = issuerDir;
    this.issuer = issuer;
    this.switching = switching;
    this.acquirer = acquirer;
    this.terminal = terminal;
    this.cards = cards;
  }

  /** @param tls the issuer's HTTP listener's TLS identity, or null for plain HTTP */
  static IssuerConsoleFixture start(Path dir, AlgorithmSuite suite, TlsIdentity tls) throws Exception {
    SchemeSetup.Written scheme = PartyMetricsTest.scheme(dir, suite);
    Path issuerDir = scheme.issuerDirs().get(0);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      IssuerParty issuer = IssuerParty.start(issuerDir, new IssuerParty.Options(null, null, null, tls));
      opened.add(issuer);
      SwitchParty switching = SwitchParty.start(scheme.switchDir(), new SwitchParty.Options(null, null, Map.of()));
      opened.add(switching);
      AcquirerParty acquirer = AcquirerParty.start(scheme.acquirerDirs().get(0), AcquirerParty.Options.none());
      opened.add(acquirer);
      TestTerminal terminal = new TestTerminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(0)));
      return new IssuerConsoleFixture(issuerDir, issuer, switching, acquirer, terminal,
          SchemeSetup.cards(scheme.cardsFile().getParent()));
    } catch (Exception | Error e) {
      for (AutoCloseable c : opened.reversed()) {
        c.close();
      }
      throw e;
    }
  }

  /** A tap of card {@code index} for {@code amountMinor} through acquirer, switch and issuer. */
  TestTerminal.Tap pay(int index, long amountMinor) {
    return terminal.tap(cards.get(index), amountMinor);
  }

  String base() {
    return (issuer.httpTls() ? "https" : "http") + "://127.0.0.1:" + issuer.metricsPort();
  }

  /** The acquirer's HTTP API (merchant registry, plain HTTP), where merchants register. */
  String acquirerBase() {
    return "http://127.0.0.1:" + acquirer.registryPort();
  }

  String token() {
    return IssuerParty.operatorToken(issuerDir);
  }

  /**
   * What must appear in no page: the operator token, every secret value in the issuer's sealed keys
   * (link keys, the PAN-lookup key, the audit signing key) and every card's full PAN.
   */
  List<String> secrets() {
    List<String> secrets = new ArrayList<>(List.of(token()));
    PartyKeys.read(issuerDir, suiteOf(), null).entries().forEach((name, value) -> {
      if (!name.equals("audit.public") && value.length() >= 16) { // the audit key's public half is published
        secrets.add(value);
      }
    });
    cards.forEach(c -> secrets.add(c.pan().digits()));
    return secrets;
  }

  private AlgorithmSuite suiteOf() {
    return cards.get(0).suite();
  }

  @Override
  public void close() throws Exception {
    terminal.close();
    acquirer.close();
    switching.close();
    issuer.close();
  }
}
