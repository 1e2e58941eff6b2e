// 17. `sh -c "a; b"` makes the shell PID 1: it runs b as a child and, as PID 1 without a trap, ignores
// the SIGTERM meant for b, which is killed only at the end of the grace period. A heuristic: read
// from the command line, not from the image.

import type { Container } from '../objects';
import { allContainers, atTemplate, fixTarget, specPath } from '../workloads';
import { somePods, verdicts, type Check } from './kit';

const SHELL = /^(?:\/usr)?(?:\/bin\/)?(?:ba|da|a)?sh$/;
/** Separators after which the script runs another command. */
const SEPARATOR = /;|&&|\|\||\n/;

interface ShellScript {
  /** Where the script is: `command` (sh -c SCRIPT) or `args` (command [sh, -c], args [SCRIPT]). */
  field: 'command' | 'args';
  index: number;
  script: string;
}

function shellScript(c: Container): ShellScript | undefined {
  const command = c.command ?? [];
  const args = c.args ?? [];
  const line = [...command, ...args];
  if (line.length < 3 || !SHELL.test(line[0]!) || line[1] !== '-c') return undefined;
  return command.length >= 3
    ? { field: 'command', index: 2, script: command[2]! }
    : { field: 'args', index: 2 - command.length, script: args[2 - command.length]! };
}

/** Commands the shell runs itself: a script ending in one of them is a short script, not a server behind a shell. */
const BUILTINS = new Set([
  'exit',
  'echo',
  'printf',
  'true',
  'false',
  ':',
  'test',
  '[',
  'return',
  'wait',
  'cd',
  'export',
  'set',
  'done',
  'fi',
  'esac',
  '}',
  ')',
]);

/**
 * The script keeps the shell in front of the program it ends with: it runs more than one command,
 * the last is a program (not a shell builtin such as `exit` or `echo`) and not exec'd, and it sets
 * no trap. A single simple command is left alone: bash, dash and BusyBox sh exec it themselves.
 */
export function swallowsSigterm(script: string): boolean {
  const text = script.trim();
  if (/\btrap\b/.test(text) || !SEPARATOR.test(text)) return false;
  const last = text.split(SEPARATOR).pop()!.trim();
  const word = last.split(/\s+/)[0] ?? '';
  return last !== '' && word !== 'exec' && !BUILTINS.has(word) && !/[|&]$/.test(last) && !/\|/.test(last);
}

/** The script with `exec` before its last command, when that command is a plain one; else undefined. */
export function execLast(script: string): string | undefined {
  const text = script.replace(/\s+$/, '');
  const m = /^([\s\S]*(?:;|&&|\|\||\n)\s*)([^;&|\n]+)$/.exec(text);
  if (!m) return undefined;
  const last = m[2]!;
  if (/^(done|fi|esac|\}|\))\b/.test(last.trim()) || /\|/.test(last)) return undefined;
  return `${m[1]}exec ${last.trimStart()}`;
}

export const shellSwallowsSigterm: Check = {
  info: {
    number: 17,
    id: 'shell-swallows-sigterm',
    title: 'Shell as PID 1 that does not forward SIGTERM (heuristic)',
    severity: 'not-graceful',
    help: 'A container started as `sh -c "setup; app"` runs the shell as PID 1 and the application as its child. The kubelet\'s SIGTERM goes to the shell, which (as PID 1, without a trap) neither dies nor passes it on: the application is killed without warning when the grace period ends. Put `exec` before the last command so the application replaces the shell, or use an init such as tini. This is a heuristic read from the command line: a script that handles signals in another way is a false positive.',
  },
  workload(w) {
    const hits = allContainers(w.template.spec)
      .filter((c) => c.list === 'containers')
      .map((c) => ({ ...c, shell: shellScript(c.container) }))
      .filter((c) => c.shell !== undefined && swallowsSigterm(c.shell.script));
    if (hits.length === 0) return [];
    const hit = hits[0]!;
    const fixed = execLast(hit.shell!.script);
    const list = [...(hit.container[hit.shell!.field] ?? [])];
    if (fixed !== undefined) list[hit.shell!.index] = fixed;
    const disrupts = ['disrupts', 'the application gets no SIGTERM and is killed when the grace period ends'] as ['disrupts', string];
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name}: container ${hits.map((h) => h.container.name).join(', ')} runs a shell script whose last command is not exec'd; the shell as PID 1 does not forward SIGTERM (heuristic)`,
        evidence: hits.map((h) => ({
          path: specPath(w, `containers[name=${h.container.name}].${h.shell!.field}`),
          value: h.container[h.shell!.field],
        })),
        pods: somePods(w),
        heuristic: true,
        verdicts: verdicts({
          'graceful-scaler': disrupts,
          'cluster-autoscaler': disrupts,
          karpenter: disrupts,
          descheduler: disrupts,
          drain: disrupts,
        }),
        ...(fixed !== undefined
          ? {
              fix: {
                type: 'strategic' as const,
                target: fixTarget(w),
                patch: atTemplate(w, { spec: { containers: [{ name: hit.container.name, [hit.shell!.field]: list }] } }),
                description: 'exec the last command, so that the application is PID 1 and gets the SIGTERM',
              },
            }
          : {}),
      },
    ];
  },
};
