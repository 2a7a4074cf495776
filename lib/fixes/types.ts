import type { CauseId } from "@/lib/classify/causes";
import type { ConceptId } from "@/lib/fixes/concepts";
import type { VersionNoteId } from "@/lib/fixes/version-notes";

/**
 * What a fix page knows about the pattern it explains. Every field is optional: commands carry the real
 * names when known and visible placeholders (`<realm>`) otherwise.
 */
export interface FixContext {
  keycloakUrl?: string;
  /** The source's detected Keycloak version: console links follow its layout. */
  keycloakVersion?: string;
  /** Keycloak's URL as its users reach it: the realm's Frontend URL or the issuer seen, never the sync URL. */
  publicUrl?: string;
  realm?: string;
  clientId?: string;
  clientUuid?: string;
  userId?: string;
  username?: string;
  role?: string;
  /** The client that owns `role` when it is a client role; absent for a realm role. */
  roleClientId?: string;
  /** The role's id and its client's UUID, read from Keycloak: the console's role page needs them. */
  roleId?: string;
  roleClientUuid?: string;
  audience?: string;
  scope?: string;
  origin?: string;
  redirectUri?: string;
  issuer?: string;
}

export type CodeLanguage = "bash" | "json" | "nginx" | "text";

export interface CodeBlock {
  language: CodeLanguage;
  title?: string;
  text: string;
}

export interface ConsoleLink {
  label: string;
  href: string;
}

export interface FixStep {
  text: string;
  /** Admin console menu path, e.g. ["Clients", "spa", "Client scopes"]. */
  path?: string[];
  link?: ConsoleLink;
  code?: CodeBlock;
}

/** How a cause shows up: a Keycloak event, an HTTP answer, a log line, or the absence of any event. */
export interface Signal {
  where: "user-event" | "http" | "log" | "resource-server";
  type?: string;
  error?: string;
  reason?: string;
  status?: number;
  note: string;
}

export type FixBlock =
  | { kind: "subheading"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "steps"; steps: FixStep[] }
  | { kind: "code"; code: CodeBlock }
  | { kind: "signals"; signals: Signal[] };

/** The sections every fix page has, in page order. */
export const REQUIRED_SECTIONS = [
  "meaning",
  "symptoms",
  "confirm",
  "console",
  "kcadm",
  "curl",
  "verify",
] as const;
export type RequiredSectionId = (typeof REQUIRED_SECTIONS)[number];
export type SectionId = RequiredSectionId | "concepts" | "versions";

export const SECTION_TITLES: Record<SectionId, string> = {
  meaning: "What it means",
  symptoms: "How it shows up",
  confirm: "Confirm it",
  console: "Fix it in the admin console",
  kcadm: "Fix it with kcadm.sh",
  curl: "Fix it with curl and the Admin REST API",
  verify: "Verify the fix",
  concepts: "Background",
  versions: "Version notes",
};

export interface FixSection {
  id: SectionId;
  title: string;
  blocks: FixBlock[];
}

export interface RenderedFix {
  cause: CauseId;
  title: string;
  summary: string;
  sections: FixSection[];
  /** Placeholders left in the page because the context did not name them, e.g. "<realm>". */
  placeholders: string[];
}

/** The authored content of one cause's page; `renderFix` adds the symptoms table, concepts and notes. */
export interface FixDefinition {
  cause: CauseId;
  signals: Signal[];
  concepts: ConceptId[];
  versionNotes: VersionNoteId[];
  content: (
    v: FixValues,
  ) => Record<Exclude<RequiredSectionId, "symptoms">, FixBlock[]> & { symptoms?: FixBlock[] };
}

/** A context resolved for templates: every field is either the real value or its placeholder. */
export type FixValues = { [K in keyof FixContext]-?: string } & {
  ctx: FixContext;
  known: (field: keyof FixContext) => boolean;
  /** The client owning the role: the given one, `realm-management` for an admin role, else none. */
  roleClient: string | undefined;
  /** "realm role `x`" or "client role `x` of `y`", for prose. */
  roleLabel: string;
};
