package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.BANK;
import static io.iotpay.demo.transit.TransitParties.METRO;

import io.iotpay.demo.transit.NightLinks.Role;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch's process side of the night ({@link NightParty}): a {@link TransitSwitch} on the
 * party's own ledger and database, whose intake polls its links from the operator and the issuer
 * every 20 ms ({@link NightLinks#deliveries}), takes each file (an offline file, an exception file, a
 * deny list) and answers it with a receipt; a delivery whose handling a kill cut short stays in the
 * inbox and is taken again at the next start (the switch answers a file it has with its first
 * receipt). Command: {@code settle
 * <window>} settles the window, or takes the run a killed process committed, and delivers its
 * clearing file, reports and notices to the issuer's and the operator's inboxes.
 */
final class NightSwitch implements NightParty.Side {
  private static final long INBOX_POLL_MS = 20;
  private static final long INTAKE_STOP_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(NightSwitch.class);

  private final NightParty.Base base;
  private final TransitSwitch transitSwitch;
  private final ScheduledExecutorService intake;

  NightSwitch(NightParty.Base base) {
    this.base = base;
    this.transitSwitch = new TransitSwitch(TransitParties.switchConfig(), base.ledger(), base.database(),
        base.dir().resolve("switch"), base.trust());
    this.intake = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "switch-intake");
      thread.setDaemon(true);
      return thread;
    });
    intake.scheduleWithFixedDelay(this::pollOnce, 0, INBOX_POLL_MS, TimeUnit.MILLISECONDS);
  }

  /** One round over the links from the operator and the issuer: each delivery taken, then filed; one that throws stays. */
  private void pollOnce() {
    for (Role sender : List.of(Role.OPERATOR, Role.ISSUER)) {
      for (Path file : NightLinks.deliveries(base.links().inbox(sender, Role.SWITCH))) {
        try {
          NightLinks.file(file, take(file, sender));
        } catch (RuntimeException e) {
          LOG.warn("Delivery not taken yet [file={}, error={}]", file.getFileName(), e.toString());
        }
      }
    }
  }

  @Override
  public void run(String[] command) {
    if (!command[0].equals("settle")) {
      throw new IllegalArgumentException("the switch has no command " + command[0]);
    }
    LocalDate window = LocalDate.parse(command[1]);
    SettlementRun run;
    synchronized (transitSwitch) {
      run = transitSwitch.settledRun(window).orElseGet(() -> transitSwitch.settle(window, window.plusDays(1)));
    }
    deliver(run, window, BANK, Role.ISSUER);
    deliver(run, window, METRO, Role.OPERATOR);
  }

  private void deliver(SettlementRun run, LocalDate window, PartyId party, Role role) {
    Path to = base.links().inbox(Role.SWITCH, role).resolve(window.toString());
    if (run.clearingFiles().containsKey(party)) {
      NightLinks.deliver(run.clearingFiles().get(party), to, NightLinks.CLEARING);
    }
    if (run.exceptionNotices().containsKey(party)) {
      NightLinks.deliver(run.exceptionNotices().get(party), to, NightLinks.NOTICE);
    }
    NightLinks.deliver(run.reportFiles().get(party), to, NightLinks.SETTLEMENT); // last: the receiver waits for it
  }

  /** Takes a file (verified by the switch before use) and answers it with a receipt; true unless refused. */
  private boolean take(Path file, Role sender) {
    String name = file.getFileName().toString();
    IntakeReceipt receipt;
    synchronized (transitSwitch) {
      receipt = name.startsWith("offline-") ? transitSwitch.receive(file)
          : name.startsWith("denylist-") ? relayDenyList(file) : transitSwitch.receiveExceptions(file);
    }
    NightLinks.writeReceipt(base.links().inbox(Role.SWITCH, sender), name, receipt);
    return receipt.status() != IntakeStatus.REJECTED;
  }

  /** Publishes an issuer's list (a version held already changes nothing) and relays every list to the operator. */
  private IntakeReceipt relayDenyList(Path file) {
    boolean published;
    try {
      published = transitSwitch.publishDenyList(file);
    } catch (SignedFileException e) {
      return new IntakeReceipt(IntakeStatus.REJECTED, 0, 1, 0, e.getMessage());
    }
    Path to = base.links().inbox(Role.SWITCH, Role.OPERATOR).resolve(NightLinks.DENY_LISTS);
    for (Path copy : transitSwitch.denyListFilesFor(METRO, NightKillTest.DENY_LIST_DAY)) {
      NightLinks.deliver(copy, to, copy.getFileName().toString());
    }
    return new IntakeReceipt(published ? IntakeStatus.ACCEPTED : IntakeStatus.ALREADY_ACCEPTED, 1, 0, 0, "");
  }

  @Override
  public Map<String, String> figures() {
    Map<String, String> figures = base.figures();
    synchronized (transitSwitch) {
      figures.put("switch.settlement", Long.toString(base.debitBalance(transitSwitch.settlementAccountId())));
      figures.put("switch.due.from.issuer", Long.toString(base.debitBalance(transitSwitch.dueFromIssuerAccountId(BANK))));
      figures.put("switch.due.to.operator", Long.toString(base.debitBalance(transitSwitch.dueToOperatorAccountId(METRO))));
      TransitSwitch.LatePresentments late = transitSwitch.latePresentments();
      figures.put("switch.late", late.records() + "/" + late.faresMinor());
      List<TransitSwitch.Dispute> disputes = transitSwitch.disputes();
      figures.put("switch.disputes", disputes.stream().map(d -> d.exception().stage().name())
          .collect(Collectors.joining(",")));
      figures.put("switch.disputes.netted", Boolean.toString(disputes.stream().allMatch(d -> d.window() != null)));
      figures.put("switch.exception.rejections", Integer.toString(transitSwitch.exceptionRejections().size()));
      figures.put("switch.file.rejections", Long.toString(transitSwitch.rejectionsTotal()));
    }
    return figures;
  }

  @Override
  public void close() {
    intake.shutdown();
    try {
      intake.awaitTermination(INTAKE_STOP_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transitSwitch.close();
    base.close();
  }
}
