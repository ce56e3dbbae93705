/**
 * The POS kernel's offline wallet purchase: drives the POS's PSAM and a wallet card through two
 * {@link io.iotpay.foundation.card.CardChannel}s (at most 6 APDUs to the wallet), decides splits
 * through {@link io.iotpay.terminal.wallet.SplitPolicy}, writes each purchase record to a fsync'd
 * {@link io.iotpay.terminal.wallet.WalletJournal} before the outcome is shown, writes issuer
 * outcomes back onto cards, loads, and recovers a purchase whose DEBIT response was lost.
 * APDUs and formats: docs/wallet-apdus.md.
 */
package io.iotpay.terminal.wallet;
