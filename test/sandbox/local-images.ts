import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DockerSandbox } from '../../src/sandbox/docker.ts';
import { runtimeFor } from '../../src/sandbox/runtimes.ts';
import type { Program } from '../../src/core/sandbox.ts';
import { tempDir } from '../helpers.ts';

/**
 * Docker images made from this machine's own interpreters (the files the bubblewrap sandbox
 * shows), for machines that cannot pull python:3.12-slim and node:22-slim: a CI box whose only
 * network is the npm registry and Debian's archive. Test equipment; the backend is unchanged.
 */
function buildImage(program: Program, tag: string): void {
  const runtime = runtimeFor(program);
  const staging = tempDir('vetta-image-');
  for (const [link, target] of [
    ['lib', 'usr/lib'],
    ['lib64', 'usr/lib64'],
    ['bin', 'usr/bin'],
  ])
    symlinkSync(target!, join(staging, link!));
  for (const dir of ['tmp', 'box', 'usr/local/bin']) mkdirSync(join(staging, dir), { recursive: true });
  // The interpreter as a file, wherever links to it lead (a checkout's .node/ is a chain of them).
  const binary = realpathSync(runtime.path);
  // Node finds nothing by its own path, so it is copied in: a checkout under /tmp would be hidden
  // by the container's own /tmp. Python finds its standard library from where it lives: a link.
  if (program === 'node') copyFileSync(binary, join(staging, 'usr/local/bin/node'));
  else symlinkSync(binary, join(staging, 'usr/local/bin/python3'));
  const tar = join(staging, '..', `${tag.replace(/\W/g, '_')}.tar`);
  // -h: a soname link is stored as the library it names.
  execFileSync('tar', ['-chf', tar, '-C', '/', ...new Set([...runtime.mounts.map((m) => m.slice(1)), binary.slice(1)])]);
  execFileSync('tar', ['-rf', tar, '-C', staging, '.']);
  execFileSync('docker', ['import', tar, tag], { stdio: 'ignore' });
}

/** A Docker backend running this machine's interpreters, or why there is none. */
export function localDocker(): DockerSandbox | string {
  const env = { ...process.env, VETTA_DOCKER_PYTHON_IMAGE: 'vetta-local-python:test', VETTA_DOCKER_NODE_IMAGE: 'vetta-local-node:test' };
  const docker = DockerSandbox.detect(env);
  if (typeof docker === 'string') return docker;
  try {
    buildImage('python', env.VETTA_DOCKER_PYTHON_IMAGE);
    buildImage('node', env.VETTA_DOCKER_NODE_IMAGE);
  } catch (e) {
    return `cannot build the local images: ${(e as Error).message.split('\n')[0]}`;
  }
  return docker;
}
