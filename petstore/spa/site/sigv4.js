// AWS Signature Version 4 for the browser, on WebCrypto (SubtleCrypto
// HMAC-SHA256 and SHA-256), with no dependencies.
//
// It follows AWS's four steps: (1) the canonical request, (2) the string
// to sign, (3) the signing key derived from the secret through the date,
// region and service, (4) the signature and the Authorization header.
// petstore/spa's Go tests check it against aws-sdk-go-v2's signer.
//
// The signed headers are host, every header the caller hands in (the app
// hands in content-type and x-amz-target), x-amz-date and, for temporary
// credentials, x-amz-security-token. The Host header cannot be set from
// fetch, but the browser sends the URL's host (with the port unless it is
// the scheme's default), so that is what is signed. Content-Length is not
// signed: fetch sets it and SigV4 does not require it.

const encoder = new TextEncoder();

export const ALGORITHM = 'AWS4-HMAC-SHA256';

function toBytes(data) {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('sigv4: a body must be a string, an ArrayBuffer or a typed array');
}

function hex(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** sha256Hex returns the lower-case hex SHA-256 of data (a string is UTF-8 encoded). */
export async function sha256Hex(data) {
  return hex(await crypto.subtle.digest('SHA-256', toBytes(data)));
}

/** hmac returns HMAC-SHA256(key, data) as an ArrayBuffer. */
export async function hmac(key, data) {
  const k = await crypto.subtle.importKey('raw', toBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, toBytes(data));
}

/** amzDate formats a Date as SigV4's basic ISO 8601 form, "20150830T123600Z". */
export function amzDate(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * uriEncode percent-encodes s as SigV4 requires (RFC 3986): everything
 * but A-Z a-z 0-9 - _ . ~ is encoded, as UTF-8, in upper-case hex; "/"
 * is kept when keepSlash is true.
 */
export function uriEncode(s, keepSlash = false) {
  let out = '';
  for (const byte of encoder.encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * canonicalURI is the URL's path, already percent-encoded by the URL
 * parser, encoded once more (as every service but S3 expects). An empty
 * path is "/".
 */
function canonicalURI(url) {
  return uriEncode(url.pathname || '/', true);
}

/** canonicalQuery sorts the query's parameters by encoded name, then value. */
function canonicalQuery(url) {
  const pairs = [];
  for (const [k, v] of url.searchParams) pairs.push([uriEncode(k), uriEncode(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** trimValue trims a header value and folds inner runs of spaces to one. */
function trimValue(v) {
  return String(v).trim().replace(/\s+/g, ' ');
}

/**
 * signingKey derives the key for a day, region and service:
 * HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
 */
export async function signingKey(secretAccessKey, dateStamp, region, service) {
  const kDate = await hmac('AWS4' + secretAccessKey, dateStamp);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/**
 * sign computes the SigV4 signature of a request and returns the headers
 * to send with it, and the intermediate strings for debugging and tests.
 *
 *   request:     { method, url, headers: {name: value}, body }
 *   credentials: { accessKeyId, secretAccessKey, sessionToken? }
 *   options:     { region, service, date? (a Date; now by default) }
 *
 * The result's headers holds the caller's headers plus Authorization,
 * X-Amz-Date and, with a session token, X-Amz-Security-Token; hand it to
 * fetch as it is.
 */
export async function sign(request, credentials, { region, service, date = new Date() }) {
  if (!credentials || !credentials.accessKeyId || !credentials.secretAccessKey) {
    throw new Error('sigv4: credentials need an accessKeyId and a secretAccessKey');
  }
  if (!region || !service) throw new Error('sigv4: region and service are required');
  const url = new URL(request.url, typeof location === 'undefined' ? undefined : location.href);
  const method = (request.method || 'GET').toUpperCase();
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);

  // The caller's headers, less those the signature sets (or the browser does).
  const headers = {};
  const out = {};
  for (const [k, v] of Object.entries(request.headers || {})) {
    const name = k.toLowerCase();
    if (name === 'host' || name === 'authorization' || name === 'x-amz-date' || name === 'x-amz-security-token') continue;
    headers[name] = v;
    out[k] = v;
  }
  out['X-Amz-Date'] = stamp;
  if (credentials.sessionToken) out['X-Amz-Security-Token'] = credentials.sessionToken;

  const signed = { ...headers, host: url.host, 'x-amz-date': stamp };
  if (credentials.sessionToken) signed['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(signed).sort();
  const canonicalHeaders = names.map((n) => `${n}:${trimValue(signed[n])}\n`).join('');
  const signedHeaders = names.join(';');
  const payloadHash = await sha256Hex(request.body);

  // Step 1: the canonical request.
  const canonicalRequest = [
    method,
    canonicalURI(url),
    canonicalQuery(url),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');

  // Step 2: the string to sign.
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, stamp, scope, await sha256Hex(canonicalRequest)].join('\n');

  // Steps 3 and 4: the signing key and the signature.
  const key = await signingKey(credentials.secretAccessKey, day, region, service);
  const signature = hex(await hmac(key, stringToSign));

  out.Authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: out, canonicalRequest, stringToSign, signature, signedHeaders, amzDate: stamp };
}
