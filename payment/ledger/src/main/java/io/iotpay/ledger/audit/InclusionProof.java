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
 * A self-contained inclusion proof: leaf {@code leafIndex} with hash {@code leafHash} is in the tree
 * of {@code treeSize} leaves whose head is {@code root}; optionally with the entry bytes and the
 * signed checkpoint at that size, so a holder of the public key can check who vouches for the root.
 *
 * @param entry the leaf's entry bytes, or null when the proof omits them
 * @param checkpoint the signed checkpoint at {@code treeSize}, or null when none was signed there
 */
public record InclusionProof(
    AlgorithmSuite suite, long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root, byte[] entry, Checkpoint checkpoint) {
  /** Most path elements accepted: a tree of 2^63 leaves has 63. */
  public static final int PATH_ELEMENTS_MAX = 64;

  /**
   * Checks the proof: entry hashes to the leaf hash (when present), the path leads to the root, the
   * checkpoint (when present) is for this size and root, and, when {@code trustedKeys} is not empty,
   * that the checkpoint is present and signed by one of them.
   *
   * @return empty when the proof holds, else what does not
   */
  public Optional<String> problem(Map<String, PublicKey> trustedKeys) {
    if (entry != null && !MessageDigest.isEqual(TreeHasher.of(suite).leafHash(entry), leafHash)) {
      return Optional.of("the entry does not hash to leafHash");
    }
    if (!MerkleProofs.verifyInclusion(suite, leafIndex, treeSize, leafHash, path, root)) {
      return Optional.of("the path does not lead from leaf " + leafIndex + " to the root of tree size " + treeSize);
    }
    if (checkpoint != null && (checkpoint.treeSize() != treeSize || !MessageDigest.isEqual(checkpoint.rootHash(), root))) {
      return Optional.of("checkpoint " + checkpoint.number() + " is not for this tree size and root");
    }
    if (trustedKeys.isEmpty()) {
      return Optional.empty();
    }
    if (checkpoint == null) {
      return Optional.of("no signed checkpoint in the proof, so no key vouches for the root");
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
    node.put("leafIndex", leafIndex);
    node.put("treeSize", treeSize);
    node.put("leafHash", Hex.encode(leafHash));
    ArrayNode pathNode = node.putArray("path");
    path.forEach(hash -> pathNode.add(Hex.encode(hash)));
    node.put("root", Hex.encode(root));
    if (entry != null) {
      node.put("entry", Hex.encode(entry));
    }
    if (checkpoint != null) {
      node.set("checkpoint", AuditExport.checkpointToJson(checkpoint));
    }
    return node;
  }

  /**
   * A proof from its JSON form.
   *
   * @throws AuditInputException naming {@code where} and the field that is missing or malformed
   */
  public static InclusionProof fromJson(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new AuditInputException(where + ": not a JSON object");
    }
    try {
      JsonNode pathNode = node.get("path");
      if (pathNode == null || !pathNode.isArray() || pathNode.size() > PATH_ELEMENTS_MAX) {
        throw new AuditInputException(where + ": field 'path' missing, not an array or longer than " + PATH_ELEMENTS_MAX);
      }
      List<byte[]> path = new ArrayList<>();
      for (JsonNode element : pathNode) {
        if (!element.isTextual()) {
          throw new AuditInputException(where + ": path element " + path.size() + " is not a string");
        }
        path.add(Hex.decode(element.asText()));
      }
      JsonNode entryNode = node.get("entry");
      JsonNode checkpointNode = node.get("checkpoint");
      return new InclusionProof(
          AlgorithmSuite.byName(AuditExport.requiredText(node, "suite", where)),
          AuditExport.requiredLong(node, "leafIndex", where),
          AuditExport.requiredLong(node, "treeSize", where),
          Hex.decode(AuditExport.requiredText(node, "leafHash", where)),
          path,
          Hex.decode(AuditExport.requiredText(node, "root", where)),
          entryNode == null || entryNode.isNull() ? null : Hex.decode(AuditExport.requiredText(node, "entry", where)),
          checkpointNode == null || checkpointNode.isNull() ? null : AuditExport.checkpointFromJson(checkpointNode, where + " checkpoint"));
    } catch (AuditInputException e) {
      throw e;
    } catch (InvalidInputException e) {
      throw new AuditInputException(where + ": " + e.getMessage(), e);
    }
  }
}
