/**
 * The common path without the yaml package (issue 7): a small ResourceList in the layout kpt and
 * kustomize write (KRM function), or a stream as kustomize hands it to a legacy plugin, every item
 * plain block YAML (light.ts), is read, transformed and written by the same code as any other
 * input (scanResourceList, krmOn, legacyWith, transform), with the light reader in place of
 * yaml's. Anything the light reader does not read, or could not write as yaml would, gives
 * undefined here, before anything is written, and the caller runs the yaml path on the same text:
 * the output is the same either way (test/lib/helpers.ts, fn, runs every KRM and legacy test both
 * ways; test/yaml/light-path.test.ts checks which inputs take which path).
 */
import { Unsupported } from '../core/edit.js';
import { krmOn, legacyWith, type StreamSyntax } from './krm.js';
import type { IO, Outcome } from './io.js';
import { lightReader, parse, readLight, readLightStream } from '../yaml/light/reader.js';

/** A run on the light reader, or undefined where it gave up (the yaml path then runs). */
function attempt(run: () => Outcome): Outcome | undefined {
  try {
    return run();
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** The KRM function on a ResourceList's text, or undefined where the yaml path must run. */
export function fastKrm(text: string): Outcome | undefined {
  const input = readLight(text);
  return input && attempt(() => krmOn(input, lightReader));
}

const lightStream: StreamSyntax = {
  config: (text) => parse(text, 'config file').toJS(),
  stream: readLightStream,
  reader: lightReader,
};

/** The legacy plugin on its config file and stdin, or undefined where the yaml path must run. */
export function fastLegacy(configPath: string, io: Pick<IO, 'env'>, stdinText: () => string): Outcome | undefined {
  return attempt(() => legacyWith(configPath, io, stdinText, lightStream));
}
