package io.iotpay.protocol.party;

import io.iotpay.foundation.Assert;
import io.iotpay.protocol.pki.FileSigner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running party's file intake (docs/parties.md, "Day end and clearing"): every
 * {@code intervalMs} it takes each file of its watched directories, in name order, and hands it
 * to that directory's handler; a file the handler took moves to {@code done/}, a file it refused
 * to {@code refused/} under the watched directory, its signature ({@code <file>.sig}, signed-files.md)
 * with it; a signature is never handed to a handler itself. A file stays where it is while its handler
 * throws (the next round tries again) and after a kill -9 before the move: so every handler must
 * be idempotent, and each file is acted on once. Directories: {@code <dataDir>/control/}
 * (commands, e.g. {@code day-end-YYYY-MM-DD}, see {@link #writeDayEnd}), {@code
 * <dataDir>/clearing/in/} (files from other parties) and {@code <dataDir>/clearing/out/} (files
 * for them; carrying them over is the operator's file transfer, or the tests').
 */
public final class PartyInbox implements AutoCloseable {
  public static final String CONTROL_DIR = "control";
  public static final String CLEARING_DIR = "clearing";
  public static final String DONE = "done";
  public static final String REFUSED = "refused";
  public static final String DAY_END_PREFIX = "day-end-";
  public static final long INTERVAL_MS_DEFAULT = 200;
  /** A file's detached signature, {@code <file>.sig} ({@link FileSigner#signaturePath}): moved with its file. */
  public static final String SIGNATURE_SUFFIX = ".sig";
  private static final System.Logger LOG = System.getLogger(PartyInbox.class.getName());
  private static final int FILES_PER_ROUND_MAX = 1_000;

  /** What a handler did with a file. */
  public enum Outcome { DONE, REFUSED }

  /** Acts on one file; throwing leaves the file for the next round. */
  @FunctionalInterface
  public interface Handler {
    Outcome handle(Path file) throws Exception;
  }

  /** One watched directory and its handler. */
  public record Watch(Path directory, Handler handler) {
    public Watch {
      Assert.notNull(directory, "directory");
      Assert.notNull(handler, "handler");
    }
  }

  private final String name;
  private final List<Watch> watches;
  private final ScheduledExecutorService timer;

  private PartyInbox(String name, List<Watch> watches, ScheduledExecutorService timer) {
    this.name = name;
    this.watches = watches;
    this.timer = timer;
  }

  public static Path control(Path dataDir) {
    return dataDir.resolve(CONTROL_DIR);
  }

  public static Path in(Path dataDir) {
    return dataDir.resolve(CLEARING_DIR).resolve("in");
  }

  public static Path out(Path dataDir) {
    return dataDir.resolve(CLEARING_DIR).resolve("out");
  }

  /** Makes the watched directories (owner-only) and starts polling them every {@code intervalMs}. */
  public static PartyInbox start(String name, List<Watch> watches, long intervalMs) {
    Assert.that(intervalMs >= 10 && intervalMs <= 60_000, "intervalMs must be 10..60000");
    for (Watch w : watches) {
      PartyFiles.ownerOnlyDirectory(w.directory());
      PartyFiles.ownerOnlyDirectory(w.directory().resolve(DONE));
      PartyFiles.ownerOnlyDirectory(w.directory().resolve(REFUSED));
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "party-inbox-" + name);
      t.setDaemon(true);
      return t;
    });
    PartyInbox inbox = new PartyInbox(name, List.copyOf(watches), timer);
    timer.scheduleWithFixedDelay(inbox::pollOnce, 0, intervalMs, TimeUnit.MILLISECONDS);
    return inbox;
  }

  /** One round over every watched directory (what the timer runs). */
  void pollOnce() {
    for (Watch w : watches) {
      for (Path file : files(w.directory())) {
        Outcome outcome;
        try {
          outcome = w.handler().handle(file);
        } catch (Exception | AssertionError e) {
          LOG.log(System.Logger.Level.WARNING, "{0}: {1} not taken yet: {2}", name, file.getFileName(), e.toString());
          continue;
        }
        Path target = w.directory().resolve(outcome == Outcome.DONE ? DONE : REFUSED);
        try {
          Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          // Then its signature: a kill -9 in between leaves only the signature behind, which is never handed on.
          Path signature = FileSigner.signaturePath(file);
          if (Files.isRegularFile(signature, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(signature, target.resolve(signature.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "{0}: {1} could not be moved: {2}", name, file.getFileName(), e.toString());
        }
        LOG.log(System.Logger.Level.INFO, "{0}: {1} {2}", name, file.getFileName(), outcome);
      }
    }
  }

  private static List<Path> files(Path directory) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path p : stream) {
        String n = p.getFileName().toString();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !n.endsWith(".tmp") && !n.endsWith(SIGNATURE_SUFFIX)
            && !n.startsWith(".")) {
          files.add(p);
        }
        if (files.size() >= FILES_PER_ROUND_MAX) {
          break;
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot list {0}: {1}", directory, e.toString());
    }
    files.sort(null);
    return files;
  }

  /**
   * {@code iotpay party day-end}: writes the command {@code control/day-end-DATE} into the data
   * directory (owner-only, atomically); the running party acts on it once (or at its next start).
   */
  public static Path writeDayEnd(Path dataDir, LocalDate date) {
    Path control = PartyFiles.ownerOnlyDirectory(control(dataDir));
    Path file = control.resolve(DAY_END_PREFIX + date);
    PartyFiles.writeOwnerOnly(file, date + "\n");
    return file;
  }

  /** The date of a {@code day-end-YYYY-MM-DD} command file, or null when the name is not one. */
  public static LocalDate dayEndDate(Path file) {
    String n = file.getFileName().toString();
    if (!n.startsWith(DAY_END_PREFIX) || n.length() != DAY_END_PREFIX.length() + 10) {
      return null;
    }
    try {
      return LocalDate.parse(n.substring(DAY_END_PREFIX.length()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Stops polling (a round under way finishes first, up to 30 s). */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
