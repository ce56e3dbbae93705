# SoftHSM2 (a PKCS#11 token in software) for Pkcs11KeyCustodyTest, which runs the key-custody
# operation suite through the JDK's SunPKCS11. The test makes its own token in a fresh directory
# (SOFTHSM2_CONF is set by foundation/pom.xml), so nothing is initialised here; skipped when absent.
if [ ! -e /usr/lib/softhsm/libsofthsm2.so ] || ! command -v softhsm2-util >/dev/null 2>&1; then
  if apt_install softhsm2; then
    echo "ci: installed softhsm2"
  else
    echo "ci: could not install softhsm2; the PKCS#11 key-custody test will be skipped"
  fi
fi
