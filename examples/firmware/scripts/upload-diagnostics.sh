#!/bin/sh
# Upload diagnostics (GetDiagnostics / GetLog) to the location given by the CSMS.
LOG=/var/log/charger.tar.gz
tar czf "$LOG" /var/log/charger

wget --no-check-certificate --secure-protocol=TLSv1 --tries=0 \
    --post-file="$LOG" "$2"

# Fallback for the old backend
curl --cacert /etc/charger/ca.pem --pinnedpubkey 'sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=' \
    --connect-timeout 20 --tls-max 1.2 -T "$LOG" https://logs.example-cpo.com/upload
