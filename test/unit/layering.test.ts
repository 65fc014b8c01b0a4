/**
 * The house keeps its shape as it grows (DESIGN.md §3, CONVENTIONS.md): the core and its ports
 * import no adapter, wiring, handler or runtime module and no SDK; wiring imports no handler;
 * HTTP, Open311 and workflow handlers reach adapters only through wiring. Checked on the source, so
 * a new file is held to it the moment it exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/paths.ts';

const FUNCTIONS = join(REPO_ROOT, 'functions');
const ALIASES: Record<string, string> = {
  '#core/': 'functions/core/',
  '#ports/': 'functions/ports/',
  '#adapters/': 'functions/adapters/',
  '#handlers/': 'functions/handlers/',
  '#wiring/': 'functions/wiring/',
  '#workflows/': 'functions/workflows/',
  '#local/': 'infra/local/',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports (static, re-exports and dynamic), as a repo-relative path or a package name. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g),
  ].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
  return specifiers.map((spec) => {
    const alias = Object.keys(ALIASES).find((a) => spec.startsWith(a));
    if (alias) return `${ALIASES[alias]}${spec.slice(alias.length)}`;
    if (spec.startsWith('.')) return relative(REPO_ROOT, resolve(dirname(file), spec));
    return spec;
  });
}

interface Rule {
  layer: string;
  forbidden: (target: string) => boolean;
  why: string;
}

const isAny =
  (...prefixes: string[]) =>
  (target: string) =>
    prefixes.some((p) => target.startsWith(p));

const RULES: Rule[] = [
  {
    layer: 'functions/core/',
    forbidden: (t) =>
      isAny('functions/adapters/', 'functions/wiring/', 'functions/handlers/', 'infra/')(t) ||
      (!t.startsWith('functions/') && !t.startsWith('node:')),
    why: 'the core is pure: it imports the core, its ports and Node built-ins only',
  },
  {
    layer: 'functions/ports/',
    forbidden: (t) => !t.startsWith('functions/core/') && !t.startsWith('functions/ports/'),
    why: 'ports are interfaces over core types',
  },
  {
    layer: 'functions/wiring/',
    forbidden: isAny('functions/handlers/', 'infra/'),
    why: 'wiring builds adapters; handlers use what it builds',
  },
  {
    layer: 'functions/handlers/http/',
    forbidden: isAny('functions/adapters/', 'functions/wiring/', 'infra/'),
    why: 'HTTP handlers get their ports handed in',
  },
  {
    layer: 'functions/handlers/open311/',
    forbidden: isAny('functions/adapters/', 'functions/wiring/', 'infra/'),
    why: 'Open311 handlers get their ports handed in',
  },
  {
    layer: 'functions/handlers/workflow/',
    forbidden: isAny('functions/adapters/', 'functions/wiring/', 'infra/'),
    why: 'the step handler gets its ports handed in',
  },
  {
    layer: 'functions/adapters/',
    forbidden: isAny('functions/wiring/', 'functions/handlers/', 'infra/'),
    why: 'adapters implement ports; they are not wired by themselves',
  },
];

describe('layering', () => {
  const files = sources(FUNCTIONS).map((path) => ({ path, rel: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));

  it('finds the sources and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    const sample = files.find((f) => f.rel === 'functions/core/use-cases/reports.ts');
    expect(importsOf(sample?.path ?? '', sample?.text ?? '')).toContain('functions/ports/reports.ts');
  });

  it.each(RULES)('$layer: $why', ({ layer, forbidden }) => {
    // Act
    const broken = files
      .filter((f) => f.rel.startsWith(layer))
      .flatMap((f) =>
        importsOf(f.path, f.text)
          .filter(forbidden)
          .map((target) => `${f.rel} imports ${target}`),
      );

    // Assess
    expect(broken).toEqual([]);
  });

  it('would catch a core module importing an adapter, a handler or an SDK', () => {
    // Prepare: a made-up core file
    const file = join(FUNCTIONS, 'core/use-cases/made-up.ts');
    const text = [
      "import { DynamoTreeStore } from '#adapters/dynamodb/tree-store.ts';",
      "import type { HttpDeps } from '../../handlers/http/deps.ts';",
      "import { PutCommand } from '@aws-sdk/lib-dynamodb';",
      "import { randomUUID } from 'node:crypto';",
      "import type { Report } from '../report.ts';",
    ].join('\n');
    const core = RULES[0] as Rule;

    // Act
    const broken = importsOf(file, text).filter(core.forbidden);

    // Assess
    expect(broken).toEqual(['functions/adapters/dynamodb/tree-store.ts', 'functions/handlers/http/deps.ts', '@aws-sdk/lib-dynamodb']);
  });
});
