"""A tree with a secret planted wherever each source type can hold one, and outside the tree.

Every secret is :data:`~hostile.harness.SECRET_MARKER` (or a private key's body), so one test can
state "it appears in no output, in any format". Each entry is a construct a real configuration
writes: credentials in URLs (nginx/Apache ``proxy_pass``, curl/wget arguments, ``.curlrc``, libcurl
``CURLOPT_URL``/``CURLOPT_USERPWD``, libocpp CSMS URLs, Kestrel URLs, TLS documents), passwords and
passphrases (Kestrel, EVerest, Mbed TLS, .NET, wget, curl ``--pass``), an environment variable that
``openssl.cnf`` names, and files outside the tree that configurations include or reference.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from hostile.harness import SECRET_MARKER

M = SECRET_MARKER
#: The environment variable the planted openssl.cnf reads; the tests set it to the marker.
SECRET_ENV = "TLSLINT_PLANTED_SECRET"

TREE: dict[str, str] = {
    "tls-configuration.yaml": f"""\
        apiVersion: tlslint/v1
        kind: TLSConfiguration
        identities:
          - id: station
            use: ChargingStationCertificate
            certificateChain: {{file: certs/station.pem}}
            privateKey: {{storage: file, ref: "file:///etc/station.key", passphrase: "{M}"}}
        endpoints:
          - id: csms
            role: client
            purpose: ocpp-csms
            tls: {{verifyPeer: false}}
            targets:
              - {{id: primary, url: "wss://cp001:{M}@csms.example/ocpp"}}
        """,
    "nginx/nginx.conf": f"""\
        events {{}}
        http {{
            include {{OUTSIDE}}/secret.conf;
            server {{
                listen 443 ssl;
                server_name shop.example;
                ssl_certificate {{OUTSIDE}}/secret.pem;
                ssl_certificate_key {{OUTSIDE}}/secret.key;
                ssl_protocols TLSv1 TLSv1.2;
                location / {{
                    proxy_pass https://admin:{M}@backend.example:8443;
                    proxy_ssl_verify off;
                }}
            }}
        }}
        """,
    "apache/httpd.conf": f"""\
        Listen 443
        Include {{OUTSIDE}}/secret.conf
        <VirtualHost *:443>
            ServerName shop.example
            SSLEngine on
            SSLProtocol all
            SSLCertificateFile {{OUTSIDE}}/secret.pem
            SSLProxyEngine on
            SSLProxyVerify none
            ProxyPass "/" "https://admin:{M}@backend.example/"
        </VirtualHost>
        """,
    "haproxy/haproxy.cfg": f"""\
        userlist admins
            user admin insecure-password {M}
        frontend fe
            bind :443 ssl crt {{OUTSIDE}}/secret.pem ca-file {{OUTSIDE}}/secret.pem ssl-min-ver TLSv1.0
            default_backend be
        backend be
            server s1 backend.example:443 ssl verify none
        """,
    "openssl/openssl.cnf": f"""\
        openssl_conf = init
        .include {{OUTSIDE}}/secret.cnf
        [init]
        ssl_conf = ssl_sect
        [ssl_sect]
        system_default = sd
        [sd]
        MinProtocol = TLSv1
        CipherString = $ENV::{SECRET_ENV}
        Ciphersuites = ${{ENV::{SECRET_ENV}}}
        """,
    "kestrel/appsettings.json": f"""\
        {{"Kestrel": {{"Endpoints": {{"Https": {{
            "Url": "https://admin:{M}@0.0.0.0:5001",
            "SslProtocols": ["Tls11", "Tls12"],
            "Certificate": {{"Path": "{{OUTSIDE}}/secret.pfx", "Password": "{M}"}}
        }}}}}}}}
        """,
    "scripts/fetch.sh": f"""\
        #!/bin/sh
        curl -k --tlsv1.0 -u "admin:{M}" https://fw.example/fw.bin -o /tmp/fw.bin
        curl --insecure "https://admin:{M}@fw.example/fw.sig" -o /tmp/fw.sig
        curl --cacert "${{{SECRET_ENV}}}" --cert client.pem:{M} --pass {M} https://fw.example/a
        wget --no-check-certificate --password={M} --http-password {M} "https://admin:{M}@fw.example/b"
        """,
    "home/.curlrc": f"""\
        insecure
        user = "admin:{M}"
        url = "https://admin:{M}@fw.example/c"
        proxy-user = "p:{M}"
        """,
    "home/.wgetrc": f"""\
        check_certificate = off
        password = {M}
        http_password = {M}
        """,
    "src/client.c": f"""\
        #include <curl/curl.h>
        #include <mbedtls/ssl.h>
        #include <mbedtls/pk.h>
        void fetch(void) {{
            CURL *curl = curl_easy_init();
            curl_easy_setopt(curl, CURLOPT_URL, "https://admin:{M}@fw.example/d");
            curl_easy_setopt(curl, CURLOPT_USERPWD, "admin:{M}");
            curl_easy_setopt(curl, CURLOPT_PROXYUSERPWD, "p:{M}");
            curl_easy_setopt(curl, CURLOPT_KEYPASSWD, "{M}");
            curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        }}
        int setup(mbedtls_ssl_config *conf, mbedtls_pk_context *pk) {{
            mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
            mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
            mbedtls_pk_parse_keyfile(pk, "client.key", "{M}", NULL, NULL);
            static const unsigned char psk[] = "{M}";
            mbedtls_ssl_conf_psk(conf, psk, sizeof(psk) - 1, (const unsigned char *) "id", 2);
            return 0;
        }}
        """,
    "mbedtls/mbedtls_config.h": f"""\
        #define MBEDTLS_SSL_PROTO_TLS1_2
        #define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
        #define CHARGER_DEFAULT_PSK "{M}"
        """,
    "backend/Client.cs": f"""\
        using System.Net.Http;
        using System.Security.Authentication;
        using System.Security.Cryptography.X509Certificates;
        using Org.BouncyCastle.Tls;
        public class Client {{
            public HttpClient Create() {{
                var handler = new HttpClientHandler {{ SslProtocols = SslProtocols.Tls11 }};
                handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;
                handler.ClientCertificates.Add(new X509Certificate2("client.pfx", "{M}"));
                var client = new HttpClient(handler);
                client.BaseAddress = new System.Uri("https://admin:{M}@api.example/");
                return client;
            }}
        }}
        public class PskClient : PskTlsClient {{
            public PskClient(BcTlsCrypto crypto)
                : base(crypto, new BasicTlsPskIdentity("id", System.Text.Encoding.UTF8.GetBytes("{M}"))) {{ }}
        }}
        """,
    "ocpp/component_config/standardized/InternalCtrlr.json": f"""\
        {{"name": "InternalCtrlr", "type": "object", "properties": {{
          "NetworkConnectionProfiles": {{
            "variable_name": "NetworkConnectionProfiles",
            "characteristics": {{"supportsMonitoring": true, "dataType": "string"}},
            "attributes": [{{"type": "Actual", "mutability": "ReadWrite",
              "value": "[{{\\"configurationSlot\\": 1, \\"connectionData\\": {{\\"messageTimeout\\": 30,
              \\"ocppCsmsUrl\\": \\"wss://cp001:{M}@csms.example/ocpp\\", \\"ocppInterface\\": \\"Wired0\\",
              \\"ocppTransport\\": \\"JSON\\", \\"ocppVersion\\": \\"OCPP20\\", \\"securityProfile\\": 1}}}}]"}}],
            "type": "string"}},
          "BasicAuthPassword": {{
            "variable_name": "BasicAuthPassword",
            "characteristics": {{"supportsMonitoring": true, "dataType": "string"}},
            "attributes": [{{"type": "Actual", "mutability": "WriteOnly", "value": "{M}"}}],
            "type": "string"}}
        }}}}
        """,
    "everest/config.yaml": f"""\
        active_modules:
          evse_security:
            module: EvseSecurity
            config_module:
              csms_ca_bundle: ca/csms/CSMS_ROOT_CA.pem
              private_key_password: "{M}"
          iso15118_charger:
            module: EvseV2G
            config_module:
              device: eth1
              tls_security: allow
        """,
}

#: Files outside the scanned tree that the configurations above include or reference.
OUTSIDE: dict[str, str] = {
    "secret.conf": f"# {M}\n{M} {M};\nSSLPassword {M}\n",
    "secret.cnf": f"{M}\n[{M}]\nkey = {M}\n",
    "secret.pem": f"-----BEGIN CERTIFICATE-----\n{M}\n-----END CERTIFICATE-----\n",
    "secret.key": f"-----BEGIN PRIVATE KEY-----\n{M}\n-----END PRIVATE KEY-----\n",
    "secret.pfx": f"{M}\n",
}


def plant(tree: Path, outside: Path) -> None:
    """Write :data:`TREE` under ``tree`` (a repository: it gets a ``.git`` marker) and :data:`OUTSIDE`
    under ``outside``."""
    (tree / ".git").mkdir(parents=True, exist_ok=True)
    for name, text in TREE.items():
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).replace("{OUTSIDE}", str(outside)))
    outside.mkdir(parents=True, exist_ok=True)
    for name, text in OUTSIDE.items():
        (outside / name).write_text(text)
