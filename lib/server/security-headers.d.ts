export function contentSecurityPolicy(dev: boolean): string;
export function securityHeaders(dev: boolean): Array<{ key: string; value: string }>;
