package io.iotpay.ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A self-contained consistency proof: the tree of {@code secondSize} leaves (head {@code secondRoot})
 * extends the tree of {@code firstSize} leaves (head {@code firstRoot}), i.e. history up to
 * {@code firstSize} was not rewritten. Optionally with the signed checkpoints at both sizes.
 *
 * @param firstCheckpoint the checkpoint signed at {@code firstSize}, or null
 * @param secondCheckpoint the checkpoint signed at {@code secondSize}, or null
 */
public record ConsistencyProof(
    AlgorithmSuite suite,
    long firstSize,
    long secondSize,
    byte[] firstRoot,
    byte[] secondRoot,
    List<byte[]> proof,
    Checkpoint firstCheckpoint,
    Checkpoint secondCheckpoint) {

  /**
   * Checks the proof (RFC 9162 §2.1.4.2), that each checkpoint present is for its size and root, and,
   * when {@code trustedKeys} is not empty, that both checkpoints are present and signed by one of them.
   *
   * @return empty when the proof holds, else what does not
   */
  public Optional<String> problem(Map<String, PublicKey> trustedKeys) {
    if (!MerkleProofs.verifyConsistency(suite, firstSize, secondSize, firstRoot, secondRoot, proof)) {
      return Optional.of("the proof does not show that tree size " + secondSize + " extends tree size " + firstSize);
    }
    Optional<String> first = checkpointProblem(firstCheckpoint, firstSize, firstRoot, trustedKeys);
    return first.isPresent() ? first : checkpointProblem(secondCheckpoint, secondSize, secondRoot, trustedKeys);
  }

  private static Optional<String> checkpointProblem(Checkpoint checkpoint, long size, byte[] root, Map<String, PublicKey> trustedKeys) {
    if (checkpoint != null && (checkpoint.treeSize() != size || !MessageDigest.isEqual(checkpoint.rootHash(), root))) {
      return Optional.of("checkpoint " + checkpoint.number() + " is not for tree size " + size + " and its root");
    }
    if (trustedKeys.isEmpty()) {
      return Optional.empty();
    }
    if (checkpoint == null) {
      return Optional.of("no signed checkpoint for tree size " + size + ", so no key vouches for its root");
    }
    PublicKey key = trustedKeys.get(checkpoint.keyId());
    if (key == null || !checkpoint.signatureValidUnder(key)) {
      return Optional.of("checkpoint " + checkpoint.number() + " is not signed by a trusted key");
    }
    return Optional.empty();
  }

  /** The proof as JSON (hashes in hex). */
  public ObjectNode toJson(ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    node.put("suite", suite.name());
    node.put("firstSize", firstSize);
    node.put("secondSize", secondSize);
    node.put("firstRoot", Hex.encode(firstRoot));
    node.put("secondRoot", Hex.encode(secondRoot));
    ArrayNode proofNode = node.putArray("proof");
    proof.forEach(hash -> proofNode.add(Hex.encode(hash)));
    if (firstCheckpoint != null) {
      node.set("firstCheckpoint", AuditExport.checkpointToJson(firstCheckpoint));
    }
    if (secondCheckpoint != null) {
      node.set("secondCheckpoint", AuditExport.checkpointToJson(secondCheckpoint));
    }
    return node;
  }

  /**
   * A proof from its JSON form.
   *
   * @throws AuditInputException naming {@code where} and the field that is missing or malformed
   */
  public static ConsistencyProof fromJson(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new AuditInputException(where + ": not a JSON object");
    }
    try {
      JsonNode proofNode = node.get("proof");
      if (proofNode == null || !proofNode.isArray() || proofNode.size() > InclusionProof.PATH_ELEMENTS_MAX) {
        throw new AuditInputException(where + ": field 'proof' missing, not an array or longer than " + InclusionProof.PATH_ELEMENTS_MAX);
      }
      List<byte[]> proof = new ArrayList<>();
      for (JsonNode element : proofNode) {
        if (!element.isTextual()) {
          throw new AuditInputException(where + ": proof element " + proof.size() + " is not a string");
        }
        proof.add(Hex.decode(element.asText()));
      }
      return new ConsistencyProof(
          AlgorithmSuite.byName(AuditExport.requiredText(node, "suite", where)),
          AuditExport.requiredLong(node, "firstSize", where),
          AuditExport.requiredLong(node, "secondSize", where),
          Hex.decode(AuditExport.requiredText(node, "firstRoot", where)),
          Hex.decode(AuditExport.requiredText(node, "secondRoot", where)),
          proof,
          optionalCheckpoint(node, "firstCheckpoint", where),
          optionalCheckpoint(node, "secondCheckpoint", where));
    } catch (AuditInputException e) {
      throw e;
    } catch (InvalidInputException e) {
      throw new AuditInputException(where + ": " + e.getMessage(), e);
    }
  }

  private static Checkpoint optionalCheckpoint(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : AuditExport.checkpointFromJson(value, where + " " + field);
  }
}
