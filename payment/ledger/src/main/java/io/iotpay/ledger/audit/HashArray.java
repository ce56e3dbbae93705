package io.iotpay.ledger.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable array of 32-byte hashes in fixed-size chunks. Chunks never move once allocated, so
 * growing costs no copying of earlier hashes and no single huge allocation.
 */
final class HashArray {
  private static final int CHUNK_HASHES_SHIFT = 14;
  /** 16,384 hashes = 512 KiB per chunk. */
  private static final int CHUNK_HASHES = 1 << CHUNK_HASHES_SHIFT;

  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  /** Appends the 32 bytes at {@code offset} of {@code source}. */
  void add(byte[] source, int offset) {
    int slot = (int) (size & (CHUNK_HASHES - 1));
    if (slot == 0) {
      chunks.add(new byte[CHUNK_HASHES * TreeHasher.HASH_BYTES]);
    }
    System.arraycopy(source, offset, chunks.get(chunks.size() - 1), slot * TreeHasher.HASH_BYTES, TreeHasher.HASH_BYTES);
    size++;
  }

  /** The chunk holding hash {@code index}; pair with {@link #offsetOf}. */
  byte[] chunkOf(long index) {
    return chunks.get((int) (index >>> CHUNK_HASHES_SHIFT));
  }

  static int offsetOf(long index) {
    return (int) (index & (CHUNK_HASHES - 1)) * TreeHasher.HASH_BYTES;
  }

  /** A copy of hash {@code index}. */
  byte[] get(long index) {
    byte[] out = new byte[TreeHasher.HASH_BYTES];
    System.arraycopy(chunkOf(index), offsetOf(index), out, 0, TreeHasher.HASH_BYTES);
    return out;
  }
}
