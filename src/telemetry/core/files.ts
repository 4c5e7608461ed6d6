/** Which workspace files configure a Chroma server's telemetry: compose files and `.env` files. No `vscode` here. */

export const COMPOSE_GLOB = '**/{docker-compose,compose}*.{yml,yaml}';
export const ENV_GLOBS = ['**/.env', '**/.env.*'] as const;

/** `.env`, `.env.local`, … (any folder). */
export function isEnvFile(path: string): boolean {
  return /(^|[\\/])\.env(\.[^\\/]*)?$/.test(path);
}
