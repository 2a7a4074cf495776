/**
 * Security headers. The Content-Security-Policy allows only this origin, and scripts only with the request's
 * nonce: proxy.ts makes a fresh one per request and hands it to Next (which puts it on its own inline bootstrap
 * scripts) through the request's Content-Security-Policy header; every page renders per request anyway (the
 * layout reads the session). 'strict-dynamic' lets those scripts load the chunks they need. React's inline
 * style attributes (recharts sets them) still need 'unsafe-inline' for styles; 'unsafe-eval' is only for the
 * dev server's hot reloading. Without a nonce (a response the proxy does not see) no inline script runs.
 * Plain JavaScript because next.config.js imports it; the types are in security-headers.d.ts.
 */
/**
 * @param {boolean} dev
 * @param {string} [nonce]
 */
export function contentSecurityPolicy(dev, nonce) {
  const directives = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      ...(nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : []),
      ...(dev ? ["'unsafe-eval'"] : []),
    ],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(dev ? ["ws:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/**
 * The headers next.config.js sends on every path; the Content-Security-Policy with its nonce is proxy.ts's.
 * @param {boolean} _dev
 */
export function securityHeaders(_dev) {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    // Browsers ignore HSTS over http, so sending it always is harmless and right behind a TLS proxy.
    { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
  ];
}
