"""curl's command-line vocabulary: which options take an argument, and what the short letters mean.

Data only, kept apart from :mod:`tlslint.sources.curl` so that the parser reads as logic and this
table can be checked against a curl release on its own.
"""

from __future__ import annotations

#: Long options that take an argument (curl 8.x ``tool_listhelp.c``; boolean ones are not listed).
ARG_OPTIONS = frozenset(
    [
        "abstract-unix-socket",
        "alt-svc",
        "aws-sigv4",
        "cacert",
        "capath",
        "cert",
        "cert-type",
        "ciphers",
        "config",
        "connect-timeout",
        "connect-to",
        "continue-at",
        "cookie",
        "cookie-jar",
        "create-file-mode",
        "crlfile",
        "curves",
        "data",
        "data-ascii",
        "data-binary",
        "data-raw",
        "data-urlencode",
        "delegation",
        "dns-interface",
        "dns-ipv4-addr",
        "dns-ipv6-addr",
        "dns-servers",
        "doh-url",
        "dump-header",
        "ech",
        "egd-file",
        "engine",
        "etag-compare",
        "etag-save",
        "expect100-timeout",
        "form",
        "form-string",
        "ftp-account",
        "ftp-alternative-to-user",
        "ftp-method",
        "ftp-port",
        "ftp-ssl-ccc-mode",
        "happy-eyeballs-timeout-ms",
        "haproxy-clientip",
        "header",
        "hostpubmd5",
        "hostpubsha256",
        "hsts",
        "httpsig-algo",
        "httpsig-headers",
        "httpsig-key",
        "httpsig-keyid",
        "interface",
        "ipfs-gateway",
        "ip-tos",
        "json",
        "keepalive-cnt",
        "knownhosts",
        "keepalive-time",
        "key",
        "key-type",
        "krb",
        "libcurl",
        "limit-rate",
        "local-port",
        "login-options",
        "mail-auth",
        "mail-from",
        "mail-rcpt",
        "max-filesize",
        "max-redirs",
        "max-time",
        "netrc-file",
        "noproxy",
        "oauth2-bearer",
        "output",
        "output-dir",
        "parallel-max",
        "parallel-max-host",
        "pass",
        "pinnedpubkey",
        "preproxy",
        "proto",
        "proto-default",
        "proto-redir",
        "proxy",
        "proxy-cacert",
        "proxy-capath",
        "proxy-cert",
        "proxy-cert-type",
        "proxy-ciphers",
        "proxy-crlfile",
        "proxy-header",
        "proxy-key",
        "proxy-key-type",
        "proxy-pass",
        "proxy-pinnedpubkey",
        "proxy-service-name",
        "proxy-tls13-ciphers",
        "proxy-tlsauthtype",
        "proxy-tlspassword",
        "proxy-tlsuser",
        "proxy-user",
        "proxy1.0",
        "pubkey",
        "quote",
        "random-file",
        "range",
        "rate",
        "referer",
        "request",
        "request-target",
        "resolve",
        "retry",
        "retry-delay",
        "retry-max-time",
        "sasl-authzid",
        "service-name",
        "sigalgs",
        "socks4",
        "socks4a",
        "socks5",
        "socks5-gssapi-service",
        "socks5-hostname",
        "speed-limit",
        "speed-time",
        "ssl-sessions",
        "stderr",
        "telnet-option",
        "tftp-blksize",
        "time-cond",
        "tls-max",
        "tls13-ciphers",
        "tlsauthtype",
        "tlspassword",
        "tlsuser",
        "trace",
        "trace-ascii",
        "trace-config",
        "unix-socket",
        "upload-file",
        "upload-flags",
        "url",
        "url-query",
        "user",
        "user-agent",
        "variable",
        "vlan-priority",
        "write-out",
    ]
)
#: Short options: letter -> long name; upper-case set: the ones taking an argument.
SHORT = {
    "k": "insecure", "L": "location", "m": "max-time", "o": "output", "1": "tlsv1", "2": "sslv2",
    "3": "sslv3", "s": "silent", "S": "show-error", "f": "fail", "v": "verbose", "E": "cert",
    "K": "config", "A": "user-agent", "u": "user", "x": "proxy", "q": "disable", "O": "remote-name",
    "H": "header", "d": "data", "F": "form", "T": "upload-file", "X": "request", "e": "referer",
    "C": "continue-at", "r": "range", "w": "write-out", "b": "cookie", "c": "cookie-jar", "D": "dump-header",
    "P": "ftp-port", "Q": "quote", "t": "telnet-option", "U": "proxy-user", "y": "speed-time",
    "Y": "speed-limit", "z": "time-cond", "4": "ipv4", "6": "ipv6", "I": "head", "i": "include",
    "g": "globoff", "G": "get", "J": "remote-header-name", "N": "no-buffer", "R": "remote-time",
    "Z": "parallel", "#": "progress-bar", "0": "http1.0", "n": "netrc", "l": "list-only", "a": "append",
    "j": "junk-session-cookies", "M": "manual", "V": "version", "B": "use-ascii", "p": "proxytunnel",
}  # fmt: skip
SHORT_WITH_ARG = frozenset("AbcCdDeEFHKmoPQrtTuUwxXyYz")

#: Every long option of curl 8.5 (``tool_getparam.c``'s table), the last release that matched a long
#: option in any case and by any unambiguous abbreviation (8.6 matches names exactly): what such a
#: spelling meant is found among these.
CURL_8_5_LONG_OPTIONS = frozenset(
    """
    abstract-unix-socket alpn alt-svc anyauth append aws-sigv4 basic buffer ca-native cacert capath cert
    cert-status cert-type ciphers clobber compressed compressed-ssh config connect-timeout connect-to
    continue-at cookie cookie-jar create-dirs create-file-mode crlf crlfile curves data data-ascii data-binary
    data-raw data-urlencode delegation digest disable disable-eprt disable-epsv disallow-username-in-url
    dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-cert-status doh-insecure doh-url dump-header
    egd-file engine eprt epsv etag-compare etag-save expect100-timeout fail fail-early fail-with-body
    false-start form form-escape form-string ftp-account ftp-alternative-to-user ftp-create-dirs ftp-method
    ftp-pasv ftp-port ftp-pret ftp-skip-pasv-ip ftp-ssl ftp-ssl-ccc ftp-ssl-ccc-mode ftp-ssl-control
    ftp-ssl-reqd get globoff happy-eyeballs-timeout-ms haproxy-clientip haproxy-protocol head header help
    hostpubmd5 hostpubsha256 hsts http0.9 http1.0 http1.1 http2 http2-prior-knowledge http3 http3-only
    ignore-content-length include insecure interface ipfs-gateway ipv4 ipv6 json junk-session-cookies keepalive
    keepalive-time key key-type krb krb4 libcurl limit-rate list-only local-port location location-trusted
    login-options mail-auth mail-from mail-rcpt mail-rcpt-allowfails manual max-filesize max-redirs max-time
    metalink negotiate netrc netrc-file netrc-optional next noproxy npn ntlm ntlm-wb oauth2-bearer output
    output-dir parallel parallel-immediate parallel-max pass path-as-is pinnedpubkey post301 post302 post303
    preproxy progress-bar progress-meter proto proto-default proto-redir proxy proxy-anyauth proxy-basic
    proxy-ca-native proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile
    proxy-digest proxy-header proxy-http2 proxy-insecure proxy-key proxy-key-type proxy-negotiate proxy-ntlm
    proxy-pass proxy-pinnedpubkey proxy-service-name proxy-ssl-allow-beast proxy-ssl-auto-client-cert
    proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword proxy-tlsuser proxy-tlsv1 proxy-user proxy1.0
    proxytunnel pubkey quote random-file range rate raw referer remote-header-name remote-name remote-name-all
    remote-time remove-on-error request request-target resolve retry retry-all-errors retry-connrefused
    retry-delay retry-max-time sasl-authzid sasl-ir service-name sessionid show-error silent socks4 socks4a
    socks5 socks5-basic socks5-gssapi socks5-gssapi-nec socks5-gssapi-service socks5-hostname speed-limit
    speed-time ssl ssl-allow-beast ssl-auto-client-cert ssl-no-revoke ssl-reqd ssl-revoke-best-effort sslv2
    sslv3 stderr styled-output suppress-connect-headers tcp-fastopen tcp-nodelay telnet-option test-event
    tftp-blksize tftp-no-options time-cond tls-max tls13-ciphers tlsauthtype tlspassword tlsuser tlsv1 tlsv1.0
    tlsv1.1 tlsv1.2 tlsv1.3 tr-encoding trace trace-ascii trace-config trace-ids trace-time unix-socket
    upload-file url url-query use-ascii user user-agent variable verbose version wdebug write-out xattr
    """.split()  # noqa: SIM905 (265 names, wrapped; one per line would repeat ARG_OPTIONS line by line)
)
