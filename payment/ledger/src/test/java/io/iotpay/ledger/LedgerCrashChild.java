package io.iotpay.ledger;

import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;

/**
 * The process {@link LedgerCrashTest} kills: opens a ledger on a SQLite file and submits random
 * batches forever, printing {@code ACK <id>} for every transfer once its batch is acknowledged.
 *
 * <p>Arguments: database file, run number (transfer ids of run r are r*10^9 + 1, 2, …), random seed,
 * and optionally {@code park-in-snapshot=N}: the writer then prints {@code SNAPSHOT-WRITING} once
 * the N-th snapshot's rows are written but not committed, and waits there to be killed.
 */
public final class LedgerCrashChild {
  static final int ACCOUNT_COUNT = 8;
  /** Account 3 may not overdraw, so some transfers are refused and some chains fail. */
  static final long GUARDED_ACCOUNT_ID = 3;
  /** Snapshots this often, so every restart starts from a snapshot and a tail. */
  static final long SNAPSHOT_EVERY_ENTRIES = 100;

  private LedgerCrashChild() {}

  public static void main(String[] args) throws Exception {
    String file = args[0];
    long run = Long.parseLong(args[1]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]) * 31 + run);
    PrintStream out = System.out;
    Database database = Database.open("jdbc:sqlite:" + file, 2);
    if (args.length > 3 && args[3].startsWith("park-in-snapshot=")) {
      int parkIn = Integer.parseInt(args[3].substring("park-in-snapshot=".length()));
      int[] snapshots = {0};
      DefaultLedger.snapshotWritingHook = () -> {
        if (++snapshots[0] == parkIn) {
          synchronized (out) {
            out.println("SNAPSHOT-WRITING");
            out.flush();
          }
          java.util.concurrent.locks.LockSupport.park(); // until SIGKILL
        }
      };
    }
    Ledger ledger = Ledger.open(database, LedgerConfig.defaults().withSnapshotEveryEntries(SNAPSHOT_EVERY_ENTRIES),
        Clock.systemUTC(), AuditJournal.none());
    List<Account> accounts = new ArrayList<>();
    for (long id = 1; id <= ACCOUNT_COUNT; id++) {
      accounts.add(new Account(id, 1, TestLedger.EUR,
          id == GUARDED_ACCOUNT_ID ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : AccountFlags.NONE));
    }
    ledger.createAccounts(accounts).join();
    Semaphore inFlight = new Semaphore(8);
    long nextId = run * 1_000_000_000L + 1;
    while (true) {
      inFlight.acquire();
      List<Transfer> batch = new ArrayList<>();
      int size = 1 + random.nextInt(40);
      for (int i = 0; i < size; i++) {
        long debit = 1 + random.nextInt(ACCOUNT_COUNT);
        long credit = 1 + (debit + random.nextInt(ACCOUNT_COUNT - 1)) % ACCOUNT_COUNT;
        Transfer transfer = Transfer.single(nextId++, debit, credit, 1 + random.nextInt(100));
        batch.add(i < size - 1 && random.nextInt(4) == 0 ? transfer.asLinked() : transfer);
      }
      ledger.submit(batch).whenComplete((results, failure) -> {
        synchronized (out) {
          if (failure != null) {
            out.println("ERROR " + failure);
          } else {
            for (int i = 0; i < results.size(); i++) {
              if (results.get(i) == TransferResult.OK) {
                out.println("ACK " + batch.get(i).id());
              }
            }
          }
          out.flush();
        }
        inFlight.release();
      });
    }
  }
}
