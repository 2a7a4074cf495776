import type { CauseId } from "@/lib/classify/causes";
import { authzPolicy } from "@/lib/fixes/causes/authz-policy";
import { clientAuth } from "@/lib/fixes/causes/client-auth";
import { clientConfig } from "@/lib/fixes/causes/client-config";
import { cors } from "@/lib/fixes/causes/cors";
import { missingRole } from "@/lib/fixes/causes/missing-role";
import { missingScope } from "@/lib/fixes/causes/missing-scope";
import { proxyMisconfig } from "@/lib/fixes/causes/proxy-misconfig";
import { redirectUri } from "@/lib/fixes/causes/redirect-uri";
import { sessionInvalid } from "@/lib/fixes/causes/session-invalid";
import { tokenExpired } from "@/lib/fixes/causes/token-expired";
import { unknown } from "@/lib/fixes/causes/unknown";
import { userCredentials } from "@/lib/fixes/causes/user-credentials";
import { userState } from "@/lib/fixes/causes/user-state";
import { wrongAudience } from "@/lib/fixes/causes/wrong-audience";
import type { FixDefinition } from "@/lib/fixes/types";

/** One fix definition per cause id; the type makes a new cause without a page a compile error. */
export const FIX_CATALOGUE: Record<CauseId, FixDefinition> = {
  "missing-scope": missingScope,
  "missing-role": missingRole,
  "wrong-audience": wrongAudience,
  "proxy-misconfig": proxyMisconfig,
  cors,
  "redirect-uri": redirectUri,
  "token-expired": tokenExpired,
  "session-invalid": sessionInvalid,
  "client-auth": clientAuth,
  "client-config": clientConfig,
  "user-credentials": userCredentials,
  "user-state": userState,
  "authz-policy": authzPolicy,
  unknown,
};
