package io.iotpay.console;

import io.javalin.config.JavalinConfig;
import java.security.KeyStore;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Serves a Javalin app over TLS only (TLS 1.3 and 1.2) from an in-memory key store: the one way every
 * party's HTTP server (the platform's API, the acquirer's) turns TLS on. Start such an app with
 * {@code app.start()}, not {@code start(host, port)}, which would add a plain HTTP connector.
 */
public final class HttpsConnector {
  private HttpsConnector() {}

  /**
   * Adds the TLS connector to {@code javalin}'s Jetty server.
   *
   * @param keyStore the server's key and certificate chain; never null
   * @param password the store's and the key's password; never logged
   */
  public static void install(JavalinConfig javalin, String host, int port, KeyStore keyStore, String password) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    javalin.jetty.addConnector((server, httpConfiguration) -> {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(keyStore);
      ssl.setKeyStorePassword(password);
      ssl.setKeyManagerPassword(password);
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      // Clients reach a party by IP address: SNI is optional and not matched against the certificate's names.
      httpConfiguration.addCustomizer(new SecureRequestCustomizer(false));
      ServerConnector connector = new ServerConnector(server,
          new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpConfiguration));
      connector.setHost(host);
      connector.setPort(port);
      return connector;
    });
  }
}
