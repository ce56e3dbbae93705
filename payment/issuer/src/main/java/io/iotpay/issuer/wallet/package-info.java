/**
 * The issuer's side of the offline wallet's online parts (docs/wallet.md): the card-signed online
 * part verified and debited from the cardholder's online account, once per card counter.
 */
package io.iotpay.issuer.wallet;
