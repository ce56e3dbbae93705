package io.iotpay.issuer;

import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.issuer.card.IssuerKeys;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.issuer.transit.ScriptStep;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import io.iotpay.protocol.transit.CardRange;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** An issuer on a SQLite file with its ledger, master keys from a seeded random source. */
final class IssuerWorld implements AutoCloseable {
  static final PartyId ISSUER = PartyId.of("BANK-A");
  final Database database;
  final Ledger ledger;
  final Issuer issuer;

  IssuerWorld(Path dir) {
    this(dir, null);
  }

  /** With signed files: {@code trust} is the issuer's signer and verifier. */
  IssuerWorld(Path dir, io.iotpay.protocol.pki.FileTrust trust) {
    database = Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4);
    ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
    Random random = new Random(42);
    issuer = new Issuer(IssuerConfig.defaults(ISSUER, 7, 700_000, List.of(new CardRange("621234", ISSUER))),
        dir.resolve("issuer-keys"), IssuerKeys.bySuite(masters(random), masters(random)), key(random), database, ledger, trust);
  }

  private static IssuerMasterKeys masters(Random random) {
    return new IssuerMasterKeys(key(random), key(random), key(random));
  }

  static SecretKeyBytes key(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }

  byte[] aid() {
    return issuer.config().aid();
  }

  /** Issues, installs and personalises a card for a new debit account funded with {@code depositMinor}. */
  Rider rider(int number, AlgorithmSuite suite, long depositMinor) {
    long account = issuer.openRiderAccount(number, RiderAccountKind.DEBIT, 0);
    if (depositMinor > 0) {
      issuer.deposit(9_000_000L + number, account, depositMinor);
    }
    return personalised(suite, account);
  }

  Rider personalised(AlgorithmSuite suite, long account) {
    IssuedCard issued = issuer.issueCard(suite, account);
    SimCard card = new SimCard(issued, aid());
    issuer.personalise(issued.pan(), card.channel);
    return new Rider(issued, card, account);
  }

  /** Relays every script of a push like the phone does, optionally tampering with each script. */
  ScriptStep runPush(CardScript first, SimCard card, UnaryOperator<List<CommandApdu>> tamper) {
    return issuer.runPush(first, script -> relay(script.scriptId(), tamper.apply(script.commands()), card));
  }

  static CardScriptResult relay(String scriptId, List<CommandApdu> commands, SimCard card) {
    return relay(scriptId, commands, card.channel);
  }

  /** Like the phone: stops at the first failing status word or when the card goes away. */
  static CardScriptResult relay(String scriptId, List<CommandApdu> commands, io.iotpay.foundation.card.CardChannel card) {
    List<ResponseApdu> responses = new ArrayList<>();
    for (CommandApdu command : commands) {
      ResponseApdu response;
      try {
        response = card.transmit(command);
      } catch (io.iotpay.foundation.card.CardGoneException e) {
        break;
      }
      responses.add(response);
      if (response.sw() != 0x9000) {
        break;
      }
    }
    return new CardScriptResult(scriptId, responses);
  }

  @Override
  public void close() {
    issuer.close();
    ledger.close();
    database.close();
  }

  record Rider(IssuedCard issued, SimCard card, long account) {}
}
