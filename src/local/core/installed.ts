/** The Chroma installs in a folder of global storage: one subfolder per version pair, complete once its install.json is written. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const INSTALL_MARKER = 'install.json';

export interface InstalledChroma {
  /** The install's folder (holds node_modules/). */
  dir: string;
  /** Its node_modules/chromadb. */
  packageDir: string;
  chromadb: string;
  binding: string;
  bindingPackage: string;
  installedAt: string;
}

/** The most recently installed complete Chroma in `installDir`, or undefined. */
export async function findInstalled(installDir: string): Promise<InstalledChroma | undefined> {
  let names: string[];
  try {
    names = await readdir(installDir);
  } catch {
    return undefined;
  }
  const found: InstalledChroma[] = [];
  for (const name of names.filter((n) => !n.startsWith('.'))) {
    const dir = join(installDir, name);
    try {
      const m = JSON.parse(await readFile(join(dir, INSTALL_MARKER), 'utf8')) as Partial<InstalledChroma>;
      if (typeof m.chromadb === 'string' && typeof m.binding === 'string' && typeof m.installedAt === 'string' && typeof m.bindingPackage === 'string') {
        found.push({ dir, packageDir: join(dir, 'node_modules', 'chromadb'), chromadb: m.chromadb, binding: m.binding, bindingPackage: m.bindingPackage, installedAt: m.installedAt });
      }
    } catch {
      // not an install, or an unfinished one
    }
  }
  return found.sort((a, b) => b.installedAt.localeCompare(a.installedAt))[0];
}
