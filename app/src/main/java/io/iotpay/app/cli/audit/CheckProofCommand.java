package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.InclusionProof;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iotpay audit check-proof FILE}: checks an inclusion proof printed by {@code audit prove}. */
@Command(
    name = "check-proof",
    mixinStandardHelpOptions = true,
    description = {
      "Check an inclusion proof (JSON from 'audit prove'): exit 0 if it holds, 1 if not.",
      "With --public-key the proof must also carry a checkpoint signed by that key."
    })
public final class CheckProofCommand extends AuditSubcommand {
  /** Largest proof file accepted: a proof with a 16 MiB entry in hex, plus the rest. */
  static final long PROOF_BYTES_MAX = 34L * 1024 * 1024;

  @Parameters(index = "0", paramLabel = "FILE", description = "the proof (JSON)")
  Path file;

  @Option(names = "--public-key", paramLabel = "PEM", description = "require a checkpoint signed by this key")
  Path publicKey;

  @Override
  int execute() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new AuditInputException("no proof file at " + file);
    }
    if (Files.size(file) > PROOF_BYTES_MAX) {
      throw new AuditInputException(file + ": larger than " + PROOF_BYTES_MAX + " bytes");
    }
    InclusionProof proof = InclusionProof.fromJson(parse(Files.readString(file, StandardCharsets.UTF_8)), file.toString());
    Map<String, PublicKey> trusted = publicKey == null ? Map.of() : AuditCli.readPublicKeys(publicKey, proof.suite());
    Optional<String> problem = proof.problem(trusted);
    ObjectNode node = AuditCli.JSON.createObjectNode();
    node.put("valid", problem.isEmpty());
    node.put("leafIndex", proof.leafIndex());
    node.put("treeSize", proof.treeSize());
    node.put("signedCheckpointChecked", publicKey != null);
    if (problem.isPresent()) {
      node.put("reason", problem.get());
    }
    out().println(AuditCli.json(node));
    if (problem.isPresent()) {
      err().println("audit check-proof: INVALID: " + problem.get());
      return AuditCommand.EXIT_NOT_VERIFIED;
    }
    err().println("audit check-proof: OK (leaf " + proof.leafIndex() + " is in the tree of " + proof.treeSize() + " leaves"
        + (publicKey != null ? ", root signed by a trusted key)" : "; pass --public-key to check who signed the root)"));
    return 0;
  }

  private JsonNode parse(String text) {
    try {
      return AuditCli.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AuditInputException(file + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }
}
