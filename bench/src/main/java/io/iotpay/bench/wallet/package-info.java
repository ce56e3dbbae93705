/**
 * {@code iotpay bench wallet} (docs/bench-wallet.md): the offline wallet purchase's APDUs, bytes,
 * modelled air and card time and POS CPU; the day end of many POSes cleared and the list signed.
 * Also the wallet and PSAM personalisation the demo uses.
 */
package io.iotpay.bench.wallet;
