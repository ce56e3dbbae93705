package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import java.nio.ByteBuffer;

/**
 * An account's audit leaf: the account as it was created (id, book = the owning party, currency,
 * flags), so an account that appears in {@code ledger_account} without its leaf, or whose row
 * differs from its leaf, is named by {@code iotpay audit verify}.
 *
 * <p>Version 1 layout, 27 bytes, big-endian:
 *
 * <pre>
 * offset size field
 *      0    3 magic "IPA" (iotpay account; ledger entries start with byte 1, decisions with "IPD")
 *      3    1 version (1)
 *      4    1 origin (1 created through the ledger, 2 adopted when an older database was migrated)
 *      5    8 account id
 *     13    8 book id (the party that owns the account)
 *     21    2 currency (ISO 4217 numeric)
 *     23    4 flags (AccountFlags bits)
 *     27      (length)
 * </pre>
 *
 * @param account never null
 * @param origin never null
 */
public record AccountLeaf(Account account, Origin origin) {
  /** Version byte after the magic; bumped if the layout ever changes. */
  public static final byte VERSION = 1;
  /** Length of a version-1 leaf. */
  public static final int LENGTH = 3 + 1 + 1 + 8 + 8 + 2 + 4;

  private static final byte[] MAGIC = {'I', 'P', 'A'};

  /** How the account came to have a leaf; the code is stored in the leaf and in {@code ledger_account.audit_origin}. */
  public enum Origin {
    /** Created through the ledger's writer: the leaf committed with the account row. */
    CREATED(1),
    /**
     * The account existed before account leaves did; the ledger's first start-up after the migration
     * recorded it. Its leaf proves the account from then on, not before.
     */
    ADOPTED(2);

    private final int code;

    Origin(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** @throws LedgerInputException for an unknown code */
    public static Origin ofCode(int code) {
      for (Origin origin : values()) {
        if (origin.code == code) {
          return origin;
        }
      }
      throw new LedgerInputException("unknown account leaf origin code " + code);
    }
  }

  /** @throws LedgerInputException when account or origin is null */
  public AccountLeaf {
    if (account == null || origin == null) {
      throw new LedgerInputException("an account leaf needs an account and an origin");
    }
  }

  /** The leaf bytes (layout above). */
  public byte[] canonicalBytes() {
    return ByteBuffer.allocate(LENGTH)
        .put(MAGIC)
        .put(VERSION)
        .put((byte) origin.code())
        .putLong(account.id())
        .putLong(account.bookId())
        .putShort((short) account.currency().numericCode())
        .putInt(account.flags().bits())
        .array();
  }

  /** True when {@code entry} has the shape of a version-1 account leaf (magic, version, length). */
  public static boolean isAccountLeaf(byte[] entry) {
    return entry != null && entry.length == LENGTH && entry[0] == MAGIC[0] && entry[1] == MAGIC[1] && entry[2] == MAGIC[2]
        && entry[3] == VERSION;
  }

  /**
   * Reads a leaf back.
   *
   * @throws LedgerInputException when {@code entry} is not a well-formed version-1 account leaf
   */
  public static AccountLeaf decode(byte[] entry) {
    if (!isAccountLeaf(entry)) {
      throw new LedgerInputException("not a version-1 account leaf (magic IPA, " + LENGTH + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(entry, 4, LENGTH - 4);
    Origin origin = Origin.ofCode(in.get());
    long id = in.getLong();
    long bookId = in.getLong();
    CurrencyUnit currency = CurrencyUnit.ofNumeric(in.getShort() & 0xFFFF);
    AccountFlags flags = AccountFlags.ofBits(in.getInt());
    return new AccountLeaf(new Account(id, bookId, currency, flags), origin);
  }
}
