package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetSocketAddress;

/**
 * One acquirer the switch serves: its own listening port and zone keys.
 *
 * @param acquirer the acquirer's party id (written to the message log)
 * @param listen where the switch listens for it (port 0: any free port)
 * @param settings the server side of the link
 * @param keys the link's zone keys
 */
public record AcquirerEndpoint(PartyId acquirer, InetSocketAddress listen, LinkSettings settings, ZoneKeys keys) {
  public AcquirerEndpoint {
    Assert.notNull(acquirer, "acquirer");
    Assert.notNull(listen, "listen");
    Assert.notNull(settings, "settings");
  }
}
