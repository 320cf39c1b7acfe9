/**
 * The whole-message model's trained weights kept on disk between starts (whole.ts WeightCache): training is
 * about a third of building the recognizer, and the knowledge rarely changes between two starts. One file
 * under `<dir>/model/`, named by the hash of what training read; writing a new one removes the old. Derived
 * data like the YAML cache (src/yamlCache.ts): an unreadable, unwritable or foreign file is ignored (the
 * model trains as without a cache) and deleting the folder is always safe.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WeightCache } from './whole';

export function fileWeightCache(cacheDir: string): WeightCache {
  const dir = path.join(cacheDir, 'model');
  const file = (key: string) => path.join(dir, `${key}.weights`);
  return {
    read(key) {
      try {
        return fs.readFileSync(file(key));
      } catch {
        return undefined;
      }
    },
    write(key, data) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        // written aside and renamed: another instance starting at the same time reads a whole file or none
        const tmp = `${file(key)}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, file(key));
        for (const name of fs.readdirSync(dir)) if (name.endsWith('.weights') && name !== `${key}.weights`) fs.rmSync(path.join(dir, name), { force: true });
      } catch {
        // a cache that cannot be written only costs the next start its training
      }
    },
  };
}
