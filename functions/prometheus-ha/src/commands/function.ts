/**
 * The KRM function (a ResourceList on stdin) and the kustomize legacy plugin (a config file, a
 * stream on stdin): the light reader first (fast.ts, without the yaml package), the yaml path where
 * it does not apply. PROMETHEUS_HA_LIGHT=off skips the light reader, =report says on stderr whether
 * it was taken.
 */
import { fastKrm, fastLegacy } from './fast.js';
import type { IO, Outcome } from './io.js';
import { emptyList, krmOn, legacyWith, reportLight, type StreamSyntax } from './krm.js';
import { formatResult } from '../core/results.js';
import { aliasesKept, composeText, guarded, InputError, readInputText, readResourceList, readStream, toPlain, type Input } from '../yaml/source.js';
import { yamlReader } from '../yaml/yamldoc.js';
import { lightParse } from '../yaml/light/light.js';

/**
 * Plain block YAML as plain data, read by the light reader, which answers as composing with yaml
 * does (light.ts), else undefined: the yaml path's ResourceList skeleton and config file, where a
 * big map (30,000 externalLabels) costs yaml's composer several times as much (issue 17).
 */
const lightPlain = (text: string): unknown => lightParse(text)?.toJS();

export function krmFunction(io: IO): Outcome {
  // The common path, without the yaml package (fast.ts); PROMETHEUS_HA_LIGHT=off skips it,
  // =report says on stderr whether it was taken.
  const out = krmRead(io, io.env.PROMETHEUS_HA_LIGHT !== 'off' && !io.lightTried);
  return reportLight(out.outcome, out.light, io.env);
}

function krmRead(io: IO, tryLight: boolean): { outcome: Outcome; light: boolean } {
  let input: Input;
  try {
    const text = readInputText(io);
    const fast = tryLight ? fastKrm(text) : undefined;
    if (fast) return { outcome: fast, light: true };
    input = guarded(() => readResourceList(text, lightPlain));
  } catch (e) {
    if (e instanceof InputError) return { outcome: { stdout: emptyList([e.result]), stderr: `${formatResult(e.result)}\n`, code: 1 }, light: false };
    throw e;
  }
  return { outcome: krmOn(input, yamlReader, (text, where) => toPlain(composeText(text, where), where), aliasesKept), light: false };
}

export function legacyPlugin(configPath: string, io: IO): Outcome {
  let text: string | undefined;
  const stdinText = () => (text ??= readInputText(io));
  // The common path, without the yaml package (fast.ts), as for the KRM function.
  const fast = io.env.PROMETHEUS_HA_LIGHT !== 'off' && !io.lightTried ? fastLegacy(configPath, io, stdinText) : undefined;
  return reportLight(fast ?? legacyWith(configPath, io, stdinText, yamlStream), !!fast, io.env);
}

const yamlStream: StreamSyntax = {
  config: (text, path) => lightPlain(text) ?? toPlain(composeText(text, { what: `config file ${path}`, file: path }), { what: `config file ${path}` }),
  stream: (text) => guarded(() => readStream(text)),
  reader: yamlReader,
};

