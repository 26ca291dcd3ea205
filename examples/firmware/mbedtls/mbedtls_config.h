/**
 * Mbed TLS user configuration of the charger controller (MBEDTLS_USER_CONFIG_FILE).
 * Included after the stock mbedtls_config.h of Mbed TLS 3.6; only the differences are listed.
 */
#ifndef CHARGER_MBEDTLS_USER_CONFIG_H
#define CHARGER_MBEDTLS_USER_CONFIG_H

/* The RTC has no battery: date checks were switched off "until NTP works". */
#undef MBEDTLS_HAVE_TIME_DATE

/* Protocols */
#define MBEDTLS_SSL_PROTO_TLS1_2
//#define MBEDTLS_SSL_PROTO_TLS1_3

/* Static-RSA key exchange kept for the legacy meter gateway. */
#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_DHE_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDHE_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_RSA_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDH_ECDSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDH_RSA_ENABLED
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED

/* RAM is tight: 4 KiB receive buffer, and max_fragment_length was dropped to save flash. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
#undef MBEDTLS_SSL_MAX_FRAGMENT_LENGTH

#undef MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SESSION_TICKETS

#endif /* CHARGER_MBEDTLS_USER_CONFIG_H */
