"""Mbed TLS run-time configuration in C: ``mbedtls_ssl_config_defaults`` + ``mbedtls_ssl_conf_*`` calls.

One endpoint per configuration object (the first argument, ``&conf`` / ``&ctx->conf``), id
``mbedtls-api:<path>:<config expression>``. The role comes from ``mbedtls_ssl_config_defaults``.
Mbed TLS 3.6 run-time defaults are recorded with origin ``default``: TLS 1.2-1.3 (within what the
build enables), client ``MBEDTLS_SSL_VERIFY_REQUIRED`` / server ``MBEDTLS_SSL_VERIFY_NONE``,
renegotiation off. The host name is checked only when ``mbedtls_ssl_set_hostname()`` is called
with a name; the scan looks for that call in the same file.
"""

from __future__ import annotations

import re

from tlslint.model.located import Location
from tlslint.sources.base import ParseContext
from tlslint.sources.ccode import Call, CFile, integer, new_builder, symbols

_VERSION = {
    "MBEDTLS_SSL_VERSION_TLS1_2": "TLSv1.2",
    "MBEDTLS_SSL_VERSION_TLS1_3": "TLSv1.3",
    "MBEDTLS_SSL_VERSION_UNKNOWN": None,
}
_MINOR = {"0": "SSLv3", "1": "TLSv1.0", "2": "TLSv1.1", "3": "TLSv1.2", "4": "TLSv1.3"}
_MFL = {
    "MBEDTLS_SSL_MAX_FRAG_LEN_512": 512,
    "MBEDTLS_SSL_MAX_FRAG_LEN_1024": 1024,
    "MBEDTLS_SSL_MAX_FRAG_LEN_2048": 2048,
    "MBEDTLS_SSL_MAX_FRAG_LEN_4096": 4096,
    "MBEDTLS_SSL_MAX_FRAG_LEN_NONE": None,
}
_OPAQUE = {
    "mbedtls_ssl_conf_verify": "mbedtls_ssl_conf_verify (custom certificate verification callback)",
    "mbedtls_ssl_conf_ca_cb": "mbedtls_ssl_conf_ca_cb (trusted-CA callback)",
    "mbedtls_ssl_conf_sni": "mbedtls_ssl_conf_sni (server name callback)",
    "mbedtls_ssl_conf_psk_cb": "mbedtls_ssl_conf_psk_cb (PSK callback)",
}


def _conf_key(call: Call) -> str:
    return call.args[0].text.replace(" ", "").lstrip("&") if call.args else ""


def endpoints(cfile: CFile, context: ParseContext):
    from tlslint.repo import repo_relative

    groups: dict[str, list[Call]] = {}
    for call in cfile.calls:
        if call.name == "mbedtls_ssl_config_defaults" or call.name.startswith("mbedtls_ssl_conf_"):
            groups.setdefault(_conf_key(call), []).append(call)
    if not groups:
        return
    hostname_calls = [c for c in cfile.calls if c.name == "mbedtls_ssl_set_hostname"]
    threshold = [c for c in cfile.calls if c.name == "mbedtls_debug_set_threshold" and c.args]
    path = repo_relative(cfile.path)
    legacy = _is_228(context)
    for key, calls in groups.items():
        yield _endpoint(cfile, f"mbedtls-api:{path}:{key}", calls, hostname_calls, threshold, legacy)


#: Mbed TLS 2.28 mbedtls_ssl_config_defaults(): the client curve list is mbedtls_ecp_grp_id_list(), every
#: curve the build enables, strongest first; the stock 2.28 configuration enables all of these.
_GROUPS_228 = ["secp521r1", "brainpoolP512r1", "secp384r1", "brainpoolP384r1", "secp256r1", "secp256k1",
               "brainpoolP256r1", "secp224r1", "secp224k1", "secp192r1", "secp192k1", "x25519", "x448"]  # fmt: skip


def _is_228(context: ParseContext) -> bool:
    """Whether ``--engine-version mbedtls=2.x`` asks for the 2.28 run-time defaults."""
    from tlslint.catalog.engine_defaults import EngineVersionError, parse_version

    given = context.engine_versions.get("mbedtls")
    try:
        return bool(given) and parse_version(given)[0] <= 2
    except EngineVersionError:
        return False


def _endpoint(
    cfile: CFile,
    subject_id: str,
    calls: list[Call],
    hostname_calls: list[Call],
    threshold: list[Call],
    legacy: bool = False,
):
    from tlslint.catalog import versions

    defines = cfile.defines
    setup = next((c for c in calls if c.name == "mbedtls_ssl_config_defaults"), calls[0])
    where = setup.location
    function = setup.function or "file"
    # Name the config object after the first call that has arguments (broken code may have a call without).
    named = next((c.args[0].text for c in calls if c.args), "(unnamed)")
    builder = new_builder(subject_id, where, "mbedtls-api", f"Mbed TLS config {named} in {function}()")
    role = None
    if setup.name == "mbedtls_ssl_config_defaults" and len(setup.args) >= 2:
        names = symbols(setup.args[1].text, defines) or []
        role = {"MBEDTLS_SSL_IS_CLIENT": "client", "MBEDTLS_SSL_IS_SERVER": "server"}.get(names[0] if names else "")
        if role:
            builder.set("role", role, setup.args[1].location)
        else:
            builder.unknown("role", setup.args[1].location, "client or server is decided at run time")
    low = high = None
    low_loc = high_loc = None
    for call in calls:
        name, args = call.name, call.args
        value = args[1] if len(args) > 1 else None
        vloc = value.location if value else call.location
        first = (symbols(value.text, defines) or [""])[0] if value else ""
        if name == "mbedtls_ssl_conf_authmode" and value:
            mode = {"MBEDTLS_SSL_VERIFY_NONE": "none", "MBEDTLS_SSL_VERIFY_OPTIONAL": "optional",
                    "MBEDTLS_SSL_VERIFY_REQUIRED": "required"}.get(first)  # fmt: skip
            if mode is None:
                builder.unknown("verify.peer", vloc, "the authentication mode is computed at run time")
            elif role == "server":
                builder.set("client_auth.mode", mode, vloc)
                builder.set("verify.peer", mode == "required", vloc)
            else:
                note = (
                    "VERIFY_OPTIONAL completes the handshake even when verification fails"
                    if mode == "optional"
                    else None
                )
                builder.set("verify.peer", mode == "required", vloc, note=note)
                if mode == "none":
                    builder.set("verify.hostname", False, vloc, note="no verification, so no host-name check")
        elif name in ("mbedtls_ssl_conf_min_tls_version", "mbedtls_ssl_conf_max_tls_version") and value:
            version = _VERSION.get(first, "?")
            if version == "?":
                version = None
            if name.endswith("min_tls_version"):
                low, low_loc = version, vloc
            else:
                high, high_loc = version, vloc
        elif name in ("mbedtls_ssl_conf_min_version", "mbedtls_ssl_conf_max_version") and len(args) >= 3:
            minor = (
                re.sub(r"\D", "", args[2].text.split("MINOR_VERSION_")[-1]) if "MINOR" in args[2].text else args[2].text
            )
            version = _MINOR.get(str(integer(minor, defines)) if integer(minor, defines) is not None else "")
            if name.endswith("min_version"):
                low, low_loc = version, args[2].location
            else:
                high, high_loc = version, args[2].location
        elif name == "mbedtls_ssl_conf_ciphersuites" and value:
            _ciphersuites(builder, cfile, value, _psk_configured(cfile, calls))
        elif name == "mbedtls_ssl_conf_renegotiation" and value:
            enabled = first == "MBEDTLS_SSL_RENEGOTIATION_ENABLED"
            if builder.get("session.renegotiation") != "insecure":
                builder.set("session.renegotiation", "secure" if enabled else "disabled", vloc)
        elif name == "mbedtls_ssl_conf_legacy_renegotiation" and value:
            if first == "MBEDTLS_SSL_LEGACY_ALLOW_RENEGOTIATION":
                builder.set(
                    "session.renegotiation", "insecure", vloc, note="legacy (RFC 5746-less) renegotiation allowed"
                )
        elif name == "mbedtls_ssl_conf_max_frag_len" and value:
            if first in _MFL:
                builder.set("extensions.max_fragment_length", _MFL[first], vloc)
                builder.set("extensions.max_fragment_length.supported", True, vloc)
            else:
                builder.unknown("extensions.max_fragment_length", vloc, "computed at run time")
        elif name == "mbedtls_ssl_conf_session_tickets" and value:
            builder.set("session.tickets", first == "MBEDTLS_SSL_SESSION_TICKETS_ENABLED", vloc)
        elif name == "mbedtls_ssl_conf_early_data" and value:
            builder.set("early_data", first == "MBEDTLS_SSL_EARLY_DATA_ENABLED", vloc)
        elif name == "mbedtls_ssl_conf_alpn_protocols" and value:
            builder.set("alpn.enabled", True, vloc)
            entries = cfile.arrays.get(value.text.strip().lstrip("&"))
            if entries is not None:
                protocols = [e.text.strip('"') for e in entries if e.text.startswith('"')]
                builder.set("alpn.protocols", protocols, vloc)
        elif name == "mbedtls_ssl_conf_read_timeout" and value:
            ms = integer(value.text, defines)
            builder.set("connection.timeouts.idle", None if ms is None else (ms / 1000 if ms else 0.0), vloc,
                        note="0 means wait forever" if ms == 0 else None)  # fmt: skip
        elif name == "mbedtls_ssl_conf_handshake_timeout" and len(args) >= 3:
            ms = integer(args[2].text, defines)
            builder.set("connection.timeouts.handshake", None if ms is None else ms / 1000, args[2].location,
                        note="DTLS handshake retransmission limit")  # fmt: skip
        elif name == "mbedtls_ssl_conf_ca_chain" and len(args) >= 3:
            builder.set("trust.system_roots", False, call.location, note="Mbed TLS has no system trust store")
            crl = args[2].text.strip()
            if crl not in ("NULL", "0"):
                builder.set("revocation.mode", "crl", args[2].location)
        elif name == "mbedtls_ssl_conf_dhm_min_bitlen" and value and role != "server":
            bits = integer(value.text, defines)
            builder.set("dh_params.bits", bits, vloc, note="the smallest DHE group this client accepts")
        elif name in ("mbedtls_ssl_conf_groups", "mbedtls_ssl_conf_curves") and value:
            _groups(builder, cfile, value)
        elif name in _OPAQUE:
            builder.append("source.opaque", _OPAQUE[name], call.location)
    # Versions: the configured range (clipped by the build, which the header endpoint reports).
    if low_loc is not None or high_loc is not None:
        lo, hi = low or "TLSv1.2", high or "TLSv1.3"
        if versions.rank(lo) <= versions.rank(hi):
            span_versions = versions.between(lo, hi)
            items = tuple(low_loc if (v == lo and low_loc) else (high_loc or low_loc) for v in span_versions)
            builder.set("protocols", span_versions, low_loc or high_loc, items=items)
        else:
            builder.set("protocols", [], low_loc or high_loc, note="minimum above maximum: no version")
    elif legacy:
        builder.default(
            "protocols",
            ["TLSv1.0", "TLSv1.1", "TLSv1.2"],
            "Mbed TLS 2.28 run-time default: every version the build compiles in (the stock build: TLS 1.0-1.2)",
            where,
        )
    else:
        builder.default(
            "protocols", ["TLSv1.2", "TLSv1.3"], "Mbed TLS 3.6 run-time default (if the build has both)", where
        )
    if legacy and role != "server" and "groups" not in builder.subject.fields:
        builder.default(
            "groups",
            list(_GROUPS_228),
            "Mbed TLS 2.28 client default: every curve the build enables (the stock build includes secp192/224)",
            where,
        )
    # EC-JPAKE (Thread commissioning): a password-authenticated DTLS 1.2 handshake, no certificates.
    jpake = [c for c in cfile.calls if c.name == "mbedtls_ssl_set_hs_ecjpake_password"]
    suites = builder.get("cipher_suites.tls12")
    if jpake or (suites and all("ECJPAKE" in s for s in suites)):
        place = jpake[0].location if jpake else where
        note = "EC-JPAKE: the peers prove knowledge of a shared password (Thread commissioning); no certificates"
        builder.set("trust.kind", "password", place, note=note)
        builder.set(
            "protocols.standard_max", "TLSv1.2", place, note="Thread commissioning runs DTLS 1.2 (EC-JPAKE suites)"
        )
    # Host name: mbedtls_ssl_set_hostname() anywhere in the file.
    if role != "server" and builder.get("trust.kind") != "password":
        named = [c for c in hostname_calls if len(c.args) >= 2 and c.args[1].text.strip() not in ("NULL", "0")]
        nulled = [c for c in hostname_calls if len(c.args) >= 2 and c.args[1].text.strip() in ("NULL", "0")]
        if named:
            builder.set("verify.hostname", True, named[0].location)
        elif nulled:
            builder.set(
                "verify.hostname", False, nulled[0].args[1].location, note="mbedtls_ssl_set_hostname(ssl, NULL)"
            )
        elif builder.get("verify.hostname") is None:
            builder.set(
                "verify.hostname",
                False,
                where,
                note="no mbedtls_ssl_set_hostname() call in this file: Mbed TLS < 3.6.3 then skips the host-name check",
            )
            builder.set("sni.send", False, where, note="without mbedtls_ssl_set_hostname() no SNI is sent")
    if threshold:
        level = integer(threshold[0].args[0].text, defines)
        if level is not None and level >= 3:
            builder.set("logging.tls", "all", threshold[0].args[0].location, note=f"debug threshold {level}")
    if role == "server":
        builder.default("client_auth.mode", "none", "Mbed TLS servers default to MBEDTLS_SSL_VERIFY_NONE", where)
    else:
        builder.default("verify.peer", True, "Mbed TLS clients default to MBEDTLS_SSL_VERIFY_REQUIRED", where)
    builder.default("session.renegotiation", "disabled", "Mbed TLS default: renegotiation disabled", where)
    builder.default("early_data", False, "Mbed TLS default: early data disabled", where)
    builder.default(
        "revocation.mode", "none", "no CRL passed to mbedtls_ssl_conf_ca_chain (Mbed TLS has no OCSP)", where
    )
    if (
        "connection.timeouts.idle" not in builder.subject.fields
        and "connection.timeouts.handshake" not in builder.subject.fields
    ):
        builder.unknown("connection.timeouts.handshake", where, "the application's socket code bounds the handshake")
    if role == "client":
        builder.unknown("connection.timeouts.connect", where, "the application's socket code connects")
    return builder.build()


#: Calls that give a configuration (or a handshake) a pre-shared key.
_PSK_CALLS = ("mbedtls_ssl_conf_psk", "mbedtls_ssl_conf_psk_opaque", "mbedtls_ssl_conf_psk_cb")


def _psk_configured(cfile: CFile, calls: list[Call]) -> bool:
    return any(c.name in _PSK_CALLS for c in calls) or any(c.name == "mbedtls_ssl_set_hs_psk" for c in cfile.calls)


def _ciphersuites(builder, cfile: CFile, value, psk: bool) -> None:
    """The suite array; PSK suites only when a key is configured: Mbed TLS neither offers nor accepts
    them otherwise (its suite filter skips PSK suites of a configuration without a PSK)."""
    from tlslint.sources.mbedtls_suites import catalogue_entry as lookup

    entries = cfile.arrays.get(value.text.strip().lstrip("&"))
    if entries is None:
        builder.unknown("cipher_suites.tls12", value.location, "the suite list is not a constant array of this file")
        builder.unknown("cipher_suites.tls13", value.location, "the suite list is not a constant array of this file")
        return
    tls12, items12, tls13, items13 = [], [], [], []
    left_out = 0
    for entry in entries:
        suite = lookup(entry.text.strip())
        if suite is None:
            continue
        if (
            not psk
            and not suite.tls13
            and (suite.kx in ("PSK", "DHE_PSK", "ECDHE_PSK", "RSA_PSK") or suite.au == "PSK")
        ):
            left_out += 1
            continue
        if suite.tls13:
            tls13.append(suite.iana_name)
            items13.append(entry.location)
        else:
            tls12.append(suite.iana_name)
            items12.append(entry.location)
    note = f"{left_out} PSK suite(s) left out: no mbedtls_ssl_conf_psk*() in this file" if left_out else None
    builder.set("cipher_suites.tls12", tls12, value.location, items=tuple(items12), note=note)
    builder.set("cipher_suites.tls13", tls13, value.location, items=tuple(items13))


def _groups(builder, cfile: CFile, value) -> None:
    from tlslint.catalog.groups import lookup_group

    entries = cfile.arrays.get(value.text.strip().lstrip("&"))
    if entries is None:
        builder.unknown("groups", value.location, "the group list is not a constant array of this file")
        return
    names, items = [], []
    for entry in entries:
        # 3.x names IANA groups (MBEDTLS_SSL_IANA_TLS_GROUP_X25519), 2.x curves (MBEDTLS_ECP_DP_BP256R1).
        text = entry.text.strip().removeprefix("MBEDTLS_SSL_IANA_TLS_GROUP_").removeprefix("MBEDTLS_ECP_DP_").lower()
        text = {"curve25519": "x25519", "curve448": "x448"}.get(text, text)
        text = re.sub(r"^bp(\d+)r1$", r"brainpoolP\1r1", text)
        if text in ("none", "0"):
            continue
        group = lookup_group(text)
        names.append(group.iana_name if group else text)
        items.append(entry.location)
    builder.set("groups", names, value.location, items=tuple(items))


__all__ = ["Location", "endpoints"]
