package io.iotpay.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer vectors for RFC 6962 / RFC 9162 §2.1 trees with SHA-256.
 *
 * <p>Source: the 8-leaf data set of the Certificate Transparency reference implementations, as
 * published in transparency-dev/merkle {@code proof/verify_test.go} (commit 02194e9a…, variables
 * {@code leaves}, {@code roots}, {@code inclusionProofs}, {@code consistencyProofs}; the same set
 * appears in google/certificate-transparency's merkle_tree_test). In that file inclusion vectors
 * name the leaf 1-based ({@code p.leaf-1} is the index); here they are converted to 0-based.
 */
class MerkleTreeVectorsTest {
  static final List<String> LEAVES =
      List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f");

  /** MTH of the first 1, 2, …, 8 leaves. */
  static final List<String> ROOTS =
      List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  record InclusionVector(long leafIndex, long treeSize, List<String> path) {}

  record ConsistencyVector(long firstSize, long secondSize, List<String> proof) {}

  static final List<InclusionVector> INCLUSION =
      List.of(
          new InclusionVector(0, 1, List.of()),
          new InclusionVector(
              0,
              8,
              List.of(
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
          new InclusionVector(
              5,
              8,
              List.of(
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
          new InclusionVector(2, 3, List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
          new InclusionVector(
              1,
              5,
              List.of(
                  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

  static final List<ConsistencyVector> CONSISTENCY =
      List.of(
          new ConsistencyVector(1, 1, List.of()),
          new ConsistencyVector(
              1,
              8,
              List.of(
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
          new ConsistencyVector(
              6,
              8,
              List.of(
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
          new ConsistencyVector(
              2,
              5,
              List.of(
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
          new ConsistencyVector(
              6,
              7,
              List.of(
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  static MerkleTree vectorTree(AlgorithmSuite suite) {
    MerkleTree tree = new MerkleTree(suite, 1024);
    for (String leaf : LEAVES) {
      tree.appendEntry(Hex.decode(leaf));
    }
    return tree;
  }

  static byte[] root(int size) {
    return Hex.decode(ROOTS.get(size - 1));
  }

  static List<String> hex(List<byte[]> hashes) {
    List<String> out = new ArrayList<>();
    for (byte[] hash : hashes) {
      out.add(Hex.encode(hash).toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }

  static List<byte[]> bytes(List<String> hashes) {
    return hashes.stream().map(Hex::decode).toList();
  }

  @Test
  void rootAtEverySize_matchesPublishedRoots() {
    MerkleTree tree = vectorTree(AlgorithmSuite.INTERNATIONAL);
    TreeFrontier frontier = new TreeFrontier(AlgorithmSuite.INTERNATIONAL);
    for (int size = 1; size <= LEAVES.size(); size++) {
      frontier.appendEntry(Hex.decode(LEAVES.get(size - 1)));
      assertThat(Hex.encode(tree.root(size))).isEqualToIgnoringCase(ROOTS.get(size - 1));
      assertThat(Hex.encode(frontier.root())).isEqualToIgnoringCase(ROOTS.get(size - 1));
    }
  }

  @Test
  void emptyTree_headIsHashOfEmptyString() {
    // RFC 9162 §2.1.1: MTH({}) = HASH(); SHA-256 of "" per FIPS 180-4 / the transparency-dev vectors.
    assertThat(Hex.encode(new MerkleTree(AlgorithmSuite.INTERNATIONAL, 1).root()))
        .isEqualToIgnoringCase("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void inclusionProofs_matchPublishedPaths_andVerify() {
    MerkleTree tree = vectorTree(AlgorithmSuite.INTERNATIONAL);
    for (InclusionVector vector : INCLUSION) {
      List<byte[]> path = tree.inclusionProof(vector.leafIndex(), vector.treeSize());
      assertThat(hex(path)).as("path %s", vector).isEqualTo(vector.path());
      byte[] leafHash = TreeHasher.of(AlgorithmSuite.INTERNATIONAL).leafHash(Hex.decode(LEAVES.get((int) vector.leafIndex())));
      assertThat(MerkleProofs.verifyInclusion(
              AlgorithmSuite.INTERNATIONAL, vector.leafIndex(), vector.treeSize(), leafHash, bytes(vector.path()), root((int) vector.treeSize())))
          .as("verify %s", vector)
          .isTrue();
    }
  }

  @Test
  void consistencyProofs_matchPublishedProofs_andVerify() {
    MerkleTree tree = vectorTree(AlgorithmSuite.INTERNATIONAL);
    for (ConsistencyVector vector : CONSISTENCY) {
      List<byte[]> proof = tree.consistencyProof(vector.firstSize(), vector.secondSize());
      assertThat(hex(proof)).as("proof %s", vector).isEqualTo(vector.proof());
      assertThat(MerkleProofs.verifyConsistency(
              AlgorithmSuite.INTERNATIONAL,
              vector.firstSize(),
              vector.secondSize(),
              root((int) vector.firstSize()),
              root((int) vector.secondSize()),
              bytes(vector.proof())))
          .as("verify %s", vector)
          .isTrue();
    }
  }

  @Test
  void publishedProofs_failWithSwappedRoots_orWrongSizes() {
    ConsistencyVector vector = CONSISTENCY.get(2);
    List<byte[]> proof = bytes(vector.proof());
    assertThat(MerkleProofs.verifyConsistency(AlgorithmSuite.INTERNATIONAL, 6, 8, root(8), root(6), proof)).isFalse();
    assertThat(MerkleProofs.verifyConsistency(AlgorithmSuite.INTERNATIONAL, 5, 8, root(6), root(8), proof)).isFalse();
    assertThat(MerkleProofs.verifyConsistency(AlgorithmSuite.INTERNATIONAL, 6, 8, root(6), root(8), List.of())).isFalse();
    InclusionVector inclusion = INCLUSION.get(2);
    byte[] leafHash = TreeHasher.of(AlgorithmSuite.INTERNATIONAL).leafHash(Hex.decode(LEAVES.get(5)));
    assertThat(MerkleProofs.verifyInclusion(AlgorithmSuite.INTERNATIONAL, 4, 8, leafHash, bytes(inclusion.path()), root(8))).isFalse();
    assertThat(MerkleProofs.verifyInclusion(AlgorithmSuite.INTERNATIONAL, 5, 16, leafHash, bytes(inclusion.path()), root(8))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyRootAndProof_upTo40Leaves_equalsNaiveRfcTranscription(AlgorithmSuite suite) {
    NaiveRfcTree naive = new NaiveRfcTree(suite);
    List<byte[]> entries = new ArrayList<>();
    MerkleTree tree = new MerkleTree(suite, 64);
    for (int i = 0; i < 40; i++) {
      byte[] entry = new byte[i % 7];
      java.util.Arrays.fill(entry, (byte) i);
      entries.add(entry);
      tree.appendEntry(entry);
    }
    for (int n = 1; n <= entries.size(); n++) {
      List<byte[]> d = entries.subList(0, n);
      assertThat(tree.root(n)).as("root %d", n).isEqualTo(naive.mth(d));
      for (int m = 0; m < n; m++) {
        assertThat(hex(tree.inclusionProof(m, n))).as("path %d of %d", m, n).isEqualTo(hex(naive.path(m, d)));
      }
      for (int m = 1; m <= n; m++) {
        assertThat(hex(tree.consistencyProof(m, n))).as("proof %d to %d", m, n).isEqualTo(hex(naive.proof(m, d)));
      }
    }
  }

  @Test
  void proofRequests_outsideTheTree_areRefusedWithTheBounds() {
    MerkleTree tree = vectorTree(AlgorithmSuite.NATIONAL);
    assertThatThrownBy(() -> tree.inclusionProof(8, 8)).isInstanceOf(AuditInputException.class).hasMessageContaining("leaf index 8 outside 0..7");
    assertThatThrownBy(() -> tree.inclusionProof(0, 9)).isInstanceOf(AuditInputException.class).hasMessageContaining("tree size 9");
    assertThatThrownBy(() -> tree.consistencyProof(0, 8)).isInstanceOf(AuditInputException.class).hasMessageContaining("first tree size 0");
    assertThatThrownBy(() -> tree.root(-1)).isInstanceOf(AuditInputException.class);
  }
}
