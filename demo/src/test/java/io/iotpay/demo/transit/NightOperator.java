package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.BANK;

import io.iotpay.acquirer.transit.OperatorBackOffice;
import io.iotpay.demo.transit.NightLinks.Role;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.RecordId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator's (the transit acquirer's) process side of the night ({@link NightParty}): its
 * {@link OperatorBackOffice} on the party's own ledger and database. Commands: {@code collect
 * <journal>}; {@code upload <day>} (first resends an upload a kill left unanswered); {@code morning
 * <window>} books the window's settlement report and notice; {@code represent <terminal>
 * <sequence>} re-presents a charged-back record once; {@code denylists} takes the lists the switch
 * relayed. Files to the switch go through {@link NightLinks#callSwitch}, which waits for its receipt.
 */
final class NightOperator implements NightParty.Side {
  private final NightParty.Base base;
  private final OperatorBackOffice operator;
  private final OfflineFileInbox toSwitch;

  NightOperator(NightParty.Base base) {
    this.base = base;
    this.operator = new OperatorBackOffice(TransitParties.operatorConfig(), base.ledger(), base.dir().resolve("operator"),
        base.trust(), base.database());
    this.toSwitch = file -> base.links().callSwitch(Role.OPERATOR, file);
  }

  @Override
  public void run(String[] command) throws IOException {
    switch (command[0]) {
      case "collect" -> operator.collectJournal(Path.of(command[1]));
      case "upload" -> upload(LocalDate.parse(command[1]));
      case "morning" -> morning(base.links().inbox(Role.SWITCH, Role.OPERATOR).resolve(command[1]));
      case "represent" -> represent(new RecordId(command[1], Long.parseLong(command[2])));
      case "denylists" -> denyLists();
      default -> throw new IllegalArgumentException("the operator has no command " + command[0]);
    }
  }

  private void upload(LocalDate day) {
    operator.resumeUploads(toSwitch);
    if (operator.pendingDays().contains(day)) {
      operator.upload(day, toSwitch);
    }
  }

  private void morning(Path window) {
    NightScript.ignoringReplays(() -> operator.receiveSettlement(window.resolve(NightLinks.SETTLEMENT)));
    Path notice = window.resolve(NightLinks.NOTICE);
    if (Files.exists(notice)) {
      NightScript.ignoringReplays(() -> operator.receiveExceptionNotice(notice));
    }
  }

  private void represent(RecordId record) {
    if (operator.representments().stream().noneMatch(e -> e.recordId().equals(record))) {
      IntakeReceipt receipt = operator.represent(record, file -> base.links().callSwitch(Role.OPERATOR, file));
      if (receipt.recordsAccepted() != 1) {
        throw new IllegalStateException("the switch did not take the re-presentment: " + receipt);
      }
    }
  }

  private void denyLists() throws IOException {
    Path lists = base.links().inbox(Role.SWITCH, Role.OPERATOR).resolve(NightLinks.DENY_LISTS);
    List<Path> files;
    try (Stream<Path> list = Files.list(lists)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("the switch relayed no deny list");
    }
    files.forEach(operator::receiveDenyList); // a list held already is not taken again
  }

  @Override
  public Map<String, String> figures() {
    Map<String, String> figures = base.figures();
    figures.put("operator.revenue", Long.toString(operator.fareRevenueMinor()));
    figures.put("operator.chargebacks", Long.toString(operator.chargebacksMinor()));
    figures.put("operator.settled", Long.toString(operator.settledMinor()));
    figures.put("operator.receivable", Long.toString(operator.receivableMinor()));
    figures.put("operator.settled.windows", Integer.toString(operator.settledDays().size()));
    figures.put("operator.denylist.version", Long.toString(operator.denyLists().stream()
        .filter(list -> list.issuer().equals(BANK)).mapToLong(DenyList::version).max().orElse(0)));
    return figures;
  }

  @Override
  public void close() {
    operator.close();
    base.close();
  }
}
