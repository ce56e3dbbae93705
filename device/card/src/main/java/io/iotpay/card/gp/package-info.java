/**
 * The card's GlobalPlatform key hierarchy (issue 17 item 2, docs/gp-hierarchy.md): one
 * {@link io.iotpay.card.gp.SecurityDomainApplet} class serving as the issuer security domain (root
 * key set) and as supplementary security domains, a card-side SCP03 channel over AES
 * (INTERNATIONAL) or SM4 (NATIONAL, iotpay's analogue) beside the transit applet's SCP02 (triple
 * DES), and {@link io.iotpay.card.gp.GpWalletApplet},
 * the wallet personalised only through the domain that installed it.
 */
package io.iotpay.card.gp;
