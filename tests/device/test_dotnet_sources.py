""".NET TLS settings and BouncyCastle TlsClient overrides in C# (tree-sitter C#): values, origins, places."""

from __future__ import annotations

from pathlib import Path

from device.support import at, subjects
from device.support import write as write_file


def endpoints(path: Path) -> dict:
    return {s.id.rsplit(":", 1)[-1]: s for s in subjects(path)}


def write(tmp_path: Path, text: str) -> Path:
    return write_file(tmp_path, "Client.cs", text)


CLIENT = """using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;

class Client
{
    HttpClient Create()
    {
        var handler = new HttpClientHandler
        {
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CheckCertificateRevocationList = true,
        };
        handler.ServerCertificateCustomValidationCallback = (m, c, ch, errors) => errors == SslPolicyErrors.None;
        return new HttpClient(handler);
    }

    SslClientAuthenticationOptions Options() => new SslClientAuthenticationOptions
    {
        EnabledSslProtocols = SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.Offline,
        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
    };
}
"""


def test_client_settings(tmp_path: Path) -> None:
    found = endpoints(write(tmp_path, CLIENT))
    create, options = found["Client.Create"], found["Client.Options"]
    assert create.value("source.confidence") == "medium"
    assert at(create, "role")[0] == "client"
    assert at(create, "protocols") == (["TLSv1.2", "TLSv1.3"], "explicit", 11)
    assert at(create, "revocation.mode") == ("crl", "explicit", 12)
    assert at(create, "verify.peer") == (True, "explicit", 14)  # accepts only SslPolicyErrors.None
    assert at(options, "protocols") == (["TLSv1.3"], "explicit", 20)
    assert at(options, "revocation.mode") == ("crl", "explicit", 21)
    assert at(options, "cipher_suites.null_allowed") == (False, "explicit", 22)


def test_defaults_and_os_decided_protocols(tmp_path: Path) -> None:
    text = (
        "class C { System.Net.Http.HttpClient Make() { var h = new HttpClientHandler();"
        " h.SslProtocols = SslProtocols.None; h.CheckCertificateRevocationList = false; return null; } }\n"
    )
    subject = endpoints(write(tmp_path, text))["C.Make"]
    assert subject.get("protocols") is None and "protocols" in subject.value("source.unknown")
    assert at(subject, "revocation.mode") == ("none", "explicit", 1)
    assert at(subject, "verify.peer")[:2] == (True, "default")
    assert at(subject, "cipher_suites.null_allowed")[:2] == (False, "default")


def test_accept_everything_callbacks(tmp_path: Path) -> None:
    for callback in (
        "(m, c, ch, e) => true",
        "delegate { return true; }",
        "HttpClientHandler.DangerousAcceptAnyServerCertificateValidator",
        "AcceptAll",
    ):
        text = (
            "class C {\n"
            "  void Make(HttpClientHandler h) {\n"
            f"    h.ServerCertificateCustomValidationCallback = {callback};\n"
            "  }\n"
            "  static bool AcceptAll(object s, object c, object ch, SslPolicyErrors e) { return true; }\n"
            "}\n"
        )
        subject = endpoints(write(tmp_path, text))["C.Make"]
        assert at(subject, "verify.peer") == (False, "explicit", 3), callback
        assert at(subject, "verify.hostname")[0] is False, callback


def test_opaque_callback_is_unknown(tmp_path: Path) -> None:
    text = (
        "class C { void Make(HttpClientHandler h) {"
        " h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => Vendor(c); } }\n"
    )
    subject = endpoints(write(tmp_path, text))["C.Make"]
    assert subject.get("verify.peer") is None and "verify.peer" in subject.value("source.unknown")
    assert subject.value("source.opaque") == ["certificate validation callback"]


def test_kestrel_check_certificate_revocation(tmp_path: Path) -> None:
    text = (
        "class Startup {\n"
        "  void Configure(HttpsConnectionAdapterOptions o) {\n"
        "    o.SslProtocols = SslProtocols.Tls12;\n"
        "    o.CheckCertificateRevocation = false;\n"
        "  }\n"
        "}\n"
    )
    subject = endpoints(write(tmp_path, text))["Startup.Configure"]
    assert at(subject, "role")[0] == "server"
    assert at(subject, "revocation.mode") == ("none", "explicit", 4)
    assert at(subject, "protocols") == (["TLSv1.2"], "explicit", 3)


def test_encryption_policy(tmp_path: Path) -> None:
    for policy, allowed in (("AllowNoEncryption", True), ("NoEncryption", True), ("RequireEncryption", False)):
        text = (
            "class C { void M() { var o = new SslClientAuthenticationOptions"
            f" {{ EncryptionPolicy = EncryptionPolicy.{policy} }}; }} }}\n"
        )
        subject = endpoints(write(tmp_path, text))["C.M"]
        assert at(subject, "cipher_suites.null_allowed") == (allowed, "explicit", 1), policy


BC = """using Org.BouncyCastle.Tls;

class GatewayClient : DefaultTlsClient
{
    public GatewayClient(TlsCrypto crypto) : base(crypto) { }

    protected override ProtocolVersion[] GetSupportedVersions()
    {
        return new ProtocolVersion[] { ProtocolVersion.TLSv13, ProtocolVersion.TLSv12 };
    }

    protected override int[] GetSupportedCipherSuites()
    {
        return new int[] {
            CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        };
    }
}
"""


def test_bouncycastle_overrides(tmp_path: Path) -> None:
    subject = endpoints(write(tmp_path, BC))["GatewayClient"]
    assert subject.engine == "bouncycastle" and at(subject, "role")[0] == "client"
    assert at(subject, "protocols") == (["TLSv1.2", "TLSv1.3"], "explicit", 7)
    assert at(subject, "cipher_suites.tls13")[0] == ["TLS_AES_128_GCM_SHA256"]
    tls12 = subject.get("cipher_suites.tls12")
    assert tls12.value == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] and tls12.items[0].line == 16
    # BouncyCastle sends no SNI and checks no certificate on its own.
    assert at(subject, "sni.send")[:2] == (False, "default")
    assert subject.get("verify.peer") is None and "verify.peer" in subject.value("source.unknown")


def test_bouncycastle_defaults_without_overrides(tmp_path: Path) -> None:
    text = "class Plain : DefaultTlsClient { public Plain(TlsCrypto c) : base(c) { } }\n"
    subject = endpoints(write(tmp_path, text))["Plain"]
    assert at(subject, "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert "TLS_RSA_WITH_AES_128_CBC_SHA" in at(subject, "cipher_suites.tls12")[0]  # static RSA in the default list


def test_files_with_a_single_setting_are_claimed(tmp_path: Path) -> None:
    for statement in (
        "h.CheckCertificateRevocationList = false;",
        "h.ServerCertificateCustomValidationCallback = (a, b, c, d) => true;",
        "ServicePointManager.ServerCertificateValidationCallback = (a, b, c, d) => true;",
    ):
        text = f"class C {{ void M(HttpClientHandler h) {{ {statement} }} }}\n"
        assert "C.M" in endpoints(write(tmp_path, text)), statement
