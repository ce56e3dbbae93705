package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.ConsistencyProof;
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

/** {@code iotpay audit check-proof FILE}: checks an inclusion or consistency proof printed by {@code audit prove}. */
@Command(
    name = "check-proof",
    mixinStandardHelpOptions = true,
    description = {
      "Check an inclusion or consistency proof (JSON from 'audit prove', or a payment's proof from the HTTP API's",
      "GET /v1/payments/{device}/{counter}/proof): exit 0 if it holds, 1 if not.",
      "Needs --public-key (the proof must carry checkpoints signed by that key) or --self-consistency-only",
      "(the path is checked against the proof's own root, which nothing then vouches for)."
    })
public final class CheckProofCommand extends AuditSubcommand {
  /** Largest proof file accepted: a proof with a 16 MiB entry in hex, plus the rest. */
  static final long PROOF_BYTES_MAX = 34L * 1024 * 1024;

  @Parameters(index = "0", paramLabel = "FILE", description = "the proof (JSON)")
  Path file;

  @Option(names = "--public-key", paramLabel = "PEM", description = "require a checkpoint signed by this key")
  Path publicKey;

  @Option(names = "--self-consistency-only", description = "without --public-key: check the proof's arithmetic only, and say so")
  boolean selfConsistencyOnly;

  @Override
  int execute() throws IOException {
    AuditCli.requireKeyRule(publicKey, selfConsistencyOnly, "audit check-proof");
    if (!Files.isRegularFile(file)) {
      throw new AuditInputException("no proof file at " + file);
    }
    if (Files.size(file) > PROOF_BYTES_MAX) {
      throw new AuditInputException(file + ": larger than " + PROOF_BYTES_MAX + " bytes");
    }
    JsonNode json = parse(Files.readString(file, StandardCharsets.UTF_8));
    ObjectNode node = AuditCli.JSON.createObjectNode();
    Optional<String> problem;
    String holds;
    if (json.has("firstSize")) {
      ConsistencyProof proof = ConsistencyProof.fromJson(json, file.toString());
      problem = proof.problem(trusted(proof.suite()));
      node.put("valid", problem.isEmpty()).put("kind", "consistency");
      node.put("firstSize", proof.firstSize()).put("secondSize", proof.secondSize());
      holds = "the tree of " + proof.secondSize() + " leaves extends the tree of " + proof.firstSize();
    } else if (json.has("proofs") && json.get("proofs").isArray() && !json.get("proofs").isEmpty()) {
      // A payment's proof as the HTTP API answers it (GET /v1/payments/{device}/{counter}/proof): every version must hold.
      problem = Optional.empty();
      int versions = 0;
      for (JsonNode entry : json.get("proofs")) {
        InclusionProof proof = InclusionProof.fromJson(entry.path("proof"), file.toString());
        problem = proof.problem(trusted(proof.suite())).map(reason -> "version " + entry.path("version").asText() + ": " + reason);
        versions++;
        if (problem.isPresent()) {
          break;
        }
      }
      node.put("valid", problem.isEmpty()).put("kind", "payment").put("versions", versions);
      holds = "each of the payment's " + versions + " decision version(s) is in the audit log";
    } else {
      InclusionProof proof = InclusionProof.fromJson(json, file.toString());
      problem = proof.problem(trusted(proof.suite()));
      node.put("valid", problem.isEmpty()).put("kind", "inclusion");
      node.put("leafIndex", proof.leafIndex()).put("treeSize", proof.treeSize());
      holds = "leaf " + proof.leafIndex() + " is in the tree of " + proof.treeSize() + " leaves";
    }
    node.put("signedCheckpointChecked", publicKey != null);
    node.put("selfConsistencyOnly", selfConsistencyOnly);
    if (problem.isPresent()) {
      node.put("reason", problem.get());
    }
    out().println(AuditCli.json(node));
    if (problem.isPresent()) {
      err().println("audit check-proof: INVALID: " + problem.get());
      return AuditCommand.EXIT_NOT_VERIFIED;
    }
    err().println(publicKey != null
        ? "audit check-proof: OK (" + holds + ", roots signed by a trusted key)"
        : "audit check-proof: OK, SELF-CONSISTENCY ONLY (" + holds + " under the proof's own roots; no key vouches for them)");
    return 0;
  }

  private Map<String, PublicKey> trusted(AlgorithmSuite suite) {
    return publicKey == null ? Map.of() : AuditCli.readPublicKeys(publicKey, suite);
  }

  private JsonNode parse(String text) {
    try {
      return AuditCli.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AuditInputException(file + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }
}
