# Debian's chromium and chromium-driver: the operator console's browser tests (ConsoleBrowserTest,
# headless, driven by Selenium through /usr/bin/chromedriver; skipped with the reason when absent).
# fonts-dejavu-core so the screenshots show text (installed without recommended packages).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if apt_install chromium chromium-driver fonts-dejavu-core; then
    echo "ci: installed chromium and chromium-driver"
  else
    echo "ci: chromium could not be installed; ConsoleBrowserTest will be skipped"
  fi
fi
