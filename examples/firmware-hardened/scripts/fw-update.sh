#!/bin/sh
# Download and install a firmware image announced by the CSMS (UpdateFirmware.req).
set -eu
FW_URL="https://updates.example-cpo.com/fw/latest.bin"

fetch_firmware() {
    curl --fail --silent --show-error --proto =https --tlsv1.2 \
        --cacert /etc/charger/fw-root.pem --crlfile /etc/charger/fw-root.crl \
        --retry 3 --connect-timeout 10 --max-time 900 \
        -o /tmp/fw.bin "$FW_URL"
}

fetch_firmware
/usr/sbin/fw-install /tmp/fw.bin
