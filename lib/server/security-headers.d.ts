export function contentSecurityPolicy(dev: boolean, nonce?: string): string;
export function securityHeaders(dev: boolean): Array<{ key: string; value: string }>;
