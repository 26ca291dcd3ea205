"""Canonical fields of certificate, key and trust-store subjects.

:mod:`tlslint.pki.facts` fills them; rule packs name them. Sizes and lifetimes are plain integers
(bits, days) so that rule parameters read naturally (``min_rsa_bits: 2048``). Everything here is
public information about a certificate or key: no field ever holds private-key material, a
passphrase or a password.
"""

from __future__ import annotations

from tlslint.model.fields import FieldSpec

ROLES = "server-leaf client-leaf leaf intermediate root"
KEY_TYPES = "RSA EC Ed25519 Ed448 DSA DH X25519 X448 unknown"


def _f(path: str, type_: str, doc: str, wp: str = "", values: str = "") -> FieldSpec:
    return FieldSpec(path, type_, doc, tuple(wp.split()) if wp else (), tuple(values.split()) if values else ())


CERTIFICATE_FIELDS: tuple[FieldSpec, ...] = (
    # Role: from how the certificate is used (first in a chain file, paired with a private key, in a
    # trust store) or, failing that, from its extensions.
    _f(
        "cert.role",
        "enum",
        "server-leaf, client-leaf, leaf (EKU allows both or is absent), intermediate, root",
        "1.10",
        ROLES,
    ),
    _f("role", "enum", "the same as cert.role, so that applies_to: {role: ...} filters work", "1.10", ROLES),
    _f("cert.role_source", "enum", "how the role was decided", "", "usage extensions"),
    _f("cert.encoding", "enum", "how the certificate was stored", "", "pem der pkcs7 pkcs12"),
    _f("cert.subject.cn", "str", "subject commonName (first)", "1.37"),
    _f("cert.subject.o", "str", "subject organizationName (first)", ""),
    _f("cert.issuer.cn", "str", "issuer commonName (first)", ""),
    _f("cert.fingerprint_sha256", "str", "SHA-256 of the DER certificate, hex (also the subject id)", ""),
    _f(
        "cert.spki_sha256",
        "str",
        "SHA-256 of the DER SubjectPublicKeyInfo, hex (the TLSA 3 1 1 / pin value)",
        "1.8 1.38",
    ),
    # Key and signature
    _f("cert.key.type", "enum", "public-key algorithm", "1.10", KEY_TYPES),
    _f("cert.key.bits", "int", "RSA/DSA modulus size, EC curve size, 256 for Ed25519, 448 for Ed448", "1.10"),
    _f("cert.key.curve", "str", "named curve of an EC key (secp256r1, ...)", "1.10"),
    _f("cert.key.rsa_exponent", "int", "RSA public exponent", "1.10"),
    _f(
        "cert.key.weak",
        "bool",
        "the public key is known-weak (ROCA fingerprint, small factor, even modulus, bad exponent)",
        "",
    ),
    _f("cert.key.weak_reason", "str", "why the key is weak", ""),
    _f(
        "cert.signature_algorithm",
        "str",
        "signature algorithm (sha256WithRSAEncryption, ecdsa-with-SHA256, ...)",
        "1.4",
    ),
    _f(
        "cert.signature_hash",
        "enum",
        "hash of the signature; 'intrinsic' for EdDSA",
        "1.4",
        "md5 sha1 sha224 sha256 sha384 sha512 sha3-256 sha3-384 sha3-512 intrinsic unknown",
    ),
    _f("cert.version", "int", "X.509 version: 1 or 3", ""),
    # Validity, relative to the run's evaluation date (--at)
    _f("cert.not_before", "str", "notBefore, ISO 8601 UTC", "1.11"),
    _f("cert.not_after", "str", "notAfter, ISO 8601 UTC", "1.11"),
    _f("cert.expired", "bool", "notAfter is before the evaluation date", "1.11"),
    _f("cert.not_yet_valid", "bool", "notBefore is after the evaluation date", "1.11"),
    _f(
        "cert.days_until_expiry",
        "int",
        "whole days from the evaluation date to notAfter (negative when expired)",
        "1.11",
    ),
    _f("cert.lifetime_days", "int", "notAfter minus notBefore, in whole days", "1.11"),
    # Identity
    _f(
        "cert.self_signed",
        "bool",
        "issuer equals subject and the certificate's own key verifies its signature",
        "1.6 1.7",
    ),
    _f("cert.san.present", "bool", "a subjectAltName extension is present", "1.37"),
    _f("cert.san.dns", "list", "dNSName entries of subjectAltName", "1.37"),
    _f("cert.san.ip", "list", "iPAddress entries of subjectAltName", "1.37"),
    _f("cert.cn_only", "bool", "a leaf names its identity only in the CN (no DNS or IP SAN)", "1.37"),
    _f("cert.wildcard", "bool", "a DNS SAN or the CN contains a wildcard label", "1.11 1.37"),
    # Extensions
    _f("cert.basic_constraints.present", "bool", "basicConstraints extension present", ""),
    _f("cert.basic_constraints.ca", "bool", "basicConstraints cA flag", ""),
    _f("cert.basic_constraints.path_length", "int", "basicConstraints pathLenConstraint", ""),
    _f("cert.key_usage.present", "bool", "keyUsage extension present", ""),
    _f("cert.key_usage", "list", "keyUsage bits (RFC 5280 names: digitalSignature, keyCertSign, ...)", ""),
    _f("cert.extended_key_usage.present", "bool", "extendedKeyUsage extension present", ""),
    _f("cert.extended_key_usage", "list", "extendedKeyUsage purposes (serverAuth, clientAuth, ... or the OID)", ""),
    _f("cert.usage_mismatch", "list", "keyUsage / extendedKeyUsage / basicConstraints that contradict the role", ""),
    _f("cert.serial_bits", "int", "bit length of the serial number (CA/B asks for >= 64 bits of CSPRNG output)", ""),
    _f("cert.serial_positive", "bool", "the serial number is positive and non-zero (RFC 5280 4.1.2.2)", ""),
    _f("cert.ski", "bool", "subjectKeyIdentifier present", ""),
    _f("cert.aki", "bool", "authorityKeyIdentifier present", ""),
    _f("cert.revocation_pointers", "list", "where revocation can be checked: 'ocsp', 'crl'", "1.11 1.12"),
    _f("cert.must_staple", "bool", "TLS feature status_request (OCSP must-staple) present", "1.12"),
    _f("cert.test_pki", "bool", "subject or issuer matches a well-known test, demo or tool PKI", ""),
    _f("cert.test_pki.match", "str", "which well-known test PKI matched", ""),
    # Cross-file facts (set by tlslint.pki.facts.link)
    _f("cert.key_reused", "bool", "the same public key appears in another certificate of the run", ""),
    _f("cert.key_reused_with", "list", "labels of the other certificates with the same public key", ""),
    _f("cert.in_trust_store", "bool", "the certificate is part of a trust store", "1.6"),
    _f(
        "cert.used_by",
        "list",
        "ids of the endpoints that present the certificate or trust it as an anchor (set by tlslint.link)",
        "1.10",
    ),
    _f(
        "chain.status",
        "enum",
        "path to a root found in the run and verified (leaves only)",
        "1.11",
        "valid invalid missing-issuer no-anchor",
    ),
    _f("chain.error", "str", "why the chain did not verify", "1.11"),
    # Position in a multi-certificate file
    _f("bundle.index", "int", "0-based position of the certificate in its file", ""),
    _f("bundle.size", "int", "number of certificates in the file", ""),
    _f("bundle.out_of_order", "bool", "in a chain file, this certificate does not certify the one before it", ""),
)

KEY_FIELDS: tuple[FieldSpec, ...] = (
    _f("key.type", "enum", "key algorithm (absent when an encrypted PKCS#8 key hides it)", "1.10", KEY_TYPES),
    _f("key.bits", "int", "key size as for cert.key.bits", "1.10"),
    _f("key.curve", "str", "named curve of an EC key", "1.10"),
    _f("key.format", "enum", "container format", "1.10", "pkcs1 pkcs8 sec1 pkcs12 openssh"),
    _f("key.encrypted", "bool", "the private key is encrypted with a passphrase", "1.10"),
    _f("key.encryption", "str", "the legacy PEM (DEK-Info) cipher of an encrypted key", "1.10"),
    _f("key.file_mode", "str", "permission bits of the key file, octal (POSIX only)", "1.10"),
    _f("key.file_mode_too_open", "bool", "group or others may read or write the key file", "1.10"),
    _f("key.spki_sha256", "str", "SHA-256 of the public half's SubjectPublicKeyInfo, hex", "1.8"),
    _f(
        "key.matches_certificate",
        "bool",
        "the key belongs to the certificate stored next to it (same file, stem or bundle)",
        "1.10",
    ),
    _f("key.weak", "bool", "the key is known-weak (too small is judged by rules on key.bits)", ""),
    _f("key.weak_reason", "str", "why the key is weak", ""),
)

TRUST_STORE_FIELDS: tuple[FieldSpec, ...] = (
    _f("store.size", "int", "number of certificates in the store", "1.6"),
    _f("store.expired_roots", "list", "labels of expired certificates in the store", "1.6"),
    _f("store.non_ca_certificates", "list", "labels of certificates that are not CAs (no basicConstraints cA)", "1.6"),
    _f("store.not_self_signed", "list", "labels of store certificates that are not self-signed roots", "1.6"),
    _f("store.weak_roots", "list", "labels of roots with RSA < 2048 bits or MD5/SHA-1-signed", "1.6"),
    _f("store.public_roots", "int", "how many well-known public web-PKI roots the store holds", "1.6"),
    _f("store.includes_system_roots", "bool", "the store looks like a copy of an OS / Mozilla root bundle", "1.6"),
    _f("store.duplicates", "int", "certificates present more than once", "1.6"),
)

FIELDS_BY_KIND: dict[str, tuple[FieldSpec, ...]] = {
    "certificate": CERTIFICATE_FIELDS,
    "key": KEY_FIELDS,
    "trust_store": TRUST_STORE_FIELDS,
}
