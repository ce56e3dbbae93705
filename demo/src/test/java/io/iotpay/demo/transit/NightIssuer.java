package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.SWITCH;

import io.iotpay.demo.transit.NightLinks.Role;
import io.iotpay.issuer.Issuer;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.party.PartyProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * The issuer's process side of the night ({@link NightParty}): its {@link Issuer} on the party's own
 * ledger and database, its keys in the sealed store {@link NightScheme} made. Commands: {@code
 * morning <window>} clears the window's clearing file and writes its chargebacks, sends every
 * chargeback file it has to the switch (the switch takes each once), books the notice and pays the
 * settlement report; {@code denylist <day>} publishes its deny list through the switch.
 */
final class NightIssuer implements NightParty.Side {
  private final NightParty.Base base;
  private final Issuer issuer;
  private final Path out;
  private final long riderAccount;

  NightIssuer(NightParty.Base base) throws Exception {
    this.base = base;
    this.issuer = new Issuer(TransitParties.issuerConfig(), base.dir().resolve("issuer-keys"), null, base.master(),
        base.database(), base.ledger(), base.trust());
    this.out = Files.createDirectories(base.dir().resolve("issuer-out"));
    this.riderAccount = PartyProperties.read(base.dir().resolve(NightScheme.NIGHT_FILE), false)
        .number(NightScheme.RIDER_ACCOUNT, 1, Long.MAX_VALUE);
  }

  @Override
  public void run(String[] command) throws Exception {
    switch (command[0]) {
      case "morning" -> morning(base.links().inbox(Role.SWITCH, Role.ISSUER).resolve(command[1]));
      case "denylist" -> publishDenyList(LocalDate.parse(command[1]));
      default -> throw new IllegalArgumentException("the issuer has no command " + command[0]);
    }
  }

  private void morning(Path window) {
    NightScript.ignoringReplays(() -> issuer.clearAndChargeBack(window.resolve(NightLinks.CLEARING), out, SWITCH));
    for (Path file : issuer.chargebackFiles(out)) {
      expectTaken(base.links().callSwitch(Role.ISSUER, file));
    }
    Path notice = window.resolve(NightLinks.NOTICE);
    if (Files.exists(notice)) {
      NightScript.ignoringReplays(() -> issuer.receiveExceptionNotice(notice, SWITCH));
    }
    NightScript.ignoringReplays(() -> issuer.paySettlementFile(window.resolve(NightLinks.SETTLEMENT)));
  }

  private void publishDenyList(LocalDate day) throws Exception {
    Path file = issuer.writeDenyListFile(Files.createDirectories(out.resolve(NightLinks.DENY_LISTS)), SWITCH, day);
    expectTaken(base.links().callSwitch(Role.ISSUER, file));
  }

  private static void expectTaken(IntakeReceipt receipt) {
    if (receipt.status() == IntakeStatus.REJECTED) {
      throw new IllegalStateException("the switch refused the file: " + receipt.reason());
    }
  }

  @Override
  public Map<String, String> figures() {
    Map<String, String> figures = base.figures();
    figures.put("issuer.arrears", Long.toString(base.debitBalance(issuer.arrearsAccountId())));
    figures.put("issuer.due.to.switch", Long.toString(base.debitBalance(issuer.dueToSwitchAccountId())));
    figures.put("issuer.funding", Long.toString(base.creditBalance(issuer.fundingAccountId())));
    figures.put("issuer.rider.debit", Long.toString(base.debitBalance(riderAccount)));
    Map<?, Long> cleared = issuer.clearedFaresMinor();
    figures.put("issuer.cleared", cleared.size() + "/" + cleared.values().stream().mapToLong(Long::longValue).sum());
    figures.put("issuer.denylist.version", Long.toString(issuer.denyList().version()));
    return figures;
  }

  @Override
  public void close() {
    issuer.close();
    base.close();
  }
}
