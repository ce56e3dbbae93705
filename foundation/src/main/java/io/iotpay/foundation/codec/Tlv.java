package io.iotpay.foundation.codec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One BER-TLV data object: an immutable tree node. A {@link Primitive} holds value bytes; a {@link
 * Constructed} holds child objects. Which of the two a tag makes is fixed by its b6 ({@link
 * Tag#isConstructed()}), and the constructors check it, so every tree encodes to bytes that parse
 * back to an equal tree.
 *
 * <p>Each node knows its encoded length on construction (children are built first), which lets the
 * encoder and the searches walk the tree with an explicit stack instead of recursion.
 */
public sealed interface Tlv permits Tlv.Primitive, Tlv.Constructed {
  /** Longest value the length field can express in the forms we write (81, 82, 83). */
  int VALUE_BYTES_MAX_ENCODABLE = 0xFF_FFFF;

  /** The tag; never null. */
  Tag tag();

  /** Number of bytes of the value field (children's encodings for a constructed object). */
  int valueLength();

  /** Number of bytes of the whole encoding: tag, minimal length field and value. */
  default int encodedLength() {
    return tag().byteCount() + lengthFieldBytes(valueLength()) + valueLength();
  }

  /** The encoding with minimal length fields and no padding; a new array each call. */
  default byte[] encode() {
    return TlvEncoder.encode(List.of(this));
  }

  /**
   * The first object with this tag in depth-first pre-order, starting with this object itself.
   *
   * @param tag the tag to look for, not null
   * @return the object, or empty when none has the tag
   */
  default Optional<Tlv> find(Tag tag) {
    return findIn(List.of(this), tag);
  }

  /** Every object with this tag in depth-first pre-order, this object included; never null. */
  default List<Tlv> findAll(Tag tag) {
    return findAllIn(List.of(this), tag);
  }

  /**
   * A primitive object with these value bytes (copied).
   *
   * @throws TlvException if the tag is constructed or the value is too long to encode
   */
  static Primitive primitive(Tag tag, byte[] value) {
    return new Primitive(tag, value);
  }

  /**
   * A constructed object holding these children in order.
   *
   * @throws TlvException if the tag is primitive or the children are too long to encode
   */
  static Constructed constructed(Tag tag, Tlv... children) {
    return new Constructed(tag, List.of(children));
  }

  /**
   * The first object with {@code tag} in a sequence of trees, depth-first pre-order.
   *
   * @return the object, or empty when none has the tag
   */
  static Optional<Tlv> findIn(List<Tlv> roots, Tag tag) {
    Objects.requireNonNull(tag, "tag");
    Deque<Tlv> pending = new ArrayDeque<>();
    pushReversed(pending, roots);
    while (!pending.isEmpty()) {
      Tlv next = pending.pop();
      if (next.tag().equals(tag)) {
        return Optional.of(next);
      }
      if (next instanceof Constructed constructed) {
        pushReversed(pending, constructed.children());
      }
    }
    return Optional.empty();
  }

  /** Every object with {@code tag} in a sequence of trees, depth-first pre-order; never null. */
  static List<Tlv> findAllIn(List<Tlv> roots, Tag tag) {
    Objects.requireNonNull(tag, "tag");
    List<Tlv> found = new ArrayList<>();
    Deque<Tlv> pending = new ArrayDeque<>();
    pushReversed(pending, roots);
    while (!pending.isEmpty()) {
      Tlv next = pending.pop();
      if (next.tag().equals(tag)) {
        found.add(next);
      }
      if (next instanceof Constructed constructed) {
        pushReversed(pending, constructed.children());
      }
    }
    return List.copyOf(found);
  }

  /** Bytes of the minimal length field for a value of this many bytes (1 for 0..127, else 2..4). */
  static int lengthFieldBytes(int valueLength) {
    if (valueLength < 0x80) {
      return 1;
    }
    if (valueLength <= 0xFF) {
      return 2;
    }
    return valueLength <= 0xFFFF ? 3 : 4;
  }

  private static void pushReversed(Deque<Tlv> stack, List<Tlv> nodes) {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      stack.push(nodes.get(i));
    }
  }

  /**
   * A primitive data object. The value is copied in and out, so the record is truly immutable;
   * equality compares the bytes.
   *
   * @param tag a primitive tag (b6 clear), not null
   * @param value the value bytes, not null, at most {@link #VALUE_BYTES_MAX_ENCODABLE}
   */
  record Primitive(Tag tag, byte[] value) implements Tlv {
    /**
     * @throws TlvException if the tag is constructed or the value too long
     */
    public Primitive {
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(value, "value");
      if (tag.isConstructed()) {
        throw new TlvException(-1, "tag " + tag + " is constructed (b6 set) but was given a primitive value");
      }
      if (value.length > VALUE_BYTES_MAX_ENCODABLE) {
        throw new TlvException(-1, "value of tag " + tag + " is " + value.length + " bytes, above " + VALUE_BYTES_MAX_ENCODABLE);
      }
      value = value.clone();
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public int valueLength() {
      return value.length;
    }

    /** Upper-case hex of the value. */
    public String valueHex() {
      return Hex.encode(value);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Primitive that && tag.equals(that.tag) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
      return 31 * tag.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return tag + "=" + Hex.encode(value);
    }
  }

  /**
   * A constructed data object (template).
   *
   * @param tag a constructed tag (b6 set), not null
   * @param children the nested objects in order, not null, copied
   * @param valueLength the sum of the children's encoded lengths; use the two-argument
   *     constructor, which computes it
   */
  record Constructed(Tag tag, List<Tlv> children, int valueLength) implements Tlv {
    /**
     * @throws TlvException if the tag is primitive or the children are too long to encode
     * @throws IllegalArgumentException if {@code valueLength} is not the children's encoded length
     */
    public Constructed {
      Objects.requireNonNull(tag, "tag");
      children = List.copyOf(children);
      if (!tag.isConstructed()) {
        throw new TlvException(-1, "tag " + tag + " is primitive (b6 clear) but was given children");
      }
      int computed = valueLengthOf(tag, children);
      if (valueLength != computed) {
        throw new IllegalArgumentException("valueLength " + valueLength + " of tag " + tag
            + " is not the children's encoded length " + computed);
      }
    }

    /**
     * The template with these children; its value length is computed once, here.
     *
     * @throws TlvException if the tag is primitive or the children are too long to encode
     */
    public Constructed(Tag tag, List<Tlv> children) {
      this(tag, children, valueLengthOf(tag, children));
    }

    private static int valueLengthOf(Tag tag, List<Tlv> children) {
      long sum = 0;
      for (Tlv child : children) {
        sum += child.encodedLength();
      }
      if (sum > VALUE_BYTES_MAX_ENCODABLE) {
        throw new TlvException(-1, "children of tag " + tag + " encode to " + sum + " bytes, above " + VALUE_BYTES_MAX_ENCODABLE);
      }
      return (int) sum;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Constructed that && tag.equals(that.tag) && children.equals(that.children);
    }

    @Override
    public int hashCode() {
      return 31 * tag.hashCode() + children.hashCode();
    }

    @Override
    public String toString() {
      return tag + children.toString();
    }
  }
}
