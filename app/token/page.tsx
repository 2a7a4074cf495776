import type { Metadata } from "next";
import { TokenAnalyzer } from "./token-analyzer";

export const metadata: Metadata = { title: "Token analyzer" };

/** GET /token: why would this access token be refused? Decoded in the browser; the token is not sent anywhere. */
export default function TokenPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Token analyzer</h1>
          <p className="muted">
            Paste an access token (or its payload) and what the API requires. It is decoded in this browser
            tab, never sent to realmwatch's server, stored or logged. The signature is not verified.
          </p>
        </div>
      </div>
      <TokenAnalyzer />
    </>
  );
}
