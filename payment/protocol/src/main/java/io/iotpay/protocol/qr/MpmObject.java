package io.iotpay.protocol.qr;

import java.util.List;
import java.util.Objects;

/**
 * One data object of a merchant-presented payload: a two-digit ID and either a text value or, for a
 * template, the data objects inside it. Which IDs are templates is fixed by {@link MpmTags}; the
 * codec checks it both ways.
 */
public sealed interface MpmObject permits MpmObject.Primitive, MpmObject.Template {
  /** The two-digit ID, e.g. {@code "59"}; never null. */
  String id();

  /**
   * A data object holding text.
   *
   * @param id two decimal digits, not null
   * @param value the value, not null; its length in characters (code points) is what the payload
   *     writes
   */
  record Primitive(String id, String value) implements MpmObject {
    public Primitive {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A template: data objects inside a data object.
   *
   * @param id two decimal digits, not null
   * @param children the data objects in payload order, not null, copied
   */
  record Template(String id, List<MpmObject> children) implements MpmObject {
    public Template {
      Objects.requireNonNull(id, "id");
      children = List.copyOf(children);
    }

    /** The value of the child primitive with this ID, or null when there is none. */
    public String childValue(String childId) {
      for (MpmObject child : children) {
        if (child.id().equals(childId) && child instanceof Primitive primitive) {
          return primitive.value();
        }
      }
      return null;
    }
  }
}
