package io.iotpay.protocol.qr;

import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A consumer-presented code. Instances returned by {@link CpmCodec} obey every rule it checks; build
 * them through it rather than with the constructor, which checks nothing but nulls. {@link #toString()} names tags and lengths only: the tree holds a PAN or token.
 *
 * @param text the QR text: base64 of the BER-TLV bytes
 * @param objects the top-level data objects: 85, then templates 61 (one or more) and 62 (optional)
 */
public record ConsumerPresentedCode(String text, List<Tlv> objects) implements QrCode {
  public ConsumerPresentedCode {
    Objects.requireNonNull(text, "text");
    objects = List.copyOf(objects);
  }

  /** The application templates (61) in payload order; never empty for a decoded code. */
  public List<Tlv.Constructed> applications() {
    List<Tlv.Constructed> found = new ArrayList<>();
    for (Tlv object : objects) {
      if (object.tag().equals(CpmTags.APPLICATION_TEMPLATE) && object instanceof Tlv.Constructed template) {
        found.add(template);
      }
    }
    return List.copyOf(found);
  }

  /** The common data template (62), if present. */
  public Optional<Tlv.Constructed> commonData() {
    for (Tlv object : objects) {
      if (object.tag().equals(CpmTags.COMMON_DATA_TEMPLATE) && object instanceof Tlv.Constructed template) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  /** The value of the first primitive with this tag anywhere in the payload (depth-first), if any. */
  public Optional<byte[]> value(Tag tag) {
    return Tlv.findIn(objects, tag).flatMap(found -> found instanceof Tlv.Primitive primitive
        ? Optional.of(primitive.value()) : Optional.empty());
  }

  /** The application cryptogram (9F26), if the payload carries one. */
  public Optional<byte[]> applicationCryptogram() {
    return value(CpmTags.APPLICATION_CRYPTOGRAM);
  }

  @Override
  public String toString() {
    StringJoiner tags = new StringJoiner(", ", "ConsumerPresentedCode[", "]");
    for (Tlv object : objects) {
      tags.add(object.tag() + " (" + object.valueLength() + ")");
    }
    return tags.toString();
  }
}
