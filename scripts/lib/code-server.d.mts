/** Types of the code-server test harness (code-server.mjs) for the TypeScript e2e tests. */
export const repoRoot: string;
export function installVsix(vsix: string, extensionsDir: string): string;
