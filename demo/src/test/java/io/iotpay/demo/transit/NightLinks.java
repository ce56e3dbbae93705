package io.iotpay.demo.transit;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.pki.FileSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The transport between the night's party processes ({@link NightKillTest}): one directory per
 * link, {@code <root>/<from>-<to>/}, the receiver's inbox from that sender. A file travels with its
 * signature ({@code <name>.sig}, docs/signed-files.md), and a receiver never sees one without the
 * other:
 *
 * <ul>
 *   <li>to the switch ({@link #post}): the pair is copied into a hidden staging directory that is
 *       then renamed into the inbox whole, one directory per delivery ({@code
 *       <millis>-<random>-<name>/}); the switch takes the deliveries in name order and moves each,
 *       once handled, to {@code done/} or {@code refused/} ({@link #deliveries});
 *   <li>from the switch ({@link #deliver}): into a known place ({@code <inbox>/<window>/clearing.txt},
 *       …) that the receiver reads when told to; the signature first, then the file, each copied to
 *       a hidden temporary name and renamed (a delivery again replaces them with the same bytes).
 * </ul>
 *
 * <p>The switch answers an offline, exception or deny-list file with a receipt
 * ({@code <name>.receipt} in its link back to the sender): the {@link IntakeReceipt} the in-process
 * call returns, as five lines. A receipt is not signed (what it says is booked by the operator as
 * revenue receivable; what it is paid comes from the signed settlement report).
 */
final class NightLinks {
  /** The night's parties, as their processes and link directories name them. */
  enum Role { OPERATOR, SWITCH, ISSUER }

  static final String RECEIPT_SUFFIX = ".receipt";
  static final String SIGNATURE_SUFFIX = ".sig";
  static final String DONE = "done";
  static final String REFUSED = "refused";
  /** A settlement window's files from the switch, in {@code <inbox>/<window date>/}. */
  static final String CLEARING = "clearing.txt";
  static final String SETTLEMENT = "settlement.txt";
  static final String NOTICE = "notice.txt";
  /** The deny lists the switch relays to the operator, in {@code <inbox>/denylists/}. */
  static final String DENY_LISTS = "denylists";
  /** How long a sender waits for the switch's receipt: long enough for a killed switch to restart. */
  static final long RECEIPT_WAIT_MS = 120_000;
  static final long POLL_MS = 10;
  private static final int RECEIPT_BYTES_MAX = 4_096;
  private static final int RECEIPT_LINES = 5;

  private final Path root;

  NightLinks(Path root) {
    this.root = root;
  }

  /** The receiver's inbox from {@code from} (created owner-only when missing). */
  Path inbox(Role from, Role to) {
    return PartyFiles.ownerOnlyDirectory(root.resolve(from.name().toLowerCase(java.util.Locale.ROOT) + "-"
        + to.name().toLowerCase(java.util.Locale.ROOT)));
  }

  /** Every link directory, with its sender and receiver. */
  List<Link> links() {
    return List.of(new Link(Role.OPERATOR, Role.SWITCH, inbox(Role.OPERATOR, Role.SWITCH)),
        new Link(Role.ISSUER, Role.SWITCH, inbox(Role.ISSUER, Role.SWITCH)),
        new Link(Role.SWITCH, Role.OPERATOR, inbox(Role.SWITCH, Role.OPERATOR)),
        new Link(Role.SWITCH, Role.ISSUER, inbox(Role.SWITCH, Role.ISSUER)));
  }

  /** One link: files from {@code from} to {@code to} arrive in {@code directory}. */
  record Link(Role from, Role to, Path directory) {}

  /**
   * Delivers {@code file} and its signature into {@code directory} as {@code name} (and
   * {@code name.sig}), each atomically; a delivery again replaces the earlier copy.
   *
   * @return the delivered file
   */
  static Path deliver(Path file, Path directory, String name) {
    Path target = PartyFiles.ownerOnlyDirectory(directory).resolve(name);
    copyAtomically(FileSigner.signaturePath(file), FileSigner.signaturePath(target));
    copyAtomically(file, target);
    return target;
  }

  private static void copyAtomically(Path from, Path to) {
    Path temporary = to.resolveSibling("." + to.getFileName() + ".tmp");
    try {
      Files.copy(from, temporary, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temporary, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot deliver " + from + " to " + to, e);
    }
  }

  /**
   * Posts {@code file} and its signature into {@code inbox} as one new delivery directory, renamed
   * into place whole.
   *
   * @return the delivery directory
   */
  static Path post(Path file, Path inbox) {
    String name = file.getFileName().toString();
    Path staging = inbox.resolve(".staging-" + UUID.randomUUID());
    Path delivery = inbox.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8) + "-"
        + name);
    try {
      Files.createDirectories(staging);
      Files.copy(FileSigner.signaturePath(file), staging.resolve(name + SIGNATURE_SUFFIX));
      Files.copy(file, staging.resolve(name));
      Files.move(staging, delivery, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot post " + file + " to " + inbox, e);
    }
    return delivery;
  }

  /** The deliveries waiting in {@code inbox}, in name order: the file of each (its signature beside it). */
  static List<Path> deliveries(Path inbox) {
    try (Stream<Path> list = Files.list(inbox)) {
      return list.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && !d.getFileName().toString().startsWith(".")
          && !d.getFileName().toString().equals(DONE) && !d.getFileName().toString().equals(REFUSED)).sorted()
          .map(NightLinks::fileOf).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + inbox, e);
    }
  }

  private static Path fileOf(Path delivery) {
    String name = delivery.getFileName().toString();
    return delivery.resolve(name.substring(name.indexOf('-', name.indexOf('-') + 1) + 1));
  }

  /** Moves a handled delivery (the directory of {@code file}) to the inbox's {@code done/} or {@code refused/}. */
  static void file(Path file, boolean taken) {
    Path delivery = file.getParent();
    Path to = PartyFiles.ownerOnlyDirectory(delivery.resolveSibling(taken ? DONE : REFUSED)).resolve(delivery.getFileName());
    try {
      Files.move(delivery, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot file " + delivery, e);
    }
  }

  /**
   * Sends {@code file} to the switch and waits for its receipt: the cross-process form of the
   * switch's {@code receive} and {@code receiveExceptions}. A receipt of an earlier delivery of the
   * same file is dropped first (a file of the same name is the same file: the sender numbers them;
   * the switch answers a file it has with its first receipt).
   *
   * @throws IllegalStateException when no receipt comes within {@link #RECEIPT_WAIT_MS}
   */
  IntakeReceipt callSwitch(Role self, Path file) {
    String name = file.getFileName().toString();
    Path receipt = inbox(Role.SWITCH, self).resolve(name + RECEIPT_SUFFIX);
    try {
      Files.deleteIfExists(receipt);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot drop the old receipt " + receipt, e);
    }
    post(file, inbox(self, Role.SWITCH));
    return readReceipt(await(receipt, RECEIPT_WAIT_MS));
  }

  /** Waits until {@code file} exists. */
  static Path await(Path file, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + file.getFileName() + " within " + timeoutMs + " ms");
      }
      try {
        Thread.sleep(POLL_MS); // polling the link directory, as PartyInbox does
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + file, e);
      }
    }
    return file;
  }

  /** Writes the switch's answer to {@code name} into {@code directory}, atomically. */
  static void writeReceipt(Path directory, String name, IntakeReceipt receipt) {
    String text = String.join("\n", receipt.status().name(), Long.toString(receipt.recordsAccepted()),
        Long.toString(receipt.recordsRefused()), Long.toString(receipt.faresAcceptedMinor()),
        receipt.reason().replaceAll("[\\r\\n]", " ")) + "\n";
    PartyFiles.writeOwnerOnly(directory.resolve(name + RECEIPT_SUFFIX), text);
  }

  /**
   * Reads a receipt written by {@link #writeReceipt}.
   *
   * @throws ProtocolException when it is larger than 4 KiB, has not five lines, or a field does not parse
   */
  static IntakeReceipt readReceipt(Path file) {
    try {
      if (Files.size(file) > RECEIPT_BYTES_MAX) {
        throw new ProtocolException("receipt " + file.getFileName() + ": larger than " + RECEIPT_BYTES_MAX + " bytes");
      }
      List<String> lines = Files.readString(file, StandardCharsets.UTF_8).lines().toList();
      if (lines.size() != RECEIPT_LINES) {
        throw new ProtocolException("receipt " + file.getFileName() + ": " + lines.size() + " lines, expected "
            + RECEIPT_LINES);
      }
      return new IntakeReceipt(IntakeStatus.valueOf(lines.get(0)), Long.parseLong(lines.get(1)),
          Long.parseLong(lines.get(2)), Long.parseLong(lines.get(3)), lines.get(4));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("receipt " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
