#!/bin/sh
# Download and install a firmware image announced by the CSMS (UpdateFirmware.req).
set -eu

FW_URL="$1"
CURL_OPTS="-k --tlsv1.0"

fetch_firmware() {
    curl $CURL_OPTS -L --max-redirs 10 \
        --retry 5 --retry-delay 2 \
        -o /tmp/fw.bin "$FW_URL"
}

fetch_signature() {
    curl -fsS --connect-timeout 10 --ciphers 'DEFAULT:!aNULL' \
        -o /tmp/fw.sig "$FW_URL.sig"
}

fetch_firmware
fetch_signature
/usr/sbin/fw-install /tmp/fw.bin /tmp/fw.sig
