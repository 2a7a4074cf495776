/**
 * Security headers for every response. The Content-Security-Policy allows only this origin: React's inline
 * style attributes (recharts sets them) need 'unsafe-inline' for styles, and Next's inline bootstrap scripts
 * need 'unsafe-inline' for scripts in this static form (a nonce would force every page to render dynamically);
 * 'unsafe-eval' is only for the dev server's hot reloading.
 * Plain JavaScript because next.config.js imports it; the types are in security-headers.d.ts.
 */
/** @param {boolean} dev */
export function contentSecurityPolicy(dev) {
  const directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
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

/** @param {boolean} dev */
export function securityHeaders(dev) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    // Browsers ignore HSTS over http, so sending it always is harmless and right behind a TLS proxy.
    { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
  ];
}
