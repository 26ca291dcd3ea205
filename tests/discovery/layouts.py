"""Real-world configuration layouts, written at test time (symbolic links and a repository marker
cannot be stored as fixtures). Each reproduces the shape of a distribution's default tree in our own
words: Debian's nginx (``sites-available`` with ``sites-enabled`` links, ``conf.d``, ``snippets``) and
Debian's Apache httpd (``apache2.conf`` including ``mods-enabled``, ``ports.conf``, ``conf-enabled`` and
``sites-enabled``). Includes are written relative to the configuration directory, as nginx and httpd
resolve them against their prefix / ServerRoot."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

NGINX = {
    "nginx.conf": """\
        user www-data;
        worker_processes auto;
        pid /run/nginx.pid;

        events {
            worker_connections 768;
        }

        http {
            sendfile on;
            tcp_nopush on;
            types_hash_max_size 2048;
            server_tokens off;
            include mime.types;
            default_type application/octet-stream;

            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_prefer_server_ciphers off;

            access_log /var/log/nginx/access.log;
            gzip on;

            include conf.d/*.conf;
            include sites-enabled/*;
        }
    """,
    "mime.types": """\
        types {
            text/html html htm;
            application/json json;
        }
    """,
    "conf.d/ssl-params.conf": """\
        # shared TLS settings for every site
        ssl_session_timeout 1d;
        ssl_session_cache shared:SSL:10m;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA;
    """,
    "sites-available/default": """\
        server {
            listen 80 default_server;
            server_name _;
            return 301 https://$host$request_uri;
        }

        server {
            listen 443 ssl default_server;
            server_name example.org;
            ssl_certificate /etc/ssl/certs/example.pem;
            ssl_certificate_key /etc/ssl/private/example.key;
            include snippets/legacy-clients.conf;

            location / {
                root /var/www/html;
            }
        }
    """,
    "snippets/legacy-clients.conf": """\
        # old payment terminals
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    """,
    "sites-enabled/shop.conf": """\
        server {
            listen 8443 ssl;
            server_name shop.example.org;
            ssl_certificate /etc/ssl/certs/shop.pem;
            ssl_certificate_key /etc/ssl/private/shop.key;
            ssl_session_tickets on;
        }
    """,
}
NGINX_LINKS = {"sites-enabled/default": "../sites-available/default"}

APACHE = {
    "apache2.conf": """\
        # global configuration
        PidFile /var/run/apache2/apache2.pid
        Timeout 300
        KeepAlive On
        User www-data
        Group www-data
        HostnameLookups Off
        ErrorLog /var/log/apache2/error.log
        LogLevel warn

        IncludeOptional mods-enabled/*.load
        IncludeOptional mods-enabled/*.conf
        Include ports.conf

        <Directory />
            Options FollowSymLinks
            AllowOverride None
            Require all denied
        </Directory>

        AccessFileName .htaccess
        IncludeOptional conf-enabled/*.conf
        IncludeOptional sites-enabled/*.conf
    """,
    "mods-enabled/ssl.load": "LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\n",
    "mods-enabled/ssl.conf": """\
        <IfModule mod_ssl.c>
            SSLRandomSeed startup builtin
            SSLRandomSeed startup file:/dev/urandom 512
            SSLSessionCacheTimeout 300
            SSLCipherSuite HIGH:!aNULL
            SSLProtocol -all +TLSv1.2 +TLSv1.3
        </IfModule>
    """,
    "ports.conf": """\
        Listen 80
        <IfModule ssl_module>
            Listen 443
        </IfModule>
    """,
    "conf-enabled/security.conf": """\
        ServerTokens Prod
        ServerSignature Off
        TraceEnable Off
    """,
    "sites-available/default-ssl.conf": """\
        <VirtualHost *:443>
            ServerName example.org
            DocumentRoot /var/www/html
            SSLEngine on
            SSLCertificateFile /etc/ssl/certs/ssl-cert-snakeoil.pem
            SSLCertificateKeyFile /etc/ssl/private/ssl-cert-snakeoil.key
            SSLProtocol -all +TLSv1 +TLSv1.2
        </VirtualHost>
    """,
}
APACHE_LINKS = {"sites-enabled/default-ssl.conf": "../sites-available/default-ssl.conf"}


def write_tree(root: Path, files: dict[str, str], links: dict[str, str] | None = None) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    for name, target in (links or {}).items():
        link = root / name
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, link)
    return root


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def debian_nginx(repo: Path) -> Path:
    """``repo/etc/nginx`` in Debian's shape; returns the nginx directory."""
    return write_tree(repo / "etc" / "nginx", NGINX, NGINX_LINKS)


def debian_apache(repo: Path) -> Path:
    """``repo/etc/apache2`` in Debian's shape; returns the apache2 directory."""
    return write_tree(repo / "etc" / "apache2", APACHE, APACHE_LINKS)
