/* Firmware download and CSMS connection of the charger controller. */
#include <curl/curl.h>
#include <mbedtls/ssl.h>

static const int csms_ciphersuites[] = {
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    0
};

int download_firmware(CURL *curl)
{
    curl_easy_setopt(curl, CURLOPT_URL, "https://updates.example-cpo.com/fw/latest.bin");
    curl_easy_setopt(curl, CURLOPT_CAINFO, "/etc/charger/fw-root.pem");
    curl_easy_setopt(curl, CURLOPT_CRLFILE, "/etc/charger/fw-root.crl");
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    return curl_easy_perform(curl) == CURLE_OK ? 0 : -1;
}

int csms_tls_setup(mbedtls_ssl_config *conf, mbedtls_ssl_context *ssl, mbedtls_x509_crt *ca, mbedtls_x509_crl *crl)
{
    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_ciphersuites(conf, csms_ciphersuites);
    mbedtls_ssl_conf_ca_chain(conf, ca, crl);
    mbedtls_ssl_conf_max_frag_len(conf, MBEDTLS_SSL_MAX_FRAG_LEN_4096);
    mbedtls_ssl_conf_read_timeout(conf, 30000);
    mbedtls_ssl_set_hostname(ssl, "csms.example-cpo.com");
    return mbedtls_ssl_setup(ssl, conf);
}
