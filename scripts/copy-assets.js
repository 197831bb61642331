// Copies the judge harnesses (Python and JavaScript files run inside the sandbox) beside the bundle:
// the judge finds them in a "harness" folder next to its own file, dist/cli/ once bundled.
import { cpSync } from 'node:fs';

cpSync('src/problems/harness', 'dist/cli/harness', { recursive: true });
