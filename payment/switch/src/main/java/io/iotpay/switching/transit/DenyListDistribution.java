package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.SignedDenyLists;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.switching.SwitchConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Takes issuers' deny list files and writes the current list of every issuer to each operator
 * (docs/clearing-files.md §6). Lists are kept in memory only. Thread-safe (synchronized).
 */
public final class DenyListDistribution {
  private final SwitchConfig config;
  private final List<PartyId> issuers;
  private final Path outDirectory;
  private final Map<PartyId, DenyList> denyLists = new TreeMap<>(SwitchConfig.PARTY_ORDER);
  private final FileTrust trust;
  private final SignedDenyLists acceptance;

  /**
   * @param issuers the issuers whose lists are taken (those with a card range)
   * @param outDirectory where the files for operators go; must exist
   */
  public DenyListDistribution(SwitchConfig config, List<PartyId> issuers, Path outDirectory) {
    this(config, issuers, outDirectory, null);
  }

  /**
   * As {@link #DenyListDistribution(SwitchConfig, List, Path)}, with signed lists: an issuer's list
   * is taken only with the issuer's valid signature and a version within the bound of
   * {@link SignedDenyLists} past the one held; the files written for operators are signed by the
   * switch (a relay: the header's sender stays the issuer).
   *
   * @param trust the switch's signer and verifier; null for unsigned lists (unit tests of the file logic)
   */
  public DenyListDistribution(SwitchConfig config, List<PartyId> issuers, Path outDirectory, FileTrust trust) {
    this.trust = trust;
    this.acceptance = trust == null ? null : new SignedDenyLists(trust.verifier(),
        SignedDenyLists.VERSION_STEP_MAX_DEFAULT, config.limits());
    this.config = config;
    this.issuers = List.copyOf(issuers);
    this.outDirectory = outDirectory;
  }

  /**
   * Takes an issuer's deny list file; the highest version per issuer wins, older ones are ignored.
   *
   * @return true when this list became the issuer's current one
   * @throws ProtocolException when the file is malformed, not addressed to the switch, or its sender
   *     issues no card range here
   */
  public synchronized boolean publish(Path file) {
    if (acceptance != null) {
      return publishSigned(file);
    }
    DenyListFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = DenyListFile.read(in, config.limits());
    } catch (IOException e) {
      throw new ProtocolException("deny list " + file.getFileName() + ": cannot read: " + e.getMessage());
    }
    if (!read.header().receiver().equals(config.self()) || !issuers.contains(read.denyList().issuer())) {
      throw new ProtocolException("deny list " + file.getFileName() + ": from " + read.denyList().issuer() + " to "
          + read.header().receiver() + " is not an issuer's list for this switch");
    }
    DenyList current = denyLists.get(read.denyList().issuer());
    if (current != null && current.version() >= read.denyList().version()) {
      return false;
    }
    denyLists.put(read.denyList().issuer(), read.denyList());
    return true;
  }

  /**
   * The signed path: verified (signature by the issuer itself, version bound) before it is parsed; an
   * issuer's list at or below the version held is not taken (false), as in the unsigned path.
   *
   * @throws SignedFileException for every other refusal (FORGED, WRONG_SENDER, VERSION_JUMP, …); nothing changes
   */
  private boolean publishSigned(Path file) {
    DenyList list;
    try {
      list = acceptance.accept(file, issuer -> {
        DenyList held = denyLists.get(issuer);
        return held == null ? 0 : held.version();
      });
    } catch (SignedFileException e) {
      if (e.reason() == SignedFileException.Reason.REPLAYED) {
        return false;
      }
      throw e;
    }
    if (!issuers.contains(list.issuer())) {
      throw new ProtocolException("deny list " + file.getFileName() + ": " + list.issuer()
          + " issues no card range here");
    }
    denyLists.put(list.issuer(), list);
    return true;
  }

  /** The current deny list of every issuer that published one. */
  public synchronized List<DenyList> denyLists() {
    return List.copyOf(denyLists.values());
  }

  /**
   * Writes the current deny list of every issuer as files addressed to {@code operator}.
   *
   * @return the files, one per issuer with a list
   * @throws UncheckedIOException when a file cannot be written
   */
  public synchronized List<Path> filesFor(PartyId operator, LocalDate businessDate) {
    List<Path> files = new ArrayList<>();
    for (DenyList list : denyLists.values()) {
      Path path = outDirectory.resolve("denylist-" + list.issuer().value() + "-v" + list.version() + "-for-"
          + operator.value() + ".txt");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path))) {
        DenyListFile.write(out, operator, businessDate, list);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write deny list " + path, e);
      }
      if (trust != null) {
        trust.signer().sign(path, FileKind.DENY_LIST);
      }
      files.add(path);
    }
    return Collections.unmodifiableList(files);
  }
}
