/**
 * Start-up time: a large part of a cold start is compiling botbuilder's and the bot's JavaScript (about a quarter
 * of `npm run chat`'s start in a CPU profile on Node 20; resolving modules and reading the knowledge take most of
 * the rest, see bench/coldstart.ts). From Node 22.1 on,
 * `module.enableCompileCache()` keeps V8's compiled code on disk (the system temp dir, or NODE_COMPILE_CACHE)
 * so a restart skips the compilation; on Node 20 it does not exist and this does nothing. Imported first by
 * src/index.ts, before the modules it is meant to speed up are loaded.
 */
import nodeModule from 'node:module';

const enable = (nodeModule as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
// (Node itself honours NODE_DISABLE_COMPILE_CACHE)
if (typeof enable === 'function') {
  try {
    enable();
  } catch {
    // a read-only or full temp dir: start without the cache
  }
}
