package io.iotpay.demo.transit;

import io.iotpay.demo.transit.NightLinks.Role;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyCertificate;
import io.iotpay.protocol.pki.SignedFileVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One party of the transit night (the operator, the switch or the issuer) in a JVM of its own, for
 * {@link NightKillTest}: for each night, its own data directory and database (its ledger, its audit
 * log and its store), its keys opened from its sealed custody under its master key (set up by
 * {@link NightScheme}), its files signed with its certified key and the files it receives verified
 * before use (docs/signed-files.md); files cross to the other processes through {@link NightLinks}.
 *
 * <p>Usage: {@code NightParty <OPERATOR|SWITCH|ISSUER>}. It prints {@code READY}, then reads one
 * command a line on stdin and answers {@code OK <command>} when it is done, or {@code FAIL
 * <command>: <error>}. {@code open <scheme root> <suite>} opens the party's night; the line after
 * it is the party's master key in hex, which the driver hands over on this pipe (never on disk, in
 * the command line or in the environment of a later night) and which is not echoed. Every night
 * command is written as its operator would run it again after a crash: it completes what a killed
 * process left and does nothing twice. {@code finish} prints the party's figures ({@code FIGURE
 * <name> <value>}, read from its own ledger and store), closes the night and prints {@code CLOSED};
 * the process then waits for the next {@code open}. {@code exit} (or the end of stdin) exits 0.
 */
public final class NightParty {
  static final String READY = "READY";
  static final String OPEN = "open";
  static final String CLOSED = "CLOSED";
  static final String FINISH = "finish";
  static final String EXIT = "exit";
  static final String FIGURE = "FIGURE ";

  private NightParty() {}

  /** What a party does with its commands; each side holds one party's objects. */
  sealed interface Side extends AutoCloseable permits NightOperator, NightSwitch, NightIssuer {
    /** Runs one command ({@code verb argument…}). */
    void run(String[] command) throws Exception;

    /** The party's figures, from its own records. */
    Map<String, String> figures();

    @Override
    void close();
  }

  /**
   * What every party opens: its database, audit log and ledger, its custody and file trust.
   *
   * @param dir the party's data directory
   */
  record Base(Role role, AlgorithmSuite suite, Path dir, NightLinks links, SecretKeyBytes master, Database database,
      AuditLog auditLog, Ledger ledger, KeyCustody custody, FileTrust trust) implements AutoCloseable {

    static Base open(Role role, Path root, AlgorithmSuite suite, String masterHex) throws Exception {
      Path dir = NightScheme.dataDir(root, role);
      SecretKeyBytes master = PartyFiles.masterKey(dir, masterHex, PartyKeys.masterKeyBytes(suite), false, null);
      PartyProperties keys = PartyKeys.read(dir, suite, masterHex);
      Database database = Database.open("jdbc:sqlite:" + dir.resolve(NightScheme.DATABASE_FILE), 4);
      AuditLog auditLog = AuditLog.open(database, AuditLogConfig.of(suite,
          AuditSigningKey.keyPair(suite, keys.string(AuditSigningKey.PRIVATE), keys.string(AuditSigningKey.PUBLIC))));
      Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), java.time.Clock.systemUTC(), auditLog);
      KeyCustody custody = SoftwareKeyCustody.open(dir.resolve(PartyKeys.CUSTODY_DIR), suite, master);
      FileSigner signer = new FileSigner(custody, custody.current(NightScheme.SIGNING_LABEL),
          PartyCertificate.parse(Files.readAllBytes(dir.resolve(NightScheme.CERTIFICATE_FILE)), suite));
      SignedFileVerifier verifier = new SignedFileVerifier(suite,
          Certificates.parse(Files.readAllBytes(dir.resolve(NightScheme.CA_FILE))), NightScheme.id(role));
      return new Base(role, suite, dir, new NightLinks(root.resolve("links")), master, database, auditLog, ledger,
          custody, new FileTrust(signer, verifier));
    }

    long debitBalance(long accountId) {
      return ledger.balance(accountId).map(AccountBalance::debitBalanceMinor).orElse(0L);
    }

    long creditBalance(long accountId) {
      return ledger.balance(accountId).map(AccountBalance::creditBalanceMinor).orElse(0L);
    }

    /** The figures every party reports: its books balance. */
    Map<String, String> figures() {
      Map<String, String> figures = new LinkedHashMap<>();
      figures.put("books.balanced", Boolean.toString(TransitParties.booksBalanced(ledger)));
      return figures;
    }

    @Override
    public void close() {
      ledger.close();
      auditLog.close();
      custody.close();
      database.close();
    }
  }

  /** Runs the party named by {@code args[0]} on this process's stdin and stdout (see the class comment). */
  public static void main(String[] args) throws IOException {
    Role role = Role.valueOf(args[0]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    out.println(READY);
    Side side = null;
    for (String line = in.readLine(); line != null && !line.equals(EXIT); line = in.readLine()) {
      if (line.startsWith(OPEN + " ")) {
        String masterHex = in.readLine();
        if (side != null) {
          out.println("FAIL " + line + ": a night is open; finish it first");
        } else {
          side = open(role, line, masterHex, out);
        }
      } else if (line.equals(FINISH) && side != null) {
        side.figures().forEach((name, value) -> out.println(FIGURE + name + " " + value));
        side.close();
        side = null;
        out.println(CLOSED);
      } else {
        out.println(side == null ? "FAIL " + line + ": no night is open" : answer(side, line));
      }
    }
  }

  /** Opens the night {@code open <root> <suite>}; answers OK, or FAIL with nothing open. */
  private static Side open(Role role, String line, String masterHex, PrintStream out) {
    String[] open = line.split(" ");
    try {
      Base base = Base.open(role, Path.of(open[1]), AlgorithmSuite.valueOf(open[2]), masterHex);
      Side side = switch (role) {
        case OPERATOR -> new NightOperator(base);
        case SWITCH -> new NightSwitch(base);
        case ISSUER -> new NightIssuer(base);
      };
      out.println("OK " + line);
      return side;
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      out.println("FAIL " + line + ": " + e.toString().replaceAll("[\\r\\n]", " "));
      return null;
    }
  }

  private static String answer(Side side, String line) {
    try {
      side.run(line.split(" "));
      return "OK " + line;
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      return "FAIL " + line + ": " + e.toString().replaceAll("[\\r\\n]", " ");
    }
  }
}
