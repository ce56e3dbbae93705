package io.iotpay.foundation.codec;

import java.util.Objects;

/**
 * One row of the {@link EmvTags} dictionary.
 *
 * @param tag the tag, not null
 * @param name its name as EMV Book 3 Annex A (or PBOC / our transit spec) gives it, not null
 * @param format its data format; for constructed tags {@link DataFormat#B}
 */
public record EmvTag(Tag tag, String name, DataFormat format) {
  public EmvTag {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
  }

  /** True when the tag is a template (b6 of its first byte set). */
  public boolean isConstructed() {
    return tag.isConstructed();
  }
}
