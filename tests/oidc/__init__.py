"""A real OpenID provider on 127.0.0.1 for the single sign-on tests (tests/oidc/provider.mjs, npm's `oidc-provider`).

`running_provider(accounts, redirect_uri)` starts it with the given people — login → claims, e.g.
{"lan.nguyen": {"staff_code": "CB001", "email": "lan@hcmc.gov.vn"}} — and yields the portal's settings that
point at it; the provider stops when the block ends.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import selectors
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
CLIENT_ID = "cong-de-xuat"
#: How long the provider may take to start on a loaded machine.
START_WITHIN_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_provider(accounts: dict[str, dict], redirect_uri: str):
    node = shutil.which("node")
    assert node, "the single sign-on tests need Node.js (make deps installs the provider with npm)"
    port = _free_port()
    secret = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "provider.json"
        config.write_text(json.dumps({
            "port": port, "client_id": CLIENT_ID, "client_secret": secret, "redirect_uris": [redirect_uri],
            "post_logout_redirect_uris": [redirect_uri.replace("/oidc/callback/", "/accounts/login/")],
            "cookie_key": secrets.token_urlsafe(24), "accounts": accounts,
        }))
        # Its warnings (development keys, development sign-in page) go to a file, which never fills up.
        errors = (Path(folder) / "provider.log").open("w+")
        process = subprocess.Popen([node, str(HERE / "provider.mjs"), str(config)], cwd=PROJECT,
                                   stdout=subprocess.PIPE, stderr=errors, text=True)
        try:
            issuer = _wait_until_ready(process, errors)
            yield {
                "OIDC_RP_CLIENT_ID": CLIENT_ID,
                "OIDC_RP_CLIENT_SECRET": secret,
                "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/auth",
                "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token",
                "OIDC_OP_USER_ENDPOINT": f"{issuer}/me",
                "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks",
                "OIDC_OP_LOGOUT_ENDPOINT": f"{issuer}/session/end",
                "OIDC_STORE_ID_TOKEN": True,
                "OIDC_RP_SCOPES": "openid email profile staff",
                "SINGLE_SIGN_ON": True,
            }
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            errors.close()


def _wait_until_ready(process: subprocess.Popen, errors) -> str:
    """The issuer, once the provider says it listens; its own words if it ends first."""
    watch = selectors.DefaultSelector()
    watch.register(process.stdout, selectors.EVENT_READ)
    if not watch.select(timeout=START_WITHIN_SECONDS):
        process.kill()
        raise RuntimeError("the OpenID provider did not start within a minute")
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        errors.seek(0)
        raise RuntimeError(f"the OpenID provider did not start: {line}{errors.read()}")
    return line.split(" ", 1)[1].strip()
