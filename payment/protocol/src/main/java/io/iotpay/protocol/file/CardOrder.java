package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;
import java.util.Arrays;

/**
 * Sort entries of spooled record lines: the card-transaction key (PAN as text, PAN sequence, ATC)
 * packed in two longs, and where the line is in the spool. Sorting uses primitive arrays only (24
 * bytes per record, no object per record). Not thread-safe.
 *
 * <p>Key packing: the PAN's 12..19 digits, each digit d as d + 1 in base 11 and a missing digit as
 * 0, so that the packed numbers compare like the digit strings ("62" &lt; "621" &lt; "63"): digits
 * 1–10 in {@code high}, digits 11–19 with the PAN sequence (0..99) and the ATC (0..65535) in
 * {@code low}. 11^10 and 11^9 · 2^24 are both below 2^63.
 */
final class CardOrder {
  private static final int LENGTH_BITS = 17; // a line is at most 65,536 bytes and its newline
  private static final long LENGTH_MASK = (1L << LENGTH_BITS) - 1;
  private long[] high = new long[1024];
  private long[] low = new long[1024];
  /** offset &lt;&lt; 17 | length, so that equal keys keep arrival order when sorted. */
  private long[] place = new long[1024];
  private int size;
  private boolean sorted = true;

  void add(String panDigits, int panSequence, int atc, long offset, int length) {
    if (panDigits.length() > 19 || panSequence < 0 || panSequence > 0xFF || atc < 0 || atc > 0xFFFF
        || length < 1 || length > LENGTH_MASK) {
      throw new ProtocolException("spool: record key out of range (PAN of " + panDigits.length() + " digits, PSN "
          + panSequence + ", ATC " + atc + ", line of " + length + " bytes)");
    }
    if (size == high.length) {
      if (size == Integer.MAX_VALUE - 8) {
        throw new ProtocolException("spool: more than " + size + " records");
      }
      int grown = (int) Math.min(Integer.MAX_VALUE - 8, size * 2L);
      high = Arrays.copyOf(high, grown);
      low = Arrays.copyOf(low, grown);
      place = Arrays.copyOf(place, grown);
    }
    long h = 0;
    long l = 0;
    for (int i = 0; i < 19; i++) {
      int digit = i < panDigits.length() ? panDigits.charAt(i) - '0' + 1 : 0;
      if (i < 10) {
        h = h * 11 + digit;
      } else {
        l = l * 11 + digit;
      }
    }
    high[size] = h;
    low[size] = l << 24 | (long) panSequence << 16 | atc;
    place[size] = offset << LENGTH_BITS | length;
    if (size > 0 && sorted && compare(size - 1, size) > 0) {
      sorted = false;
    }
    size++;
  }

  int size() {
    return size;
  }

  /** Keeps the first {@code entries} (taking back later additions; only before a sort). */
  void truncate(int entries) {
    size = entries;
  }

  long offset(int i) {
    return place[i] >>> LENGTH_BITS;
  }

  int length(int i) {
    return (int) (place[i] & LENGTH_MASK);
  }

  /** Sorts by key, then by place in the spool (arrival order). */
  void sort() {
    if (!sorted) {
      quicksort(0, size - 1);
      sorted = true;
    }
  }

  private int compare(int a, int b) {
    int c = Long.compare(high[a], high[b]);
    if (c == 0) {
      c = Long.compare(low[a], low[b]);
    }
    return c != 0 ? c : Long.compare(place[a], place[b]);
  }

  /** Quicksort (median of three, insertion sort below 24 entries, recursion on the smaller side only). */
  private void quicksort(int from, int to) {
    while (to - from >= 24) {
      int mid = (from + to) >>> 1;
      if (compare(mid, from) < 0) {
        swap(mid, from);
      }
      if (compare(to, from) < 0) {
        swap(to, from);
      }
      if (compare(to, mid) < 0) {
        swap(to, mid);
      }
      // keys are unique (place breaks ties), so a strict partition around the median's value terminates
      long ph = high[mid];
      long pl = low[mid];
      long pp = place[mid];
      int i = from;
      int j = to;
      while (i <= j) {
        while (compareTo(i, ph, pl, pp) < 0) {
          i++;
        }
        while (compareTo(j, ph, pl, pp) > 0) {
          j--;
        }
        if (i <= j) {
          swap(i, j);
          i++;
          j--;
        }
      }
      if (j - from < to - i) {
        quicksort(from, j);
        from = i;
      } else {
        quicksort(i, to);
        to = j;
      }
    }
    for (int i = from + 1; i <= to; i++) {
      for (int j = i; j > from && compare(j - 1, j) > 0; j--) {
        swap(j - 1, j);
      }
    }
  }

  private int compareTo(int a, long h, long l, long p) {
    int c = Long.compare(high[a], h);
    if (c == 0) {
      c = Long.compare(low[a], l);
    }
    return c != 0 ? c : Long.compare(place[a], p);
  }

  private void swap(int a, int b) {
    long t = high[a];
    high[a] = high[b];
    high[b] = t;
    t = low[a];
    low[a] = low[b];
    low[b] = t;
    t = place[a];
    place[a] = place[b];
    place[b] = t;
  }
}
