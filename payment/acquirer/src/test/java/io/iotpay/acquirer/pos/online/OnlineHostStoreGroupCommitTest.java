package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acquirer host's answer-path writes (a request before it is forwarded, an answer before it goes
 * to the terminal) are committed in groups: writes that queue while a commit runs share the next
 * commit; each caller returns only after the commit that holds its write; a write that fails inside
 * a group fails alone; and what was committed is there after the database is reopened.
 */
class OnlineHostStoreGroupCommitTest {
  @TempDir Path dir;

  @Test
  void writesQueuedDuringACommit_shareTheNextCommit_aFailingOneFailsAlone_allSurviveAReopen() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("acquirer.db");
    int later = 40;
    try (Database db = Database.open(url, 4)) {
      OnlineHostStore store = new OnlineHostStore(db);
      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch holding = new CountDownLatch(1);
      // Hold SQLite's write lock so the groups cannot commit until the writes have queued.
      Thread blocker = Thread.startVirtualThread(() -> {
        try {
          db.<Void, InterruptedException>writing(() -> {
            holding.countDown();
            hold.await();
            return null;
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      holding.await();
      CompletableFuture<Optional<Long>> first = CompletableFuture.supplyAsync(() -> store.insertRequest(row(0, "T0000001"),
          1), Thread::startVirtualThread);
      waitFor(() -> store.groupBusy() && store.groupQueued() == 0);
      List<CompletableFuture<Optional<Long>>> rest = new ArrayList<>();
      for (int i = 1; i <= later; i++) {
        int stan = i;
        rest.add(CompletableFuture.supplyAsync(() -> store.insertRequest(row(stan, "T0000001"), 1),
            Thread::startVirtualThread));
      }
      // One write that breaks a NOT NULL constraint: it must fail alone, not its group.
      CompletableFuture<Optional<Long>> bad = CompletableFuture.supplyAsync(() -> store.insertRequest(row(999, null), 1),
          Thread::startVirtualThread);
      waitFor(() -> store.groupQueued() == later + 1);
      assertThat(first).isNotDone();
      hold.countDown();
      blocker.join();
      assertThat(first.get()).isPresent();
      for (CompletableFuture<Optional<Long>> f : rest) {
        assertThat(f.get()).isPresent();
      }
      assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(AcquirerStoreException.class);
      assertThat(store.groupCommits()).isEqualTo(2);
      // A repeat of a committed request is recognised (empty), an answer is recorded once.
      assertThat(store.insertRequest(row(1, "T0000001"), 2)).isEmpty();
      long id = rest.get(0).get().orElseThrow();
      assertThat(store.answer(id, TransactionState.APPROVED, "00", "123456", new byte[] {1}, 3)).isTrue();
      assertThat(store.answer(id, TransactionState.APPROVED, "00", "123456", new byte[] {1}, 3)).isFalse();
    }
    try (Database db = Database.open(url, 2)) {
      OnlineHostStore reopened = new OnlineHostStore(db);
      for (int stan = 0; stan <= later; stan++) {
        assertThat(reopened.request("T0000001", stan, "1207090000", "0100")).as("stan %d", stan).isPresent();
      }
      assertThat(reopened.request("T0000001", 1, "1207090000", "0100").orElseThrow().state())
          .isEqualTo(TransactionState.APPROVED);
      assertThat(reopened.request("T0000001", 999, "1207090000", "0100")).isEmpty();
    }
  }

  private static OnlineHostStore.RequestRow row(int stan, String terminalId) {
    return new OnlineHostStore.RequestRow(0, terminalId, stan, "1207090000", "0100", "PURCHASE", "M1", "2026-12-07",
        String.format("%012d", stan), "621234******0001", 100, "CNY", TransactionState.SENT, null, null, null,
        new byte[] {1, 2, 3}, null);
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
