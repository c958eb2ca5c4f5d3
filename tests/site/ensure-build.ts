/** Builds the site (npm run build) unless dist/ already holds a build with its search index. FORCE_BUILD=1 always builds. */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (process.env.FORCE_BUILD === '1' || !existsSync('dist/index.html') || !existsSync('dist/pagefind/pagefind.js')) {
  execSync('npm run build', { stdio: 'inherit' });
} else {
  console.log('dist/ is built (FORCE_BUILD=1 to rebuild)');
}
