package io.iotpay.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Random trees, both suites: every proof verifies; any one flipped bit makes it fail. */
class MerkleProofProperties {

  private static MerkleTree randomTree(AlgorithmSuite suite, int size, long seed) {
    Random random = new Random(seed);
    MerkleTree tree = new MerkleTree(suite, size);
    for (int i = 0; i < size; i++) {
      byte[] entry = new byte[random.nextInt(40)];
      random.nextBytes(entry);
      tree.appendEntry(entry);
    }
    return tree;
  }

  private static byte[] flipped(byte[] hash, int bit) {
    byte[] copy = hash.clone();
    int at = Math.floorMod(bit, copy.length * 8);
    copy[at / 8] ^= (byte) (1 << (at % 8));
    return copy;
  }

  private static List<byte[]> flippedAt(List<byte[]> proof, int element, int bit) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.set(element, flipped(proof.get(element), bit));
    return copy;
  }

  @Property(tries = 300)
  void inclusionProof_verifies_andAnyFlippedBitFails(
      @ForAll AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int indexSeed,
      @ForAll @IntRange(min = 0, max = 299) int sizeSeed,
      @ForAll @IntRange(min = 0, max = 255) int bit,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    MerkleTree tree = randomTree(suite, size, seed);
    long treeSize = 1 + sizeSeed % size;
    long leafIndex = indexSeed % treeSize;
    List<byte[]> path = tree.inclusionProof(leafIndex, treeSize);
    byte[] leafHash = tree.leafHash(leafIndex);
    byte[] root = tree.root(treeSize);

    assertThat(MerkleProofs.verifyInclusion(suite, leafIndex, treeSize, leafHash, path, root)).isTrue();
    assertThat(MerkleProofs.verifyInclusion(suite, leafIndex, treeSize, flipped(leafHash, bit), path, root)).isFalse();
    assertThat(MerkleProofs.verifyInclusion(suite, leafIndex, treeSize, leafHash, path, flipped(root, bit))).isFalse();
    for (int element = 0; element < path.size(); element++) {
      assertThat(MerkleProofs.verifyInclusion(suite, leafIndex, treeSize, leafHash, flippedAt(path, element, bit), root))
          .as("flipped bit %d of path[%d]", bit, element)
          .isFalse();
    }
  }

  @Property(tries = 300)
  void consistencyProof_verifies_andAnyFlippedBitFails(
      @ForAll AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int firstSeed,
      @ForAll @IntRange(min = 0, max = 299) int secondSeed,
      @ForAll @IntRange(min = 0, max = 255) int bit,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    MerkleTree tree = randomTree(suite, size, seed);
    long secondSize = 1 + secondSeed % size;
    long firstSize = 1 + firstSeed % secondSize;
    List<byte[]> proof = tree.consistencyProof(firstSize, secondSize);
    byte[] firstRoot = tree.root(firstSize);
    byte[] secondRoot = tree.root(secondSize);

    assertThat(MerkleProofs.verifyConsistency(suite, firstSize, secondSize, firstRoot, secondRoot, proof)).isTrue();
    assertThat(MerkleProofs.verifyConsistency(suite, firstSize, secondSize, flipped(firstRoot, bit), secondRoot, proof)).isFalse();
    assertThat(MerkleProofs.verifyConsistency(suite, firstSize, secondSize, firstRoot, flipped(secondRoot, bit), proof)).isFalse();
    for (int element = 0; element < proof.size(); element++) {
      assertThat(MerkleProofs.verifyConsistency(suite, firstSize, secondSize, firstRoot, secondRoot, flippedAt(proof, element, bit)))
          .as("flipped bit %d of proof[%d]", bit, element)
          .isFalse();
    }
  }

  @Property(tries = 100)
  void frontierRoot_equalsTreeRoot_atEverySize(
      @ForAll AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 200) int size,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    MerkleTree tree = randomTree(suite, size, seed);
    TreeFrontier frontier = new TreeFrontier(suite);
    for (long n = 1; n <= size; n++) {
      frontier.appendLeafHash(tree.leafHash(n - 1));
      assertThat(frontier.root()).as("size %d", n).isEqualTo(tree.root(n));
    }
  }
}
