# mosquitto_pub/mosquitto_sub: a stock MQTT client that connects to the embedded broker with the text
# connect token as its password (MosquittoClientsTest; skipped with the reason when absent).
if ! command -v mosquitto_pub >/dev/null 2>&1; then
  if apt_install mosquitto-clients; then
    echo "ci: installed mosquitto-clients"
  else
    echo "ci: mosquitto-clients could not be installed; MosquittoClientsTest will be skipped"
  fi
fi
