package io.iotpay.ledger.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable array of 32-byte hashes in fixed-size chunks. Chunks never move once allocated, so
 * growing costs no copying of earlier hashes and no single huge allocation.
 */
final class HashArray {
  /** At most 16,384 hashes = 512 KiB per chunk. */
  static final int CHUNK_HASHES_SHIFT_MAX = 14;

  private final int chunkHashesShift;
  private final int chunkHashes;
  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  /**
   * @param chunkHashesShift log2 of the hashes per chunk; upper tree levels hold few nodes, so they
   *     use small chunks rather than half a megabyte each
   */
  HashArray(int chunkHashesShift) {
    this.chunkHashesShift = chunkHashesShift;
    this.chunkHashes = 1 << chunkHashesShift;
  }

  long size() {
    return size;
  }

  /** Appends the 32 bytes at {@code offset} of {@code source}. */
  void add(byte[] source, int offset) {
    int slot = (int) (size & (chunkHashes - 1));
    if (slot == 0) {
      chunks.add(new byte[chunkHashes * TreeHasher.HASH_BYTES]);
    }
    System.arraycopy(source, offset, chunks.get(chunks.size() - 1), slot * TreeHasher.HASH_BYTES, TreeHasher.HASH_BYTES);
    size++;
  }

  /** The chunk holding hash {@code index}; pair with {@link #offsetOf}. */
  byte[] chunkOf(long index) {
    return chunks.get((int) (index >>> chunkHashesShift));
  }

  /** Byte offset of hash {@code index} inside its chunk. */
  int offsetOf(long index) {
    return (int) (index & (chunkHashes - 1)) * TreeHasher.HASH_BYTES;
  }

  /** A copy of hash {@code index}. */
  byte[] get(long index) {
    byte[] out = new byte[TreeHasher.HASH_BYTES];
    System.arraycopy(chunkOf(index), offsetOf(index), out, 0, TreeHasher.HASH_BYTES);
    return out;
  }
}
