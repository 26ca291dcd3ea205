// Backend service that pushes firmware metadata to chargers.
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;

namespace Cpo.Backend
{
    public class FirmwareServerClient
    {
        public HttpClient Create()
        {
            var handler = new HttpClientHandler
            {
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CheckCertificateRevocationList = true,
            };
            return new HttpClient(handler);
        }
    }
}
