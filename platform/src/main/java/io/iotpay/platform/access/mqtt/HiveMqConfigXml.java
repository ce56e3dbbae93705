package io.iotpay.platform.access.mqtt;

/** Renders HiveMQ CE's config.xml (schema: config.xsd in the HiveMQ jar) from a broker config. */
final class HiveMqConfigXml {
  private HiveMqConfigXml() {}

  static String render(EmbeddedMqttBroker.Config config, int port, int tlsPort) {
    StringBuilder xml = new StringBuilder(1024);
    xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n")
        .append("    <tcp-listener><port>").append(port).append("</port><bind-address>").append(escape(config.host()))
        .append("</bind-address><name>iotpay-tcp</name></tcp-listener>\n");
    if (config.tls() != null) {
      EmbeddedMqttBroker.Tls tls = config.tls();
      xml.append("    <tls-tcp-listener><port>").append(tlsPort).append("</port><bind-address>").append(escape(config.host()))
          .append("</bind-address><name>iotpay-tls</name><tls>\n")
          .append("      <keystore><path>").append(escape(tls.keystore().toAbsolutePath().toString())).append("</path><password>")
          .append(escape(tls.keystorePassword())).append("</password><private-key-password>").append(escape(tls.keystorePassword()))
          .append("</private-key-password></keystore>\n")
          .append("      <truststore><path>").append(escape(tls.truststore().toAbsolutePath().toString())).append("</path><password>")
          .append(escape(tls.truststorePassword())).append("</password></truststore>\n")
          .append("      <client-authentication-mode>OPTIONAL</client-authentication-mode>\n    </tls></tls-tcp-listener>\n");
    }
    xml.append("  </listeners>\n  <mqtt>\n")
        .append("    <packets><max-packet-size>").append(config.packetBytesMax()).append("</max-packet-size></packets>\n")
        .append("    <shared-subscriptions><enabled>true</enabled></shared-subscriptions>\n")
        .append("  </mqtt>\n  <restrictions><max-client-id-length>65535</max-client-id-length></restrictions>\n")
        .append("  <security><allow-empty-client-id><enabled>false</enabled></allow-empty-client-id></security>\n")
        .append("  <persistence><mode>").append(config.inMemory() ? "in-memory" : "file").append("</mode></persistence>\n")
        .append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n</hivemq>\n");
    return xml.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
  }
}
