// Bundles the status page's script again before any test runs (scripts/build-page.mjs), so the tests
// never see a page/generated/asset.ts older than page/client/.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-page.mjs')], { stdio: 'inherit' });
}
