package io.iotpay.bench.wallet;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.wallet.WalletCard;
import io.iotpay.issuer.wallet.WalletDayEnd;
import io.iotpay.issuer.wallet.WalletIssuerKeys;
import io.iotpay.issuer.wallet.WalletTacVerifier;
import io.iotpay.issuer.wallet.WalletOnlineParts;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.transit.TransitTac;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The issuer's day end at scale (docs/bench-wallet.md §2): {@code pos} POSes each upload a signed
 * day file of {@code purchasesPerPos} card-signed offline debits, each with the card's TAC, over
 * {@code cards} cards; the issuer verifies every file's signature and every debit's TAC through its
 * key custody, clears each debit once (aggregated postings: one per card and one per merchant through
 * the clearing account, in the ledger on SQLite), checks every card against its books, and builds and
 * signs the list. The cards' signatures and TACs are made on the host beforehand, in parallel, and not timed.
 */
public final class DayEndFigures {
  private static final long BOOK = 17;
  private static final long FUNDING = 1;
  private static final long CLEARING = 2;
  private static final long LOADED = 100_000_000;
  private static final long PRICE = 100;
  private static final int ACCOUNT_BATCH = 4_000;

  /** What one run measured. */
  public record Result(AlgorithmSuite suite, int pos, int purchasesPerPos, int cards, long cleared, int mismatches,
      long generateMs, long posFilesMs, long dayEndMs, double referenceVerifyUs, double referenceTacUs) {
    public long purchases() {
      return (long) pos * purchasesPerPos;
    }
  }

  private DayEndFigures() {}

  public static Result run(AlgorithmSuite suite, int pos, int purchasesPerPos, int cards, Path dir) {
    SecureRandom random = new SecureRandom();
    byte[] storageKey = new byte[32];
    byte[] imk = new byte[16];
    random.nextBytes(storageKey);
    random.nextBytes(imk);
    try (WalletIssuerKeys issuerKeys = new WalletIssuerKeys(dir.resolve("custody"), new SecretKeyBytes(storageKey),
            Map.of(suite, new SecretKeyBytes(imk), other(suite), new SecretKeyBytes(new byte[16])));
        Database database = Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4);
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), java.time.Clock.systemUTC(), AuditJournal.none());
        SchemeEnrolment pki = SchemeEnrolment.create(dir.resolve("pki"), suite, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"))) {
      Map<String, Long> merchants = new HashMap<>();
      long[] transferId = {1};
      WalletOnlineParts parts = new WalletOnlineParts(database, ledger, 156, row -> (1L << 40) + row, merchants::get);
      KeyPair issuerKey = suite.signature().generateKeyPair(random);
      WalletTacVerifier tacs = issuerKeys.tacVerifier();
      WalletDayEnd dayEnd = new WalletDayEnd(database, parts, ledger, pki.enrol(new PartyId("WISSUER"), PartyRole.ISSUER),
          (s, input) -> s.signature().sign(issuerKey.getPrivate(), input), tacs, CLEARING,
          merchants::get, posting -> (1L << 41) + posting, null);

      long t0 = System.nanoTime();
      KeyPair[] keys = IntStream.range(0, cards).parallel()
          .mapToObj(i -> suite.signature().generateKeyPair(new SecureRandom())).toArray(KeyPair[]::new);
      // Personalisation's side: each card's TAC key from the IMK (the issuer's custody derives the same).
      byte[][] tacKeys = IntStream.range(0, cards)
          .mapToObj(c -> EmvKeyDerivation.walletCardKey(suite, new SecretKeyBytes(imk), cardId(c)).value())
          .toArray(byte[][]::new);
      // One genuine signature per card by its own key, over the card's filler debit: every debit of the
      // card carries it. Set-up only: the day end checks TACs, not card signatures (the PSAM verified
      // each at the POS); 500,000 signatures made on the host would take minutes.
      byte[][] signatures = IntStream.range(0, cards).parallel()
          .mapToObj(c -> suite.signature().sign(keys[c].getPrivate(), fillerDebit(c))).toArray(byte[][]::new);
      List<Account> accounts = new ArrayList<>(List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY),
          Account.of(CLEARING, BOOK, CurrencyUnit.CNY)));
      List<Transfer> funding = new ArrayList<>();
      for (int c = 0; c < cards; c++) {
        long online = 1_000 + 2L * c;
        accounts.add(new Account(online, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        accounts.add(new Account(online + 1, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        funding.add(Transfer.single(transferId[0]++, FUNDING, online + 1, LOADED));
        String id = Hex.encode(cardId(c));
        parts.enrol(new WalletCard(id, suite, keys[c].getPublic(), online, online + 1));
      }
      List<FileTrust> posTrust = new ArrayList<>();
      for (int p = 0; p < pos; p++) {
        long merchant = 1_000_000 + p;
        accounts.add(new Account(merchant, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        merchants.put(Hex.encode(posId(p)), merchant);
        posTrust.add(pki.enrol(new PartyId("WPOS-" + (p + 1)), PartyRole.OPERATOR));
      }
      for (int from = 0; from < accounts.size(); from += ACCOUNT_BATCH) {
        ledger.createAccounts(accounts.subList(from, Math.min(accounts.size(), from + ACCOUNT_BATCH)))
            .orTimeout(60, TimeUnit.SECONDS).join();
      }
      for (int from = 0; from < funding.size(); from += ACCOUNT_BATCH) {
        ledger.submit(funding.subList(from, Math.min(funding.size(), from + ACCOUNT_BATCH)))
            .orTimeout(60, TimeUnit.SECONDS).join();
      }
      for (int c = 0; c < cards; c++) {
        dayEnd.loaded(Hex.encode(cardId(c)), 0, LOADED, 0, 0);
      }
      List<List<WalletDayFile.Purchase>> days = new ArrayList<>(IntStream.range(0, pos).parallel()
          .mapToObj(p -> day(suite, signatures, tacKeys, p, purchasesPerPos, cards)).toList());
      long generateMs = (System.nanoTime() - t0) / 1_000_000;

      long t1 = System.nanoTime();
      LocalDate date = LocalDate.of(2026, 3, 2);
      List<Path> files = new ArrayList<>();
      for (int p = 0; p < pos; p++) {
        Path file = dir.resolve("pos-" + p + ".day");
        try (OutputStream out = Files.newOutputStream(file)) {
          WalletDayFile.write(out, new PartyId("WPOS-" + (p + 1)), new PartyId("WISSUER"), date, 1, CurrencyUnit.CNY,
              days.get(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        posTrust.get(p).signer().sign(file, io.iotpay.protocol.file.FileKind.WALLET_DAY);
        files.add(file);
      }
      long posFilesMs = (System.nanoTime() - t1) / 1_000_000;
      // The POSes' purchases are on disk now; the issuer starts from its own heap, not the generator's.
      WalletDayFile.Purchase sample = days.get(0).get(0);
      days.clear();
      System.gc();

      long t2 = System.nanoTime();
      WalletDayEnd.Batch batch = dayEnd.clearAll(files);
      if (!batch.refused().isEmpty()) {
        throw new IllegalStateException("day files refused: " + batch.refused());
      }
      int mismatches = dayEnd.detectMismatches().size();
      dayEnd.publishList(dir.resolve("wallet-list.txt"), new PartyId("WPOS-ALL"), date);
      long dayEndMs = (System.nanoTime() - t2) / 1_000_000;

      return new Result(suite, pos, purchasesPerPos, cards, dayEnd.clearedCount(), mismatches, generateMs, posFilesMs,
          dayEndMs, referenceVerifyUs(suite, keys[0], fillerDebit(0), signatures[0]),
          referenceTacUs(suite, tacs, sample));
    }
  }

  /** The same run's reference: one card-signature verification, single thread, median of 5 × 200. */
  private static double referenceVerifyUs(AlgorithmSuite suite, KeyPair key, byte[] input, byte[] signature) {
    double[] runs = new double[5];
    for (int r = 0; r < runs.length; r++) {
      long t = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        if (!suite.signature().verify(key.getPublic(), input, signature)) {
          throw new IllegalStateException("reference signature does not verify");
        }
      }
      runs[r] = (System.nanoTime() - t) / 200 / 1_000.0;
    }
    java.util.Arrays.sort(runs);
    return runs[2];
  }

  /** The same run's reference: one TAC verification through the custody, single thread, median of 5 × 2,000. */
  private static double referenceTacUs(AlgorithmSuite suite, WalletTacVerifier tacs, WalletDayFile.Purchase p) {
    double[] runs = new double[5];
    for (int r = 0; r < runs.length; r++) {
      long t = System.nanoTime();
      for (int i = 0; i < 2_000; i++) {
        if (!tacs.verify(suite, p.signedDebit(), p.tac())) {
          throw new IllegalStateException("reference TAC does not verify");
        }
      }
      runs[r] = (System.nanoTime() - t) / 2_000 / 1_000.0;
    }
    java.util.Arrays.sort(runs);
    return runs[2];
  }

  private static AlgorithmSuite other(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
  }

  /** The DEBIT input a card's one set-up signature is over: its id, counter 0, the rest zeros. */
  private static byte[] fillerDebit(int c) {
    return ByteBuffer.allocate(51).put((byte) 0x21).put(cardId(c)).array();
  }

  private static List<WalletDayFile.Purchase> day(AlgorithmSuite suite, byte[][] signatures, byte[][] tacKeys, int p,
      int perPos, int cards) {
    SecureRandom random = new SecureRandom();
    List<WalletDayFile.Purchase> out = new ArrayList<>(perPos);
    for (int j = 0; j < perPos; j++) {
      long g = (long) p * perPos + j;
      int c = (int) (g % cards);
      long counter = g / cards + 1;
      byte[] challenge = new byte[16];
      random.nextBytes(challenge);
      byte[] input = ByteBuffer.allocate(51).put((byte) 0x21).put(cardId(c)).putInt((int) counter).putInt((int) PRICE)
          .putInt(0).putInt((int) (LOADED - PRICE * counter)).putShort((short) 156).put(posId(p)).put(challenge).array();
      byte[] signature = signatures[c];
      byte[] tac = TransitTac.tac(suite, tacKeys[c], (int) (counter & 0xFFFF), input);
      out.add(new WalletDayFile.Purchase(input, tac, signature, j + 1, signature));
    }
    return out;
  }

  private static byte[] cardId(int c) {
    return ByteBuffer.allocate(8).putLong(0x6210_0000_0000_0000L + c).array();
  }

  private static byte[] posId(int p) {
    return ByteBuffer.allocate(8).putLong(0x5000_0000_0000_0000L + p).array();
  }
}
