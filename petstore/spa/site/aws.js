// Clients for the three AWS services the app calls directly, with fetch:
// the user pool (Cognito's JSON 1.1 protocol), the identity pool (Cognito
// Identity's JSON 1.1 protocol) and the product store (DynamoDB's JSON 1.0
// protocol, SigV4-signed). They keep the session (tokens) in
// sessionStorage and the guest identity in localStorage.

import { sign } from './sigv4.js';

/** AWSError is an error answer from an AWS service. */
export class AWSError extends Error {
  constructor(type, message, status) {
    super(message || type || `request failed (HTTP ${status})`);
    this.name = 'AWSError';
    this.type = type; // such as "NotAuthorizedException"
    this.status = status;
  }
}

/**
 * errorType reads the __type of an AWS JSON error, which may carry a
 * namespace ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")
 * or, from some services, come in the X-Amzn-ErrorType header instead.
 */
function errorType(body, res) {
  let t = (body && (body.__type || body.code)) || res.headers.get('x-amzn-errortype') || '';
  t = String(t);
  if (t.includes('#')) t = t.slice(t.lastIndexOf('#') + 1);
  if (t.includes(':')) t = t.slice(0, t.indexOf(':'));
  return t;
}

/** awsJSON POSTs an AWS JSON protocol request and returns the decoded answer. */
async function awsJSON(url, { target, version, body, signWith }) {
  const text = JSON.stringify(body);
  let headers = {
    'Content-Type': `application/x-amz-json-${version}`,
    'X-Amz-Target': target,
  };
  if (signWith) headers = (await sign({ method: 'POST', url, headers, body: text }, signWith.credentials, signWith)).headers;
  const res = await fetch(url, { method: 'POST', headers, body: text, credentials: 'omit', cache: 'no-store' });
  const raw = await res.text();
  let data = {};
  if (raw) {
    try {
      data = JSON.parse(raw);
    } catch {
      if (res.ok) throw new AWSError('SerializationException', 'The service answered with something that is not JSON.', res.status);
    }
  }
  if (!res.ok) {
    // AWS JSON errors say "message" (Cognito) or "Message" (some DynamoDB errors).
    throw new AWSError(errorType(data, res), data.message || data.Message || '', res.status);
  }
  return data;
}

/** decodeJWT returns the claims of a JWT, unverified: the client only reads its own tokens. */
export function decodeJWT(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(part + '='.repeat((4 - (part.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function load(storage, key) {
  try {
    return JSON.parse(storage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

function save(storage, key, value) {
  if (value === null || value === undefined) storage.removeItem(key);
  else storage.setItem(key, JSON.stringify(value));
}

const SESSION_KEY = 'petstore.session';
const CREDENTIALS_KEY = 'petstore.credentials';
const GUEST_KEY = 'petstore.guestIdentity';

/** How long before they expire tokens and credentials are renewed, in milliseconds. */
const EARLY = 60 * 1000;

/**
 * AWS holds the app's configuration (config.json) and talks to the user
 * pool, the identity pool and the product store on its behalf.
 */
export class AWS {
  constructor(config, { onSessionChange = () => {} } = {}) {
    this.config = config;
    this.region = config.region || 'us-east-1';
    this.onSessionChange = onSessionChange;
    this.pendingCredentials = null;
  }

  /** endpoint is the URL a service's requests go to. */
  endpoint(service) {
    const base = this.config.awsEndpoint;
    if (base) return base.replace(/\/*$/, '/');
    const suffix = this.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `https://${service}.${this.region}.${suffix}/`;
  }

  /** loginKey names the user pool in an identity pool's Logins map. */
  loginKey() {
    return `cognito-idp.${this.region}.amazonaws.com/${this.config.userPoolId}`;
  }

  // --- The user pool ---

  idp(operation, body) {
    return awsJSON(this.endpoint('cognito-idp'), {
      target: `AWSCognitoIdentityProviderService.${operation}`,
      version: '1.1',
      body,
    });
  }

  /** session returns the signed-in user's tokens and name, or null. */
  session() {
    return load(sessionStorage, SESSION_KEY);
  }

  setSession(s) {
    save(sessionStorage, SESSION_KEY, s);
    save(sessionStorage, CREDENTIALS_KEY, null); // a new principal needs new credentials
    this.pendingCredentials = null;
    this.onSessionChange(s);
  }

  /** user returns the claims of the signed-in user's ID token, or null. */
  user() {
    const s = this.session();
    return s ? decodeJWT(s.idToken) : null;
  }

  /** signUp registers a user. The pool confirms sign-ups itself, so the user can sign in at once. */
  async signUp(username, password, email) {
    const body = { ClientId: this.config.clientId, Username: username, Password: password };
    if (email) body.UserAttributes = [{ Name: 'email', Value: email }];
    return this.idp('SignUp', body);
  }

  /** signIn signs a user in with USER_PASSWORD_AUTH and keeps the tokens. */
  async signIn(username, password) {
    const out = await this.idp('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: this.config.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    const r = out.AuthenticationResult;
    if (!r || !r.IdToken) {
      throw new AWSError(out.ChallengeName || 'UnsupportedChallenge',
        `Signing in needs a step this shop does not offer (${out.ChallengeName || 'unknown challenge'}).`, 200);
    }
    const claims = decodeJWT(r.IdToken);
    this.setSession({
      idToken: r.IdToken,
      accessToken: r.AccessToken,
      refreshToken: r.RefreshToken,
      username: claims['cognito:username'] || username,
    });
    return this.session();
  }

  /**
   * idToken returns a current ID token, renewing it with the refresh
   * token when it is about to expire. It returns null when nobody is
   * signed in or the session could not be renewed (which ends it).
   */
  async idToken() {
    const s = this.session();
    if (!s) return null;
    const exp = decodeJWT(s.idToken).exp;
    if (exp && exp * 1000 - EARLY > Date.now()) return s.idToken;
    if (!s.refreshToken) {
      this.setSession(null);
      return null;
    }
    try {
      const out = await this.idp('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: this.config.clientId,
        AuthParameters: { REFRESH_TOKEN: s.refreshToken },
      });
      const r = out.AuthenticationResult || {};
      // Cognito returns no new refresh token for this flow: keep the old one.
      this.setSession({ ...s, idToken: r.IdToken, accessToken: r.AccessToken, refreshToken: r.RefreshToken || s.refreshToken });
      return r.IdToken;
    } catch (err) {
      if (err instanceof AWSError && err.status < 500) {
        this.setSession(null);
        return null;
      }
      throw err;
    }
  }

  /**
   * signOut ends the session everywhere (GlobalSignOut revokes the
   * user's tokens) and here. The local session ends even if the pool
   * cannot be reached.
   */
  async signOut() {
    const s = this.session();
    this.setSession(null);
    if (!s) return;
    try {
      await this.idp('GlobalSignOut', { AccessToken: s.accessToken });
    } catch {
      // The tokens are gone from this browser; they expire on their own.
    }
  }

  // --- The identity pool ---

  identity(operation, body) {
    return awsJSON(this.endpoint('cognito-identity'), {
      target: `AWSCognitoIdentityService.${operation}`,
      version: '1.1',
      body,
    });
  }

  /**
   * credentials returns AWS credentials from the identity pool: the
   * authenticated role's when a user is signed in, the unauthenticated
   * role's otherwise. They are cached in sessionStorage until a few
   * minutes before they expire, and dropped when the user signs in or out.
   */
  async credentials() {
    if (!this.pendingCredentials) {
      this.pendingCredentials = this.fetchCredentials().finally(() => {
        this.pendingCredentials = null;
      });
    }
    return this.pendingCredentials;
  }

  /** dropCredentials forgets the cached credentials, after the store refused them. */
  dropCredentials() {
    save(sessionStorage, CREDENTIALS_KEY, null);
  }

  async fetchCredentials() {
    const token = await this.idToken();
    const sub = token ? decodeJWT(token).sub : '';
    const cached = load(sessionStorage, CREDENTIALS_KEY);
    if (cached && cached.sub === sub && cached.expiration - 5 * EARLY > Date.now()) return cached;

    const pool = this.config.identityPoolId;
    const logins = token ? { [this.loginKey()]: token } : undefined;
    const guests = load(localStorage, GUEST_KEY) || {};
    let identityId = token ? (cached && cached.sub === sub ? cached.identityId : '') : guests[pool] || '';
    for (let attempt = 0; ; attempt++) {
      if (!identityId) {
        const body = { IdentityPoolId: pool };
        if (logins) body.Logins = logins;
        identityId = (await this.identity('GetId', body)).IdentityId;
        if (!token) save(localStorage, GUEST_KEY, { ...guests, [pool]: identityId });
      }
      try {
        const body = { IdentityId: identityId };
        if (logins) body.Logins = logins;
        const out = await this.identity('GetCredentialsForIdentity', body);
        const c = out.Credentials;
        const creds = {
          sub,
          identityId: out.IdentityId || identityId,
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretKey,
          sessionToken: c.SessionToken,
          // A JSON 1.1 timestamp is seconds since the epoch.
          expiration: typeof c.Expiration === 'number' ? c.Expiration * 1000 : Date.parse(c.Expiration),
        };
        save(sessionStorage, CREDENTIALS_KEY, creds);
        return creds;
      } catch (err) {
        // A remembered guest identity may be gone (a restarted emulator):
        // start over with a new one, once.
        if (attempt === 0 && !token && err instanceof AWSError && err.type === 'ResourceNotFoundException') {
          identityId = '';
          continue;
        }
        throw err;
      }
    }
  }

  // --- The product store ---

  /**
   * dynamo calls a DynamoDB operation with the identity pool's
   * credentials, signing the request with SigV4. Credentials the store
   * no longer accepts are renewed, and the call tried again once.
   */
  async dynamo(operation, input) {
    for (let attempt = 0; ; attempt++) {
      const credentials = await this.credentials();
      try {
        return await awsJSON(this.endpoint('dynamodb'), {
          target: `DynamoDB_20120810.${operation}`,
          version: '1.0',
          body: input,
          signWith: { credentials, region: this.region, service: 'dynamodb' },
        });
      } catch (err) {
        const stale = ['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException'];
        if (attempt === 0 && err instanceof AWSError && stale.includes(err.type)) {
          this.dropCredentials();
          continue;
        }
        throw err;
      }
    }
  }
}

/** unmarshal turns a DynamoDB attribute value into plain JavaScript. */
export function unmarshal(av) {
  if (!av || typeof av !== 'object') return undefined;
  if ('S' in av) return av.S;
  if ('N' in av) return Number(av.N);
  if ('BOOL' in av) return av.BOOL;
  if ('NULL' in av) return null;
  if ('L' in av) return av.L.map(unmarshal);
  if ('M' in av) return unmarshalItem(av.M);
  if ('SS' in av) return [...av.SS];
  if ('NS' in av) return av.NS.map(Number);
  if ('B' in av) return av.B; // base64, as it came
  if ('BS' in av) return [...av.BS];
  return undefined;
}

/** unmarshalItem turns a DynamoDB item into a plain object. */
export function unmarshalItem(item) {
  const out = {};
  for (const [k, v] of Object.entries(item || {})) out[k] = unmarshal(v);
  return out;
}
