// An OpenID provider for the tests: the certified `oidc-provider` package (npm), started on 127.0.0.1 by
// tests/oidc/__init__.py with a JSON file naming its port, one client (the portal) and its people.
//
// The sign-in page is the package's development interaction: any password is accepted, the login typed is
// the account. The portal is a first-party client of the City's provider, so there is no consent screen: the
// grant is given as the City's provider would (loadExistingGrant below, the package's "skip consent" recipe).
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const SCOPES = 'openid email profile staff';

const provider = new Provider(`http://127.0.0.1:${config.port}`, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  scopes: SCOPES.split(' '),
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    staff: ['staff_code'],
  },
  cookies: { keys: [config.cookie_key] },
  async findAccount(ctx, id) {
    // Somebody the provider knows but the portal may not: only the claims that the file gives.
    const claims = config.accounts[id] || {};
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES);
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'staff_code']);
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${provider.issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
