# libcoap's coap-client: the CoAP access tests' independent DTLS client (skipped when absent).
if ! command -v coap-client >/dev/null 2>&1 && ! command -v coap-client-openssl >/dev/null 2>&1 \
    && ! command -v coap-client-gnutls >/dev/null 2>&1; then
  if apt_install libcoap3-bin; then
    echo "ci: installed libcoap3-bin (coap-client)"
  else
    echo "ci: could not install libcoap3-bin; the libcoap interoperability test will be skipped"
  fi
fi
