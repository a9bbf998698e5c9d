/**
 * Lambda event filtering (the EventBridge pattern syntax) as event source mappings apply it: a record is
 * kept when any one filter pattern matches it.
 * Supported: exact values, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (values,
 * prefix, suffix), `numeric`, `exists`, and `$or`.
 */
export function matchesAnyFilter(patterns: readonly unknown[], event: unknown): boolean {
  return patterns.length === 0 || patterns.some((p) => matchesPattern(p, event));
}

export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new Error(`A filter pattern must be an object: ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      if (!Array.isArray(rule)) throw new Error('$or takes an array of patterns');
      return rule.some((p) => matchesPattern(p, event));
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule, value);
    if (isObject(rule)) {
      // A nested pattern over a missing or non-object field can still match through `exists: false`.
      if (Array.isArray(value)) return value.some((v) => matchesPattern(rule, v));
      return matchesPattern(rule, isObject(value) ? value : undefined);
    }
    throw new Error(`Filter rule for "${key}" must be an array or an object`);
  });
}

function matchesLeaf(matchers: readonly unknown[], value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) {
      const present = value !== undefined && !isObject(value);
      return m.exists === present;
    }
    if (value === undefined) return false;
    return values.some((v) => matchesOne(m, v));
  });
}

function matchesOne(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) {
    if (typeof matcher === 'number' && typeof value === 'number') return matcher === value;
    return matcher === value;
  }
  const [op, arg] = Object.entries(matcher)[0] ?? [];
  switch (op) {
    case 'prefix':
      if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
        return (
          typeof value === 'string' && value.toLowerCase().startsWith(arg['equals-ignore-case'].toLowerCase())
        );
      }
      return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'suffix':
      if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
        return (
          typeof value === 'string' && value.toLowerCase().endsWith(arg['equals-ignore-case'].toLowerCase())
        );
      }
      return typeof value === 'string' && typeof arg === 'string' && value.endsWith(arg);
    case 'equals-ignore-case':
      return (
        typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase()
      );
    case 'wildcard':
      return typeof value === 'string' && typeof arg === 'string' && wildcard(arg).test(value);
    case 'anything-but':
      if (isObject(arg)) return !matchesOne(arg, value);
      return !(Array.isArray(arg) ? arg : [arg]).some((a) => matchesOne(a, value));
    case 'numeric':
      return typeof value === 'number' && Array.isArray(arg) && numeric(arg, value);
    default:
      throw new Error(`Unsupported filter operator ${String(op)}`);
  }
}

function numeric(conditions: readonly unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = Number(conditions[i + 1]);
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : undefined;
    if (ok === undefined) throw new Error(`Unsupported numeric operator ${String(op)}`);
    if (!ok) return false;
  }
  return true;
}

function wildcard(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
