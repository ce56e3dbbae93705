# A real PC/SC stack for the reader tests: pcscd with vsmartcard's vpcd driver, into which the tests
# put a jCardSim card (foundation.card.VpcdBridge). Skipped with a reason when it cannot be had.
if ! command -v pcscd >/dev/null 2>&1 || [ ! -e /etc/reader.conf.d/vpcd ]; then
  if apt_install pcscd vsmartcard-vpcd libpcsclite1; then
    echo "ci: installed pcscd and vsmartcard-vpcd"
  else
    echo "ci: could not install pcscd/vsmartcard-vpcd; the PC/SC reader tests will be skipped"
  fi
fi
if command -v pcscd >/dev/null 2>&1 && [ -e /etc/reader.conf.d/vpcd ]; then
  if ! pgrep -x pcscd >/dev/null 2>&1; then
    $sudo_cmd pcscd || echo "ci: pcscd did not start"
  fi
  if pgrep -x pcscd >/dev/null 2>&1; then
    export IOTPAY_TEST_PCSC_READER="${IOTPAY_TEST_PCSC_READER:-Virtual PCD 00 00}"
    echo "ci: PC/SC reader tests on ($IOTPAY_TEST_PCSC_READER)"
  fi
fi
