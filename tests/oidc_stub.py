"""A small local OpenID Connect provider for browser tests, so that st.login signs a test editor in
without any network: discovery, authorize (no questions asked: it signs in the one test user),
token with an id_token signed RS256 (joserfc, which Authlib itself uses), jwks and userinfo.

    with oidc_provider("editora@example.org") as issuer: ...   # issuer: http://127.0.0.1:PORT

Test-only: it trusts every request and holds a throwaway key.
"""

import contextlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "observatorio-pruebas"
CLIENT_SECRET = "solo-para-pruebas"


@contextlib.contextmanager
def oidc_provider(email: str, name: str = "Editora de Pruebas") -> Iterator[str]:
    kid = secrets.token_hex(4)
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})
    public = key.as_dict(private=False)
    nonces: dict[str, str] = {}  # authorization code -> the nonce of its request

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _json(self, body: dict, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _claims(self) -> dict:
            return {"sub": "editora-1", "email": email, "email_verified": True, "name": name}

        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json({
                    "issuer": issuer,
                    "authorization_endpoint": f"{issuer}/authorize",
                    "token_endpoint": f"{issuer}/token",
                    "userinfo_endpoint": f"{issuer}/userinfo",
                    "jwks_uri": f"{issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "email", "profile"],
                })  # fmt: skip
            elif url.path == "/authorize":
                code = secrets.token_urlsafe(16)
                nonces[code] = query.get("nonce", "")
                target = (
                    f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            elif url.path == "/jwks":
                self._json({"keys": [public]})
            elif url.path == "/userinfo":
                self._json(self._claims())
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self):  # noqa: N802
            if urlparse(self.path).path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            now = int(time.time())
            claims = {**self._claims(), "iss": issuer, "aud": CLIENT_ID, "iat": now,
                      "exp": now + 3600, "nonce": nonces.pop(form.get("code", ""), "")}  # fmt: skip
            token = jwt.encode({"alg": "RS256", "kid": kid}, claims, key)
            self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                        "expires_in": 3600, "id_token": token, "scope": "openid email profile"})  # fmt: skip

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()


def secrets_toml(issuer: str, app_url: str, editors: list[str]) -> str:
    """A .streamlit/secrets.toml for an app at app_url signing in through issuer."""
    listed = ", ".join(f'"{e}"' for e in editors)
    return f"""[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "{secrets.token_hex(16)}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[data_desk]
editors = [{listed}]
"""
