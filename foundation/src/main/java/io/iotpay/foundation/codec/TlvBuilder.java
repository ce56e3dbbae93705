package io.iotpay.foundation.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects TLV objects in order and builds a template or an encoded sequence from them. Not
 * thread-safe; build the result and share that instead (results are immutable).
 *
 * <pre>{@code
 * byte[] fci = TlvBuilder.template(Tag.of(0x6F))
 *     .add(Tag.of(0x84), aid)
 *     .add(TlvBuilder.template(Tag.of(0xA5)).add(Tag.of(0x50), label).build())
 *     .build()
 *     .encode();
 * }</pre>
 */
public final class TlvBuilder {
  private final Tag templateTag;
  private final List<Tlv> items = new ArrayList<>();

  private TlvBuilder(Tag templateTag) {
    this.templateTag = templateTag;
  }

  /**
   * A builder whose {@link #build()} wraps the items in a constructed object with this tag.
   *
   * @throws TlvException if the tag is primitive
   */
  public static TlvBuilder template(Tag tag) {
    if (!tag.isConstructed()) {
      throw new TlvException(-1, "tag " + tag + " is primitive (b6 clear) and cannot be a template");
    }
    return new TlvBuilder(tag);
  }

  /** A builder for a bare sequence of top-level objects; use {@link #encode()}, not build(). */
  public static TlvBuilder sequence() {
    return new TlvBuilder(null);
  }

  /**
   * Appends a primitive object (value copied).
   *
   * @throws TlvException if the tag is constructed or the value too long
   */
  public TlvBuilder add(Tag tag, byte[] value) {
    items.add(new Tlv.Primitive(tag, value));
    return this;
  }

  /** Appends a primitive object whose value is given in hex. */
  public TlvBuilder addHex(Tag tag, String valueHex) {
    return add(tag, Hex.decode(valueHex));
  }

  /** Appends any object, e.g. a nested template built by another builder. */
  public TlvBuilder add(Tlv object) {
    items.add(Objects.requireNonNull(object, "object"));
    return this;
  }

  /**
   * The template holding the items added so far.
   *
   * @throws IllegalStateException if this builder was made by {@link #sequence()}
   * @throws TlvException if the items are too long to encode
   */
  public Tlv.Constructed build() {
    if (templateTag == null) {
      throw new IllegalStateException("a sequence builder has no template tag; call encode()");
    }
    return new Tlv.Constructed(templateTag, items);
  }

  /** The items so far (a copy). */
  public List<Tlv> items() {
    return List.copyOf(items);
  }

  /** The encoding: of the template, or of the bare sequence of items; never null. */
  public byte[] encode() {
    return templateTag == null ? BerTlv.encode(items) : build().encode();
  }
}
