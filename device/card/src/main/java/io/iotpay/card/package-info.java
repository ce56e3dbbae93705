/** Java Card applets (Java Card API only; converter-compatible Java 8 class files). */
package io.iotpay.card;
