import { escapeHtml } from "./http-io";

/** The demo's sign-in form: every value is escaped, the realm and client names included. */
export function loginPage(opts: {
  realm: string;
  clientName: string;
  action: string;
  authSession: string;
  username?: string;
  error?: string;
}): string {
  const e = escapeHtml;
  const demoUsers = ["viewer", "analyst", "admin"].map((u) => `<code>${u}</code>`).join(", ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to ${e(opts.realm)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}</style>
</head><body>
<h1>Sign in to ${e(opts.realm)}</h1>
<p>${e(opts.clientName)} (realmwatch demo Keycloak)</p>
${opts.error ? `<p class="error" role="alert">${e(opts.error)}</p>` : ""}
<form method="post" action="${e(opts.action)}">
<input type="hidden" name="auth_session" value="${e(opts.authSession)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="${e(opts.username ?? "")}" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit" id="kc-login">Sign In</button>
</form>
<p>Demo users: ${demoUsers}; the password is the username.</p>
</body></html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>We are sorry...</h1><p id="kc-error-message">${escapeHtml(message)}</p></body></html>`;
}
