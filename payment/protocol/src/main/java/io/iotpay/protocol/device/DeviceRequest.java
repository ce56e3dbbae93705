package io.iotpay.protocol.device;

import io.iotpay.protocol.ProtocolException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a device asks of the platform, carried as the payload of its signed envelope
 * (docs/device-messages.md). Every variant checks its own bounds, so a decoded request is always
 * within them.
 */
public sealed interface DeviceRequest {
  /** Longest device type, field name or firmware version, characters. */
  int NAME_CHARS_MAX = 64;
  /** Longest field value, characters. */
  int VALUE_CHARS_MAX = 256;
  /** Most fields in one event. */
  int FIELDS_MAX = 32;

  /**
   * Something happened on the device; the platform's rules for its type decide whether it pays.
   *
   * @param deviceType 1..64 of [a-z0-9-]
   * @param fields at most 32; names 1..64 of [A-Za-z0-9_.-]; values at most 256 printable characters
   */
  record Event(String deviceType, Map<String, String> fields) implements DeviceRequest {
    public Event {
      if (!TextChars.within(deviceType, 1, NAME_CHARS_MAX, TextChars.TYPE)) {
        throw new ProtocolException("device event: device type is not 1.." + NAME_CHARS_MAX + " of a-z 0-9 -");
      }
      if (fields == null || fields.size() > FIELDS_MAX) {
        throw new ProtocolException("device event: fields missing or more than " + FIELDS_MAX);
      }
      for (Map.Entry<String, String> field : fields.entrySet()) {
        if (!TextChars.within(field.getKey(), 1, NAME_CHARS_MAX, TextChars.FIELD_NAME)) {
          throw new ProtocolException("device event: a field name is not 1.." + NAME_CHARS_MAX + " of A-Z a-z 0-9 _ . -");
        }
        if (!TextChars.within(field.getValue(), 0, VALUE_CHARS_MAX, TextChars.PRINTABLE)) {
          throw new ProtocolException("device event: field " + field.getKey() + " is not 0.." + VALUE_CHARS_MAX + " printable ASCII");
        }
      }
      fields = Collections.unmodifiableMap(new TreeMap<>(fields));
    }
  }

  /**
   * The goods or service of an approved payment were delivered (capture) or not (void).
   *
   * @param paymentCounter the counter of the message whose event the payment was decided on, ≥ 0
   */
  record Delivery(long paymentCounter, boolean delivered) implements DeviceRequest {
    public Delivery {
      if (paymentCounter < 0) {
        throw new ProtocolException("delivery: payment counter " + paymentCounter + " is negative");
      }
    }
  }

  /**
   * The device reports its state. Each part is optional (null: not reported).
   *
   * @param firmware 1..64 printable characters
   * @param tampered the tamper switch or secure element's tamper flag
   * @param latitudeMicro latitude in millionths of a degree, −90e6..90e6
   * @param longitudeMicro longitude in millionths of a degree, −180e6..180e6 (both or neither)
   */
  record Status(String firmware, Boolean tampered, Long latitudeMicro, Long longitudeMicro) implements DeviceRequest {
    public Status {
      if (firmware != null && !TextChars.within(firmware, 1, NAME_CHARS_MAX, TextChars.PRINTABLE)) {
        throw new ProtocolException("status: firmware is not 1.." + NAME_CHARS_MAX + " printable ASCII");
      }
      if ((latitudeMicro == null) != (longitudeMicro == null)) {
        throw new ProtocolException("status: latitude and longitude come together");
      }
      if (latitudeMicro != null && (Math.abs(latitudeMicro) > 90_000_000L || Math.abs(longitudeMicro) > 180_000_000L)) {
        throw new ProtocolException("status: position " + latitudeMicro + "," + longitudeMicro + " is off the globe");
      }
    }
  }
}
