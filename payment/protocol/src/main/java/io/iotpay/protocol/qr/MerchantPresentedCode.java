package io.iotpay.protocol.qr;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A merchant-presented code. Instances returned by {@link MpmCodec} obey every rule it checks; build
 * them through it rather than with the constructor, which checks nothing but nulls.
 *
 * @param payload the QR text, CRC included
 * @param objects the data objects in payload order, without the CRC (data object 63)
 * @param crc the four hex digits of data object 63
 */
public record MerchantPresentedCode(String payload, List<MpmObject> objects, String crc) implements QrCode {
  public MerchantPresentedCode {
    Objects.requireNonNull(payload, "payload");
    objects = List.copyOf(objects);
    Objects.requireNonNull(crc, "crc");
  }

  @Override
  public String text() {
    return payload;
  }

  /**
   * The value of the primitive at this path, e.g. {@code "59"} or {@code "62.05"}.
   *
   * @return the value, or empty when absent or a template
   */
  public Optional<String> value(String path) {
    List<MpmObject> level = objects;
    String[] ids = path.split("\\.");
    for (int i = 0; i < ids.length; i++) {
      MpmObject found = find(level, ids[i]);
      if (found == null) {
        return Optional.empty();
      }
      boolean last = i == ids.length - 1;
      switch (found) {
        case MpmObject.Primitive primitive -> {
          return last ? Optional.of(primitive.value()) : Optional.empty();
        }
        case MpmObject.Template template -> {
          if (last) {
            return Optional.empty();
          }
          level = template.children();
        }
      }
    }
    return Optional.empty();
  }

  /** True when point of initiation (01) is "12": a code for one payment. */
  public boolean isDynamic() {
    return value("01").map("12"::equals).orElse(false);
  }

  /** Merchant name (59). */
  public String merchantName() {
    return value("59").orElseThrow();
  }

  /** Merchant city (60). */
  public String merchantCity() {
    return value("60").orElseThrow();
  }

  /** Merchant category code (52), four digits. */
  public String merchantCategoryCode() {
    return value("52").orElseThrow();
  }

  /** Country code (58). */
  public String countryCode() {
    return value("58").orElseThrow();
  }

  /** Transaction currency (53). */
  public CurrencyUnit currency() {
    return CurrencyUnit.ofNumeric(Integer.parseInt(value("53").orElseThrow()));
  }

  /** Transaction amount (54) in the code's currency, or empty for a code where the payer keys it in. */
  public Optional<Money> amount() {
    return value("54").map(text -> Money.parse(text, currency()));
  }

  /** Merchant account information objects (IDs 02..51), in payload order. */
  public List<MpmObject> accounts() {
    List<MpmObject> accounts = new ArrayList<>();
    for (MpmObject object : objects) {
      int id = Integer.parseInt(object.id());
      if (id >= 2 && id <= 51) {
        accounts.add(object);
      }
    }
    return List.copyOf(accounts);
  }

  private static MpmObject find(List<MpmObject> level, String id) {
    for (MpmObject object : level) {
      if (object.id().equals(id)) {
        return object;
      }
    }
    return null;
  }
}
