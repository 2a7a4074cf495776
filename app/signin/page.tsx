import { getAuthConfig } from "@/lib/auth/config";
import { safeReturnTo } from "@/lib/auth/sign-in-state";

export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  expired: "The sign-in took too long or was started in another browser. Try again.",
  failed: "Keycloak did not complete the sign-in. Try again; if it keeps failing, check the server log.",
  no_role:
    "You signed in, but your account has none of the roles viewer, analyst or admin. Ask a Keycloak admin to assign one.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const config = getAuthConfig();
  const error = typeof params.error === "string" ? ERRORS[params.error] : undefined;
  const returnTo = safeReturnTo(typeof params.returnTo === "string" ? params.returnTo : undefined);
  return (
    <main data-testid="signin-page">
      <h1>Sign in to realmwatch</h1>
      {error && (
        <p role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      {config.mode === "oidc" ? (
        <a data-testid="signin-button" href={`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`}>
          Sign in with Keycloak ({config.issuer.host})
        </a>
      ) : (
        <p>Sign-in is not configured: this realmwatch runs without sign-in.</p>
      )}
    </main>
  );
}
