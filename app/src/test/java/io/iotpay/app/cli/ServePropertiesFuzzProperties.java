package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** users.properties and accounts.properties on hostile text: entries or a typed error, never anything else. */
class ServePropertiesFuzzProperties {
  @Property(tries = 2000)
  void randomText_parsesOrIsRefusedWithATypedError(@ForAll @Size(max = 400) String text) {
    try {
      Map<String, String> entries = ServeCommand.parseProperties("fuzz", text);
      assertThat(entries.size()).isLessThanOrEqualTo(ServeCommand.PROPERTIES_ENTRIES_MAX);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).startsWith("fuzz");
    }
  }

  @Property(tries = 500)
  void randomUserAndAccountFiles_loadOrAreRefusedWithATypedError(@ForAll @Size(max = 200) String text) throws Exception {
    Path file = Files.createTempFile("serve", ".properties");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      ServeCommand.readUsers(file);
      ServeCommand.readAccounts(file);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).contains(file.toString());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Example
  void wellFormedFiles_mapTokensToUsersAndAccountsToOwners() throws Exception {
    Path users = Files.createTempFile("users", ".properties");
    Path accounts = Files.createTempFile("accounts", ".properties");
    try {
      Files.writeString(users, "# token=userId\nalice-token-0123456789=alice\n");
      Files.writeString(accounts, "501=alice\n502 = bob\n");
      assertThat(ServeCommand.readUsers(users).userOf("alice-token-0123456789")).contains("alice");
      assertThat(ServeCommand.readUsers(users).userOf("someone-else")).isEmpty();
      assertThat(ServeCommand.readAccounts(accounts).holds("alice", 501)).isTrue();
      assertThat(ServeCommand.readAccounts(accounts).holds("alice", 502)).isFalse();
      assertThat(ServeCommand.readAccounts(accounts).holds("bob", 502)).isTrue();
    } finally {
      Files.deleteIfExists(users);
      Files.deleteIfExists(accounts);
    }
  }
}
