// Backend service that pushes firmware metadata to chargers and talks to the meter gateway.
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using Org.BouncyCastle.Tls;

namespace Cpo.Backend
{
    public class FirmwareServerClient
    {
        public HttpClient Create()
        {
            var handler = new HttpClientHandler
            {
                SslProtocols = SslProtocols.Tls11 | SslProtocols.Tls12,
                CheckCertificateRevocationList = false,
            };
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
            return new HttpClient(handler);
        }
    }

    public class MeterGatewayTlsClient : DefaultTlsClient
    {
        public MeterGatewayTlsClient(BcTlsCrypto crypto) : base(crypto) { }

        protected override ProtocolVersion[] GetSupportedVersions()
        {
            return ProtocolVersion.TLSv12.DownTo(ProtocolVersion.TLSv10);
        }

        protected override int[] GetSupportedCipherSuites()
        {
            return new int[] { CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 };
        }

        public override TlsAuthentication GetAuthentication()
        {
            return new AcceptAnyAuthentication();
        }
    }

    internal class AcceptAnyAuthentication : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
        {
            return null;
        }
    }
}
