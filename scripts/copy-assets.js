// Copies the judge harnesses (Python and JavaScript files run inside the sandbox) into dist/.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/problems/harness', { recursive: true });
cpSync('src/problems/harness', 'dist/problems/harness', { recursive: true });
