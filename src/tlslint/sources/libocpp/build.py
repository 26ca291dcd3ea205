"""Turn libocpp device-model variables into endpoint and secret subjects.

Each CSMS connection slot (2.x: an entry of ``InternalCtrlr.NetworkConnectionProfiles``; 1.6: the one
``CentralSystemURI``) becomes a client endpoint ``libocpp:csms[slot=N]`` with its security profile,
URL and failover priority. The TLS settings libocpp applies to every slot (cipher lists, trust,
host-name and wildcard checks, key log) are copied onto each TLS slot.

What libocpp does when a variable is absent is taken from its code and marked ``default``; what no
variable controls (protocol versions, groups, signature schemes, revocation, session resumption) is
listed in ``engine.unsupported`` and otherwise left unset, never guessed. See docs/engines/ocpp.md.
"""

from __future__ import annotations

import re
from typing import Any

from tlslint.catalog import openssl_ciphers
from tlslint.catalog.engine_defaults import ASSUMED
from tlslint.catalog.suites import lookup
from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.sources.libocpp.model import V16, DeviceModel, Variable
from tlslint.sources.libocpp.strings import EmbeddedJson, StringMap, embedded_json
from tlslint.urls import split_url

ENGINE = "libocpp"

#: libocpp's values when a variable is not in the device model (libocpp 0.2x, websocket and
#: connectivity-manager code; 1.6 ``profile_schemas/Internal.json``).
CODE_DEFAULTS: dict[str, Any] = {
    "SupportedCiphers12": (
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-GCM-SHA384"
    ),
    "SupportedCiphers13": "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256",
    "UseSslDefaultVerifyPaths": True,
    "VerifyCsmsCommonName": True,
    "VerifyCsmsAllowWildcards": False,
    "EnableTLSKeylog": False,
    "AllowSecurityLevelZeroConnections": False,
    "AllowCSMSRootCertInstallWithUnsecureConnection": True,
    "AllowMFRootCertInstallWithUnsecureConnection": True,
}

#: libwebsockets' own connect and network round-trip timeouts; libocpp leaves
#: ``lws_context_creation_info.connect_timeout_secs`` / ``timeout_secs`` at 0, which means these.
LWS_TIMEOUT_SECONDS = 20

#: OpenSSL's built-in TLS 1.3 suites (used when SSL_CTX_set_ciphersuites is never called or fails).
OPENSSL_TLS13_DEFAULT = ("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256")

#: Aspects of the whitepaper model libocpp has no variable for (reported by OCPP-015).
UNSUPPORTED = (
    "protocol versions (no min/max: OpenSSL build defaults)",
    "key-exchange groups (SSL_CTX_set_ecdh_auto: OpenSSL defaults)",
    "signature algorithms (OpenSSL defaults)",
    "revocation checking of the CSMS certificate (no CRL/OCSP on the CSMS link)",
    "session resumption and tickets (OpenSSL defaults)",
    "certificate pinning",
)

#: Published sample or vendor defaults. Only these booleans leave the parser; the value never does.
KNOWN_DEFAULT_PASSWORDS = frozenset(
    {"deadbeefdeadbeef", "aabbccddeeffgghh", "0123456789abcdef", "1234567890123456", "123456", "changeit", "password"}
)

_V2 = {  # canonical name -> (component, variable) in the 2.x device model
    "profiles": ("InternalCtrlr", "NetworkConnectionProfiles"),
    "ciphers12": ("InternalCtrlr", "SupportedCiphers12"),
    "ciphers13": ("InternalCtrlr", "SupportedCiphers13"),
    "system_roots": ("InternalCtrlr", "UseSslDefaultVerifyPaths"),
    "verify_cn": ("InternalCtrlr", "VerifyCsmsCommonName"),
    "wildcards": ("InternalCtrlr", "VerifyCsmsAllowWildcards"),
    "wildcards_std": ("SecurityCtrlr", "AllowCSMSTLSWildcards"),
    "keylog": ("InternalCtrlr", "EnableTLSKeylog"),
    "tpm": ("InternalCtrlr", "UseTPM"),
    "profile0": ("InternalCtrlr", "AllowSecurityLevelZeroConnections"),
    "csms_root_insecure": ("InternalCtrlr", "AllowCSMSRootCertInstallWithUnsecureConnection"),
    "mf_root_insecure": ("InternalCtrlr", "AllowMFRootCertInstallWithUnsecureConnection"),
    "ocpp_versions": ("InternalCtrlr", "SupportedOcppVersions"),
    "charge_point_id": ("InternalCtrlr", "ChargePointId"),
    "identity": ("SecurityCtrlr", "Identity"),
    "security_profile": ("SecurityCtrlr", "SecurityProfile"),
    "organization": ("SecurityCtrlr", "OrganizationName"),
    "password": ("SecurityCtrlr", "BasicAuthPassword"),
    "root_check": ("SecurityCtrlr", "AdditionalRootCertificateCheck"),
    "downgrade": ("SecurityCtrlr", "AllowSecurityProfileDowngrade"),
    "priority": ("OCPPCommCtrlr", "NetworkConfigurationPriority"),
    "attempts": ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts"),
    "backoff_min": ("OCPPCommCtrlr", "RetryBackOffWaitMinimum"),
    "backoff_random": ("OCPPCommCtrlr", "RetryBackOffRandomRange"),
    "backoff_repeat": ("OCPPCommCtrlr", "RetryBackOffRepeatTimes"),
    "transfer": ("OCPPCommCtrlr", "FileTransferProtocols"),
}
_V16 = {
    "url": ("Internal", "CentralSystemURI"),
    "ciphers12": ("Internal", "SupportedCiphers12"),
    "ciphers13": ("Internal", "SupportedCiphers13"),
    "system_roots": ("Internal", "UseSslDefaultVerifyPaths"),
    "verify_cn": ("Internal", "VerifyCsmsCommonName"),
    "wildcards": ("Internal", "VerifyCsmsAllowWildcards"),
    "keylog": ("Internal", "EnableTLSKeylog"),
    "tpm": ("Internal", "UseTPM"),
    "charge_point_id": ("Internal", "ChargePointId"),
    "ocpp_versions": ("Internal", "SupportedOcppVersions"),
    "security_profile": ("Security", "SecurityProfile"),
    "organization": ("Security", "CpoName"),
    "password": ("Security", "AuthorizationKey"),
    "root_check": ("Security", "AdditionalRootCertificateCheck"),
    "backoff_min": ("Internal", "RetryBackoffWaitMinimum"),
    "backoff_random": ("Internal", "RetryBackoffRandomRange"),
    "backoff_repeat": ("Internal", "RetryBackoffRepeatTimes"),
    "transfer": ("FirmwareManagement", "SupportedFileTransferProtocols"),
}


class Builder:
    def __init__(self, model: DeviceModel, own_components: set[str], engine_versions: dict[str, str]) -> None:
        self.model = model
        self.own = own_components  # components written in the file being parsed (secrets come from there)
        self.names = _V16 if model.flavour == V16 else _V2
        self.openssl = engine_versions.get("openssl", ASSUMED["openssl"])
        self.subjects: list[Subject] = []
        self.diagnostics: list[Diagnostic] = []

    # --- variable access --------------------------------------------------------------------------

    def var(self, name: str) -> Variable | None:
        key = self.names.get(name)
        return None if key is None else self.model.get(*key)

    def located(self, name: str, convert: Any = None) -> Located[Any] | None:
        found = self.var(name)
        if found is None or found.value is None or found.value == "":
            return None
        value = convert(found.value) if convert else found.value
        if value is None:
            return None
        note = "the variable's 'default' (no Actual value)" if found.from_default else None
        return Located(value, Origin.EXPLICIT, found.location, note=note)

    def setting(self, name: str, convert: Any, where: Location) -> Located[Any] | None:
        """A variable's value, or libocpp's code default when it is not in the device model."""
        found = self.located(name, convert)
        if found is not None:
            return found
        variable = self.names.get(name, ("", name))[1]
        code_default = CODE_DEFAULTS.get(variable)
        if code_default is None:
            return None
        return Located(convert(code_default), Origin.DEFAULT, where, note=f"libocpp default: {variable} is not set")

    # --- entry points -------------------------------------------------------------------------------

    def build(self) -> None:
        if self.model.flavour == V16:
            if "Internal" in self.own:
                self._v16_endpoint()
        elif self.var("profiles") is not None and "InternalCtrlr" in self.own:
            self._v2_endpoints()
        self._station_tls()
        self._file_transfer()
        self._station_secret()

    def _station_tls(self) -> None:
        """Station-wide TLS settings written in the file while no slot uses TLS (profile 0/1): the CSMS can
        switch the station to a TLS profile remotely (SetVariables / SetNetworkProfile), and then these
        cipher lists and the key log apply. Only what the file writes is judged (``source.partial``)."""
        if any(s.get("cipher_suites.tls12") is not None for s in self.subjects if s.id.startswith("libocpp:csms")):
            return  # a TLS slot already carries them
        written = {name: self.var(name) for name in ("ciphers12", "ciphers13", "keylog")}
        written = {
            n: v for n, v in written.items() if v is not None and v.component in self.own and v.value is not None
        }
        if not written:
            return
        where = next(iter(written.values())).location
        subject = Subject(
            "endpoint",
            "libocpp:station-tls",
            where,
            ENGINE,
            label="libocpp station-wide TLS settings (apply when the CSMS switches to a TLS profile)",
        )
        subject.set("role", Located("client", Origin.DEFAULT, where))
        subject.set("engines", Located(["libocpp", "openssl"], Origin.DEFAULT, where))
        subject.set("source.partial", Located(True, Origin.DEFAULT, where, note="only what the file writes"))
        tls12 = self._ciphers(subject, "ciphers12", tls13=False)
        tls13 = self._ciphers(subject, "ciphers13", tls13=True)  # libocpp's default list when not written
        self._protocols(subject, tls12, tls13)
        for name, path in (("ciphers12", "cipher_suites.tls12"), ("ciphers13", "cipher_suites.tls13")):
            if name not in written:
                subject.fields.pop(path, None)
        if "ciphers12" not in written and "ciphers13" not in written:
            subject.fields.pop("protocols", None)
        keylog = self.located("keylog", _bool)
        if keylog is not None:
            subject.set("logging.keylog", keylog)
        self.subjects.append(subject)

    def _file_transfer(self) -> None:
        """Firmware and log transfer: libocpp only advertises the protocols; the download itself is
        done by another tool (EVerest's System module scripts), whose TLS settings are linted there."""
        found = self.var("transfer")
        if found is None or found.component not in self.own:
            return
        protocols = _list(found.value)
        if not protocols:
            return
        where = found.location
        subject = Subject("endpoint", "libocpp:file-transfer", where, ENGINE)
        subject.set("role", Located("client", Origin.DEFAULT, where))
        subject.set("purpose", Located("firmware-download", Origin.DEFAULT, where))
        subject.set("transfer_protocols", Located([p.upper() for p in protocols], Origin.EXPLICIT, where))
        elsewhere = "set by the download tool, not by libocpp"
        for name in ("connect", "handshake"):
            subject.set(f"connection.timeouts.{name}", Located(None, Origin.UNKNOWN, where, note=elsewhere))
        subject.set(
            "engine.unsupported",
            Located(
                ["TLS settings of the transfer (the download tool's, e.g. curl in the System module)"],
                Origin.DEFAULT,
                where,
            ),
        )
        self.subjects.append(subject)

    def _v2_endpoints(self) -> None:
        variable = self.var("profiles")
        assert variable is not None
        value = variable.value
        where = variable.location
        if isinstance(value, str):
            try:
                embedded: EmbeddedJson | None = embedded_json(
                    variable.strings(), "InternalCtrlr.NetworkConnectionProfiles"
                )
            except InputError as error:
                self.diagnostics.append(Diagnostic(error.location, error.message))
                return
            assert embedded is not None
            slots = embedded.data
            loc = embedded.loc
        else:  # some dumps store the list itself
            slots, embedded = value, None

            def loc(_path: Any) -> Location:
                return where

        if not isinstance(slots, list):
            self.diagnostics.append(
                Diagnostic(where, "InternalCtrlr.NetworkConnectionProfiles must be a JSON array of profiles")
            )
            return
        priority = self._priority()
        built: list[tuple[Subject, int | None, int]] = []
        for index, slot in enumerate(slots):
            if not isinstance(slot, dict) or not isinstance(slot.get("connectionData"), dict):
                self.diagnostics.append(
                    Diagnostic(loc((index,)), f"NetworkConnectionProfiles[{index}] has no connectionData")
                )
                continue
            number = slot.get("configurationSlot", index + 1)
            data = slot["connectionData"]
            base = (index, "connectionData")
            subject = Subject("endpoint", f"libocpp:csms[slot={number}]", loc((index,)), ENGINE)
            profile = _int(data.get("securityProfile"))
            if profile is not None:
                subject.set("ocpp.security_profile", Located(profile, Origin.EXPLICIT, loc((*base, "securityProfile"))))
            self._common(subject, data.get("ocppCsmsUrl"), loc((*base, "ocppCsmsUrl")), profile)
            if isinstance(data.get("vpn"), dict):
                subject.set(
                    "trusted_network", Located(True, Origin.EXPLICIT, loc((*base, "vpn")), note="connectionData.vpn")
                )
            if data.get("identity"):
                subject.set("ocpp.identity", Located(str(data["identity"]), Origin.EXPLICIT, loc((*base, "identity"))))
            if data.get("ocppVersion"):
                subject.set(
                    "ocpp.versions", Located([data["ocppVersion"]], Origin.EXPLICIT, loc((*base, "ocppVersion")))
                )
            rank = None
            if priority is not None:
                slots_in_order, strings = priority
                rank = slots_in_order.index(_int(number)) + 1 if _int(number) in slots_in_order else None
                subject.set("enabled", Located(rank is not None, Origin.EXPLICIT, strings.where))
                if rank is not None:
                    subject.set("target.priority", Located(rank, Origin.EXPLICIT, _element(strings, str(number))))
            built.append((subject, rank, profile if profile is not None else -1))
            if "InternalCtrlr" in self.own:
                for key, kind, purpose in (
                    (("basicAuthPassword",), "password", "ocpp-basic-auth"),
                    (("vpn", "password"), "password", "vpn"),
                    (("vpn", "key"), "psk", "vpn"),
                    (("apn", "apnPassword"), "password", "apn"),
                ):
                    secret = _dig(data, key)
                    if isinstance(secret, str) and secret:
                        name = f"libocpp:csms[slot={number}].{'.'.join(key)}"
                        self._secret(name, secret, kind, purpose, loc((*base, *key)), {}, ocpp21=True)
        self._failover(built)

    def _v16_endpoint(self) -> None:
        url = self.var("url")
        where = url.location if url is not None else Location(self.model.path, 1, 1)
        subject = Subject("endpoint", "libocpp:csms", where, ENGINE)
        profile_found = self.located("security_profile", _int)
        profile = profile_found.value if profile_found else 0  # 1.6 profile_schemas/Security.json default
        subject.set(
            "ocpp.security_profile",
            profile_found or Located(0, Origin.DEFAULT, where, note="libocpp 1.6 default: SecurityProfile is not set"),
        )
        self._common(subject, url.value if url else None, where, profile)
        self._retry(subject)
        self.subjects.append(subject)

    # --- per endpoint -------------------------------------------------------------------------------

    def _common(self, subject: Subject, url: Any, url_where: Location, profile: int | None) -> None:
        subject.set("role", Located("client", Origin.DEFAULT, subject.location))
        subject.set("purpose", Located("ocpp-csms", Origin.DEFAULT, subject.location))
        subject.set("engines", Located(["libocpp", "openssl"], Origin.DEFAULT, subject.location))
        if isinstance(url, str) and url:
            subject.set("url", Located(url, Origin.EXPLICIT, url_where))
            parts = split_url(url if "://" in url else "//" + url)
            if parts is None:
                self.diagnostics.append(Diagnostic(url_where, f"{subject.id}: {url!r} is not a valid URL", "warning"))
                self._identity_and_flags(subject, profile)
                return
            if "://" in url:
                subject.set("url.scheme", Located(parts.scheme.lower(), Origin.EXPLICIT, url_where))
            else:
                if profile is not None:
                    scheme = "wss" if profile >= 2 else "ws"
                    note = "no scheme in the URL: libocpp derives it from the security profile"
                    subject.set("url.scheme", Located(scheme, Origin.DEFAULT, url_where, note=note))
            if parts.hostname:
                subject.set("server_name", Located(parts.hostname, Origin.EXPLICIT, url_where))
        self._identity_and_flags(subject, profile)

    def _identity_and_flags(self, subject: Subject, profile: int | None) -> None:
        """Everything about a slot that does not depend on its URL."""
        identity = self.located("identity", str) or self.located("charge_point_id", str)
        if identity is not None and subject.get("ocpp.identity") is None:
            subject.set("ocpp.identity", identity)
        versions = self.located("ocpp_versions", _list)
        if versions is not None and subject.get("ocpp.versions") is None:
            subject.set("ocpp.versions", versions)
        zero = self.setting("profile0", _bool, subject.location)
        if zero is not None and self.model.flavour != V16:
            subject.set("ocpp.allow_profile_0", zero)
        downgrade = self.located("downgrade", _bool)
        if downgrade is not None:
            subject.set("ocpp.allow_profile_downgrade", downgrade)
        organization = self.located("organization", str)
        if organization is not None:
            subject.set("ocpp.organization_name", organization)
        if profile is not None and profile <= 1 and self.model.flavour != V16:
            self._root_install(subject)
        for name in ("connect", "handshake"):
            note = "libwebsockets default; libocpp sets no timeout"
            subject.set(
                f"connection.timeouts.{name}", Located(LWS_TIMEOUT_SECONDS, Origin.DEFAULT, subject.location, note=note)
            )
        if profile is not None and profile >= 2:
            subject.set(
                "plaintext_allowed", Located(False, Origin.EXPLICIT, subject.get("ocpp.security_profile").location)
            )
            self._tls(subject, profile)

    def _root_install(self, subject: Subject) -> None:
        found = [self.setting(name, _bool, subject.location) for name in ("csms_root_insecure", "mf_root_insecure")]
        allowed = [f for f in found if f is not None and f.value]
        chosen = allowed[0] if allowed else next((f for f in found if f is not None), None)
        if chosen is not None:
            subject.set("ocpp.root_install_insecure", chosen)

    def _tls(self, subject: Subject, profile: int) -> None:
        here = subject.location
        tls12 = self._ciphers(subject, "ciphers12", tls13=False)
        tls13 = self._ciphers(subject, "ciphers13", tls13=True)
        self._protocols(subject, tls12, tls13)
        subject.set("verify.peer", Located(True, Origin.DEFAULT, here, note="libocpp always sets SSL_VERIFY_PEER"))
        for name, path in (
            ("system_roots", "trust.system_roots"),
            ("verify_cn", "verify.hostname"),
            ("keylog", "logging.keylog"),
        ):
            found = self.setting(name, _bool, here)
            if found is not None:
                subject.set(path, found)
        wildcards = self.located("wildcards", _bool) or self.located("wildcards_std", _bool)
        wildcards = wildcards or self.setting("wildcards", _bool, here)
        if wildcards is not None:
            subject.set("verify.allow_wildcards", wildcards)
        root_check = self.located("root_check", _bool)
        if root_check is not None:
            subject.set("ocpp.additional_root_check", root_check)
        subject.set(
            "compression",
            Located(False, Origin.DEFAULT, here, note="OpenSSL 1.1+ builds have no TLS compression by default"),
        )
        if profile >= 3:
            tpm = self.located("tpm", _bool)
            storage = "tpm2" if tpm is not None and tpm.value else "file"
            anchor = tpm.location if tpm is not None else here
            subject.set(
                "identity", Located(["ChargingStationCertificate"], Origin.DEFAULT, here, note="libevse-security leaf")
            )
            subject.set("identity.key_storage", Located([storage], Origin.EXPLICIT if tpm else Origin.DEFAULT, anchor))
        subject.set("engine.unsupported", Located(list(UNSUPPORTED), Origin.DEFAULT, here))

    def _ciphers(self, subject: Subject, name: str, *, tls13: bool) -> list[str] | None:
        found = self.var(name)
        path = "cipher_suites.tls13" if tls13 else "cipher_suites.tls12"
        if found is not None and found.value is not None:
            value = found.value
            if isinstance(value, list):  # 1.6 arrays, joined with ':' at runtime
                tokens = [str(v) for v in value]
                token_locations = list(self.model.items.get(self.names[name], ())) or [found.location] * len(tokens)
                expression = ":".join(tokens)
            else:
                expression = str(value)
                strings = found.strings()
                tokens, token_locations = _tokens(expression, strings, tls13=tls13)
            origin, anchor, note = Origin.EXPLICIT, found.location, None
        else:
            variable = self.names.get(name, ("", name))[1]
            expression = CODE_DEFAULTS[variable]
            tokens = expression.split(":")
            token_locations = [subject.location] * len(tokens)
            origin, anchor, note = Origin.DEFAULT, subject.location, f"libocpp default: {variable} is not set"
        try:
            if tls13:
                suites = openssl_ciphers.parse_ciphersuites(expression, self.openssl)
            else:
                suites = openssl_ciphers.expand(expression, self.openssl)
        except openssl_ciphers.CipherStringError as error:
            suites = []
            rejected: str | None = str(error)
        else:
            rejected = None
        unknown = [token for token in tokens if _unknown_token(token, tls13=tls13, openssl=self.openssl)]
        if rejected is not None and tls13:
            # OpenSSL rejects the list (1.1.1 at any unknown name, 3.x when it knows none: a comma-separated
            # list is one unknown name); libocpp only logs that, so OpenSSL's defaults stay.
            suites = [s for s in (lookup(n) for n in OPENSSL_TLS13_DEFAULT) if s is not None]
            origin, note = Origin.DEFAULT, f"SupportedCiphers13 is rejected ({rejected}); OpenSSL's defaults stay"
        elif rejected is not None:
            note = f"SSL_CTX_set_cipher_list fails ({rejected}): libocpp aborts the TLS set-up"
            if not unknown:
                self.diagnostics.append(Diagnostic(anchor, f"TLS 1.2 cipher list: {note}", "warning"))
        names = [suite.iana_name for suite in suites]
        by_token = {t.strip().upper(): w for t, w in zip(tokens, token_locations, strict=False)}
        located_items = tuple(
            by_token.get((suite.openssl_name or "").upper()) or by_token.get(suite.iana_name.upper())
            for suite in suites
        )
        subject.set(path, Located(names, origin, anchor, note=note, items=located_items))
        if not tls13 and origin is Origin.EXPLICIT:
            from tlslint.sources.openssl_client import lowered_level_fact

            fact = lowered_level_fact(expression, {"openssl": self.openssl})
            if fact is not None:
                subject.set("cipher_suites.security_level_lowered", Located(fact[0], origin, anchor, note=fact[1]))
        if unknown:
            unknown_items = tuple(by_token.get(t.strip().upper()) for t in unknown)
            previous = subject.get("cipher_suites.unknown_names")
            if previous is not None:
                unknown = [*previous.value, *unknown]
                unknown_items = (*previous.items, *unknown_items)
            subject.set("cipher_suites.unknown_names", Located(unknown, origin, anchor, items=unknown_items))
        return names

    def _protocols(self, subject: Subject, tls12: list[str] | None, tls13: list[str] | None) -> None:
        from tlslint.catalog import versions

        # SSLv23_client_method without bounds: OpenSSL 3 cannot negotiate TLS < 1.2 at its default
        # security level 1 (SHA-1/MD5 handshakes); 1.1.1 still can, if a suite allows it.
        family = openssl_ciphers.version_family(self.openssl)
        candidates = (
            ["TLSv1.2", "TLSv1.3"] if family not in ("1.0.2", "1.1.1") else ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
        )
        offered = []
        for version in candidates:
            if version == "TLSv1.3":
                if tls13:
                    offered.append(version)
                continue
            rank = versions.rank(version)
            if any((s := lookup(n)) is not None and versions.rank(s.min_version) <= rank for n in tls12 or []):
                offered.append(version)
        anchor = subject.get("cipher_suites.tls12") or subject.get("ocpp.security_profile")
        note = (
            f"libocpp sets no version bounds; versions a peer can negotiate with OpenSSL {self.openssl} "
            "and the configured cipher lists"
        )
        subject.set(
            "protocols", Located(offered, Origin.DEFAULT, anchor.location if anchor else subject.location, note=note)
        )

    def _priority(self) -> tuple[list[int], StringMap] | None:
        found = self.var("priority")
        if found is None or found.value in (None, ""):
            return None
        slots = [n for n in (_int(part) for part in re.split(r"[,\s]+", str(found.value))) if n is not None]
        return slots, found.strings()

    def _retry(self, subject: Subject) -> None:
        attempts = self.located("attempts", _int)
        if attempts is not None:
            subject.set(
                "connection.retry.max_retries",
                Located(
                    max(attempts.value - 1, 0),
                    attempts.origin,
                    attempts.location,
                    note="NetworkProfileConnectionAttempts per slot, then the next slot",
                ),
            )
        repeat = self.located("backoff_repeat", _int)
        if repeat is not None:
            subject.set("connection.retry.backoff", Located(repeat.value > 0, repeat.origin, repeat.location))
            minimum = self.located("backoff_min", _int)
            spread = self.located("backoff_random", _int)
            if minimum is not None:
                longest = minimum.value * 2 ** max(repeat.value, 0) + (spread.value if spread else 0)
                subject.set(
                    "connection.retry.max_delay",
                    Located(
                        longest,
                        Origin.EXPLICIT,
                        minimum.location,
                        note="RetryBackOffWaitMinimum doubled RetryBackOffRepeatTimes times, plus the random range",
                    ),
                )

    def _failover(self, built: list[tuple[Subject, int | None, int]]) -> None:
        reachable = [(s, r, p) for s, r, p in built if r is not None] or built
        strongest = max((p for _, _, p in reachable), default=-1)
        best = next((s for s, _, p in reachable if p == strongest), None)
        for subject, rank, profile in built:
            self._retry(subject)
            found = subject.get("ocpp.security_profile")
            if found is not None and best is not None and (rank is not None or reachable is built):
                weaker = profile < strongest
                note = f"{best.id} uses security profile {strongest}" if weaker else None
                subject.set("ocpp.profile_downgrade", Located(weaker, Origin.EXPLICIT, found.location, note=note))
            self.subjects.append(subject)
        primary = min(reachable, key=lambda item: item[1] if item[1] is not None else 1_000, default=None)
        reported = self.located("security_profile", _int)
        if primary is not None and reported is not None and primary[2] >= 0:
            matches = reported.value == primary[2]
            note = (
                None
                if matches
                else f"{primary[0].id} (first in NetworkConfigurationPriority) uses profile {primary[2]}"
            )
            primary[0].set(
                "ocpp.reported_profile_matches", Located(matches, Origin.EXPLICIT, reported.location, note=note)
            )

    # --- secrets ------------------------------------------------------------------------------------

    def _station_secret(self) -> None:
        found = self.var("password")
        if (
            found is None
            or found.component not in self.own
            or not isinstance(found.value, str | int)
            or found.value == ""
        ):
            return
        purpose = "ocpp16-authorization-key" if self.model.flavour == V16 else "ocpp-basic-auth"
        self._secret(
            f"libocpp:{found.component}.{found.name}",
            str(found.value),
            "password",
            purpose,
            found.location,
            found.limits,
        )

    def _secret(
        self,
        name: str,
        value: str,
        kind: str,
        purpose: str,
        where: Location,
        limits: dict[str, Any],
        *,
        ocpp21: bool = False,
    ) -> None:
        subject = Subject("secret", name, where, ENGINE)
        subject.set("secret.kind", Located(kind, Origin.EXPLICIT, where))
        # libocpp reads the value from the device model: there is no way to reference a secret store.
        subject.set("secret.inline", Located(True, Origin.EXPLICIT, where))
        subject.set("secret.purpose", Located(purpose, Origin.EXPLICIT, where))
        subject.set(
            "secret.known_default", Located(value.strip().lower() in KNOWN_DEFAULT_PASSWORDS, Origin.EXPLICIT, where)
        )
        if purpose == "ocpp-basic-auth":
            # OCPP 2.0.1: 16..40 characters; 2.1 and the 2.0.1 errata: 16..maxLimit (40..64).
            top = _int(limits.get("maxLimit"))
            top = 64 if ocpp21 else min(max(top or 40, 40), 64)
            subject.set("secret.length_ok", Located(16 <= len(value) <= top, Origin.EXPLICIT, where))
        elif purpose == "ocpp16-authorization-key":
            # OCPP 1.6 security whitepaper: 16..20 random bytes, written as up to 40 hex digits.
            subject.set("secret.length_ok", Located(16 <= len(value) <= 40, Origin.EXPLICIT, where))
            is_hex = re.fullmatch(r"[0-9A-Fa-f]+", value) is not None
            subject.set("secret.format_ok", Located(is_hex, Origin.EXPLICIT, where))
        self.subjects.append(subject)


# --- helpers -----------------------------------------------------------------------------------------


def _tokens(expression: str, strings: StringMap, *, tls13: bool) -> tuple[list[str], list[Location | None]]:
    """Elements of a cipher string with the location of each (OpenSSL splits 1.2 lists on ':', ',' and
    spaces, TLS 1.3 lists on ':' only)."""
    pattern = r"[^:]+" if tls13 else r"[^:,\s]+"
    tokens, locations = [], []
    for match in re.finditer(pattern, expression):
        tokens.append(match.group(0).strip())
        locations.append(strings.at(match.start(), match.end()))
    return tokens, locations


def _unknown_token(token: str, *, tls13: bool, openssl: str) -> bool:
    word = token.strip()
    if not word or word[0] in "!-+@" or (not tls13 and "+" in word):
        return False
    try:
        if tls13:
            return not openssl_ciphers.parse_ciphersuites(word, openssl)
        return not openssl_ciphers.expand(word, openssl)
    except openssl_ciphers.CipherStringError:
        return True


def _element(strings: StringMap, element: str) -> Location:
    for match in re.finditer(r"[^,\s]+", strings.value):
        if match.group(0) == element:
            return strings.at(match.start(), match.end())
    return strings.where


def _dig(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _list(value: Any) -> list[str] | None:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    return None
