package io.iotpay.app.cli.audit;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditExport;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.BoundedLines;
import io.iotpay.ledger.audit.TreeFrontier;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iotpay audit root}: the RFC 9162 tree head of the leaves in a file (one hex leaf per line;
 * an empty line is the empty leaf). The check against published test vectors.
 */
@Command(
    name = "root",
    mixinStandardHelpOptions = true,
    description = "Print the RFC 9162 tree head (hex) of the leaves in FILE, one hex leaf per line.")
public final class RootCommand extends AuditSubcommand {
  /** Longest line accepted: a 16 MiB leaf in hex. */
  static final int LINE_CHARS_MAX = 32 * 1024 * 1024;

  @Option(names = "--suite", required = true, paramLabel = "INTERNATIONAL|NATIONAL", description = "SHA-256 (INTERNATIONAL) or SM3 (NATIONAL)")
  String suite;

  @Option(names = "--leaves", required = true, paramLabel = "FILE", description = "one hex leaf per line")
  Path leaves;

  @Override
  int execute() throws IOException {
    TreeFrontier frontier = new TreeFrontier(AlgorithmSuite.byName(suite));
    if (!Files.isRegularFile(leaves)) {
      throw new AuditInputException("no leaves file at " + leaves);
    }
    try (BufferedReader reader = Files.newBufferedReader(leaves, StandardCharsets.US_ASCII)) {
      BoundedLines lines = new BoundedLines(reader, LINE_CHARS_MAX, leaves.toString());
      for (String line = lines.next(); line != null; line = lines.next()) {
        frontier.appendEntry(AuditExport.decodeLeaf(line, leaves + " line " + lines.lineNumber()));
      }
    }
    out().println(Hex.encode(frontier.root()).toLowerCase(Locale.ROOT));
    err().println("audit root: " + frontier.size() + " leaves");
    return 0;
  }
}
