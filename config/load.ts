/**
 * Reads and validates the recovery config. Every problem is reported at once, one line each:
 * `<dotted path>: <value received> <what is wrong and what would be accepted>`, or, for a file that is not readable
 * YAML, `(yaml line L, column C): <what is wrong>`. Nothing here throws anything but a RecoveryConfigError for bad
 * input: a stack trace is never the answer to a malformed file.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser, visit, type CST, type Document, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { crossFieldRules, recoveryConfigSchema, type RecoveryConfig } from "./schema";
import { ConfigDocument } from "./schema/cross-field";
import { closest } from "./suggest";

export const DEFAULT_CONFIG_PATH = "config/example.yaml";

/** A recovery config is a few kilobytes (the bundled example about 15 KiB); anything this big is a wrong file. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Collections nest about 6 deep in a recovery config; far deeper would only exhaust the YAML composer's stack. */
export const MAX_NESTING_DEPTH = 64;
/** yaml's own guard against alias expansion ("billion laughs"), kept at its default and now reported, not thrown. */
export const MAX_ALIAS_COUNT = 100;

export class RecoveryConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the recovery config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RecoveryConfigError";
  }
}

/** Which config file to read: RECOVERY_CONFIG, else the bundled example. */
export function configPathFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.RECOVERY_CONFIG;
  if (fromEnv !== undefined && fromEnv.trim() === "") {
    throw new RecoveryConfigError("RECOVERY_CONFIG", ["RECOVERY_CONFIG: is set but empty; give the path of a recovery config YAML file or unset it"]);
  }
  return fromEnv ?? DEFAULT_CONFIG_PATH;
}

export function loadRecoveryConfig(path: string): RecoveryConfig {
  return parseRecoveryConfig(readConfigBytes(path), path);
}

/** The file's bytes, at most one more than MAX_CONFIG_BYTES (so a device or a pipe that never ends is not read forever). */
function readConfigBytes(path: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    return buffer.subarray(0, length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new RecoveryConfigError(path, [`RECOVERY_CONFIG: cannot read ${JSON.stringify(path)} (${reason}); give the path of a recovery config YAML file`]);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Validates a config given as text or as the file's bytes. Unions report the same problem once per branch, hence the
 * de-duplication: one line per distinct problem.
 */
export function parseRecoveryConfig(input: string | Uint8Array, source = "<inline>"): RecoveryConfig {
  return validateRecoveryDocument(parseRecoveryDocument(input, source), source);
}

/** The file's YAML as plain data, not yet validated (the drill derivation works on it; config/drill.ts). */
export function readRecoveryDocument(path: string): unknown {
  return parseRecoveryDocument(readConfigBytes(path), path);
}

function parseRecoveryDocument(input: string | Uint8Array, source: string): unknown {
  const text = typeof input === "string" ? checkSize(input.length, source) && input : decodeUtf8(input, source);
  return readYaml(text, source);
}

/** Validates a config document: the schema, then the cross-field rules; every problem on one line. */
export function validateRecoveryDocument(raw: unknown, source: string): RecoveryConfig {
  const result = recoveryConfigSchema.safeParse(raw);
  const configDocument = new ConfigDocument(raw);
  // A field the schema refused is reported once, for what is wrong with it, not again for how it relates to others.
  const refused = new Set((result.success ? [] : result.error.issues).map((issue) => dotted(issue.path)));
  const crossField = crossFieldRules
    .flatMap((rule) => rule.check(configDocument))
    .filter((problem) => !refused.has(dotted(problem.path)))
    .map((problem) => `${dotted(problem.path)}: ${describeValue(configDocument.value(problem.path))} ${problem.message}`);
  const problems = [...new Set([...(result.success ? [] : describeIssues(result.error.issues, raw)), ...crossField])];
  if (!result.success || problems.length > 0) {
    throw new RecoveryConfigError(source, problems);
  }
  return result.data;
}

function checkSize(size: number, source: string): true {
  if (size > MAX_CONFIG_BYTES) {
    throw new RecoveryConfigError(source, [
      `(file): is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; a recovery config is a few kilobytes (the bundled example is about 15 KiB), so this is not one: check RECOVERY_CONFIG`,
    ]);
  }
  return true;
}

/**
 * The file as UTF-8 text, or an error naming the first byte that is not UTF-8. Decoding with replacement would turn a
 * Latin-1 "é" into U+FFFD silently, and that character could end up in a resource name or a Medplum setting.
 */
function decodeUtf8(bytes: Uint8Array, source: string): string {
  checkSize(bytes.length, source);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new RecoveryConfigError(source, ["(file): is UTF-16 encoded (it starts with a UTF-16 byte-order mark); save it as UTF-8"]);
  }
  try {
    // A UTF-8 byte-order mark (editors on Windows write one) is accepted and dropped.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // The first byte where a lenient decode no longer round-trips is the first byte that is not UTF-8.
    const reencoded = Buffer.from(new TextDecoder("utf-8").decode(bytes), "utf8");
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let offset = start;
    while (offset < bytes.length && bytes[offset] === reencoded[offset - start]) offset++;
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    const column = new TextDecoder("utf-8").decode(bytes.subarray(Math.max(lineStart, start), offset)).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    throw new RecoveryConfigError(source, [
      `(yaml line ${line}, column ${column}, byte ${offset}): byte 0x${byte} is not UTF-8; save the file as UTF-8 (text pasted from a Latin-1 or Windows-1252 document, often in a comment, is the usual cause)`,
    ]);
  }
}

/**
 * YAML 1.2 admits only printable characters (https://yaml.org/spec/1.2.2/#51-character-set): tab, line breaks and
 * everything from space up, except DEL, the C1 controls (but NEL), surrogates and U+FFFE/U+FFFF.
 */
const NON_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufffe\uffff]/u;

/** Parses one YAML document into plain data, or throws a RecoveryConfigError with every problem's file position. */
function readYaml(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `(yaml line ${line}, column ${col})`;
  };
  const fail = (problems: string[]): never => {
    throw new RecoveryConfigError(source, problems);
  };

  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const tokens = [...new Parser(lineCounter.addNewLine).parse(body)];
  const control = NON_PRINTABLE.exec(body);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    fail([`${at(control.index)}: contains the control character U+${code}, which YAML does not allow; remove it (it is invisible in most editors)`]);
  }
  const deep = tooDeep(tokens);
  if (deep !== undefined) fail([`${at(deep)}: nests collections more than ${MAX_NESTING_DEPTH} levels deep; a recovery config needs fewer than 10`]);

  const documents: Document.Parsed[] = [...new Composer({ uniqueKeys: false, version: "1.2" }).compose(tokens)];
  const [document, second] = documents;
  if (document === undefined || document.contents === null) {
    fail(["(file): is empty; a recovery config is a YAML mapping with environment, medplum, objectives and targets (start from config/example.yaml)"]);
  }
  const doc = document!;
  const problems = [...doc.errors, ...doc.warnings].map((error) => `${at(error.pos[0])}: ${yamlMessage(error.code, error.message)}`);
  if (second !== undefined) {
    problems.push(
      `${at(second.range[0])}: starts a second YAML document; a recovery config is one document, so remove the "---" line (and what follows it, if it belongs elsewhere)`,
    );
  }
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    problems.push(
      `(yaml line 1, column 1): declares %YAML ${doc.directives.yaml.version}; the config is read as YAML 1.2 (where yes/no are text and << is a plain key), so remove the directive`,
    );
  }
  if (problems.length > 0) fail(problems);

  if (!isMap(doc.contents)) {
    const what = isSeq(doc.contents) ? "a YAML list" : `a single value (${describeValue(isScalar(doc.contents) ? doc.contents.value : "*alias")})`;
    fail([
      `(top level): is ${what}, not a mapping; a recovery config is a mapping with environment, medplum, objectives and targets (start from config/example.yaml)`,
    ]);
  }
  const duplicates = duplicateKeys(doc.contents, [], (offset) => lineCounter.linePos(offset).line)
    .sort((a, b) => a.offset - b.offset)
    .map(({ problem }) => problem);
  const structural = [...duplicates, ...unsupportedTags(doc, at)];
  if (structural.length > 0) fail(structural);

  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    const unresolved = /Unresolved alias[^:]*: (.*)$/.exec(message)?.[1];
    let firstAlias: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (unresolved !== undefined && node.source !== unresolved) return undefined;
        firstAlias = node.range?.[0];
        return visit.BREAK;
      },
    });
    const where = firstAlias === undefined ? "(yaml)" : at(firstAlias);
    if (unresolved !== undefined)
      return fail([`${where}: the alias *${unresolved} names no anchor defined before it; define &${unresolved} first, or write the value out`]);
    return fail([
      /alias count/i.test(message) || error instanceof RangeError
        ? `${where}: aliases expand the document beyond ${MAX_ALIAS_COUNT} copies (an alias bomb, or aliases of aliases); write the values out instead of aliasing them`
        : `${where}: cannot be read (${message.split("\n")[0]})`,
    ]);
  }
}

/** YAML 1.2's core tags (https://yaml.org/spec/1.2.2/#103-core-schema); anything else would make a Buffer, a Set or a Date. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((name) => `tag:yaml.org,2002:${name}`));

function unsupportedTags(doc: Document.Parsed, at: (offset: number) => string): string[] {
  const problems: string[] = [];
  visit(doc, {
    Node(_, node) {
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
        problems.push(
          `${at(node.range?.[0] ?? 0)}: has the tag ${tag}; a recovery config holds plain text, numbers, booleans, lists and mappings, so remove the tag`,
        );
      }
    },
  });
  return problems;
}

/** yaml's messages, with the ones a config author meets most said in the project's terms. */
function yamlMessage(code: string, message: string): string {
  const first = message.split("\n")[0] ?? message;
  switch (code) {
    case "TAB_AS_INDENT":
      return "is indented with a tab; YAML indents with spaces only, so replace the tabs with spaces";
    case "TAG_RESOLVE_FAILED":
      return `${first}; a recovery config uses no YAML tags (remove the !tag)`;
    default:
      return first;
  }
}

/**
 * The offset of the first collection nested deeper than MAX_NESTING_DEPTH in the parsed tokens, if any. Walks the
 * token tree with an explicit stack: recursion is exactly what a deep document would exhaust.
 */
function tooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const children: CST.Token[] = [];
    switch (token.type) {
      case "document":
        if (token.value) children.push(token.value);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection":
        if (depth + 1 > MAX_NESTING_DEPTH) return token.offset;
        for (const item of token.items) {
          if ("key" in item && item.key) children.push(item.key);
          if (item.value) children.push(item.value);
        }
        break;
      default:
        break;
    }
    const childDepth = token.type === "document" ? depth : depth + 1;
    for (const child of children) stack.push({ token: child, depth: childDepth });
  }
  return undefined;
}

/**
 * Keys defined twice in one mapping, each reported with the key's dotted path and both lines. YAML forbids them and
 * the loader would otherwise keep the last one silently. Keys compare as the JS object would see them (`1` and `"1"`
 * collide), and a key that is a list or mapping is refused (it would be stringified).
 */
function duplicateKeys(node: unknown, path: ReadonlyArray<string | number>, lineOf: (offset: number) => number): Array<{ offset: number; problem: string }> {
  const problems: Array<{ offset: number; problem: string }> = [];
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as YamlNode | null;
      const offset = key?.range?.[0] ?? 0;
      if (key !== null && !isScalar(key)) {
        problems.push({
          offset,
          problem: `${dotted(path)}: has a key that is ${isAlias(key) ? "an alias" : "a list or mapping"} (line ${lineOf(offset)}); keys are plain names`,
        });
        continue;
      }
      const name = String(key?.value ?? null);
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push({
          offset,
          problem: `${dotted([...path, name])}: defined twice (line ${lineOf(first)} and line ${lineOf(offset)}); keep one (YAML does not allow a key twice in a mapping)`,
        });
      } else {
        seen.set(name, offset);
      }
      problems.push(...duplicateKeys(pair.value, [...path, name], lineOf));
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) problems.push(...duplicateKeys(item, [...path, index], lineOf));
  }
  return problems;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const branch = closestBranch(issue);
    if (branch !== undefined) {
      lines.push(...describeIssues(branch, raw));
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      const container = valueAt(raw, issue.path);
      const fields = fieldsAt(recoveryConfigSchema, issue.path, raw);
      for (const key of issue.keys) lines.push(`${dotted([...issue.path, key])}: ${unknownField(key, fields, container)}`);
      continue;
    }
    if (issue.code === "invalid_key") {
      // The path ends with the key itself: report the key as the value, with what is wrong with it.
      const key = issue.path[issue.path.length - 1];
      const reasons = [...new Set(issue.issues.map((inner) => inner.message))].join("; ");
      lines.push(`${dotted(issue.path)}: ${describeValue(String(key))} ${reasons}`);
      continue;
    }
    const value = valueAt(raw, issue.path);
    lines.push(`${dotted(issue.path)}: ${describeValue(value)} ${explain(issue, value)}`);
  }
  return lines;
}

/**
 * For a value that matches no form of a plain union (e.g. a network peer that is either `{ cidr }` or
 * `{ namespace, podLabels }`), the issues of the form it came closest to, with their full paths: the user sees
 * "has an octet above 255", not "matches none of the accepted forms". A form whose keys did not fit counts as far.
 */
function closestBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] | undefined {
  if (issue.code !== "invalid_union" || "discriminator" in issue || !Array.isArray(issue.errors) || issue.errors.length === 0) return undefined;
  const score = (branch: readonly z.core.$ZodIssue[]) =>
    branch.reduce((sum, inner) => sum + (inner.code === "unrecognized_keys" || inner.code === "invalid_type" ? 100 : 1), 0);
  const ranked = [...issue.errors].sort((a, b) => score(a) - score(b));
  const best = ranked[0];
  if (best === undefined || best.length === 0 || (ranked[1] !== undefined && score(ranked[1]) === score(best))) return undefined;
  return best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
}

/** Why a key is unknown: a likely misspelling, a field of another mode, or the list of fields that are known here. */
function unknownField(key: string, fields: FieldsHere, container: unknown): string {
  const guess = closest(key, fields.known);
  if (guess !== undefined) return `is not a known field; did you mean ${guess}?`;
  const elsewhere = fields.otherModes.find((mode) => mode.fields.includes(key));
  if (elsewhere !== undefined) {
    const current = container !== null && typeof container === "object" ? (container as Record<string, unknown>)[elsewhere.discriminator] : undefined;
    return `is not a field of ${elsewhere.discriminator} ${JSON.stringify(current)}; it belongs to ${elsewhere.discriminator} ${JSON.stringify(elsewhere.value)}`;
  }
  return fields.known.length > 0
    ? `is not a known field; the fields here are ${fields.known.join(", ")}`
    : "is not a known field; check the spelling against config/recovery-config.schema.json";
}

function explain(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return `is missing; expected ${issue.expected}`;
      if (value === null) return `is empty; expected ${issue.expected === "object" ? "a mapping" : issue.expected}`;
      if (issue.expected === "boolean" && typeof value === "string") {
        const bool = /^(yes|on|y|true)$/i.test(value) ? "true" : /^(no|off|n|false)$/i.test(value) ? "false" : undefined;
        return bool !== undefined
          ? `has the wrong type; expected boolean: write ${bool} (YAML 1.2 reads yes/no/on/off as text)`
          : "has the wrong type; expected boolean (true or false)";
      }
      if (issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
        return `has the wrong type; expected string: YAML read it as a ${typeof value}, so put it in quotes (e.g. "16.10", which YAML would read as the number 16.1 unquoted)`;
      }
      if (issue.expected === "number" && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return "has the wrong type; expected number: remove the quotes";
      }
      return `has the wrong type; expected ${issue.expected === "object" ? "a mapping" : issue.expected === "array" ? "a list" : issue.expected}`;
    case "invalid_union":
      if ("discriminator" in issue && Array.isArray((issue as { options?: unknown[] }).options)) {
        const allowed = (issue as { options: unknown[] }).options;
        const options = allowed.map((option) => JSON.stringify(option)).join(", ");
        return value === undefined ? `is missing; expected one of ${options}` : `is not one of ${options}${didYouMean(value, allowed)}`;
      }
      return value === undefined
        ? "is missing; see config/recovery-config.schema.json for its forms"
        : "matches none of the accepted forms; see config/recovery-config.schema.json";
    case "invalid_value":
      return `is not one of ${issue.values.map((option) => JSON.stringify(option)).join(", ")}${didYouMean(value, issue.values)}`;
    case "too_small":
      return issue.message.startsWith("Too small") ? `is too small; expected at least ${String(issue.minimum)}` : issue.message;
    case "too_big":
      return issue.message.startsWith("Too big") ? `is too big; expected at most ${String(issue.maximum)}` : issue.message;
    default:
      return issue.message;
  }
}

function didYouMean(value: unknown, allowed: readonly unknown[]): string {
  if (typeof value !== "string" && typeof value !== "number") return "";
  const options = allowed.filter((option): option is string => typeof option === "string");
  const guess = closest(String(value), options);
  return guess === undefined ? "" : `; did you mean ${JSON.stringify(guess)}?`;
}

interface FieldsHere {
  /** Fields the schema accepts at this place (of the mode the value names, for a discriminated union). */
  readonly known: string[];
  /** The other modes of a discriminated union here, with their fields. */
  readonly otherModes: Array<{ discriminator: string; value: unknown; fields: string[] }>;
}

type SchemaDef = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): SchemaDef => (schema as { _zod: { def: SchemaDef } })._zod.def;

/**
 * The fields the zod schema knows at `path`, walking objects, arrays, records, wrappers (optional, default, pipe...)
 * and unions; a discriminated union is narrowed to the branch the raw value's discriminator names.
 */
function fieldsAt(schema: unknown, path: readonly PropertyKey[], raw: unknown): FieldsHere {
  let candidates: unknown[] = [schema];
  let value = raw;
  const objectsOf = (list: unknown[], at: unknown): { objects: unknown[]; otherModes: FieldsHere["otherModes"] } => {
    const objects: unknown[] = [];
    const otherModes: FieldsHere["otherModes"] = [];
    const queue = [...list];
    while (queue.length > 0) {
      const current = queue.shift();
      const def = defOf(current);
      if (["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(def.type)) {
        queue.push(def.innerType);
      } else if (def.type === "pipe") {
        queue.push(def.in);
      } else if (def.type === "lazy") {
        queue.push((def.getter as () => unknown)());
      } else if (def.type === "union") {
        const discriminator = def.discriminator as string | undefined;
        for (const option of def.options as unknown[]) {
          const optionDef = defOf(option);
          const literal =
            discriminator !== undefined && optionDef.type === "object" ? defOf((optionDef.shape as Record<string, unknown>)[discriminator]) : undefined;
          const mode = (literal?.values as unknown[] | undefined)?.[0];
          const actual = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[discriminator ?? ""] : undefined;
          if (discriminator !== undefined && mode !== undefined && actual !== undefined && mode !== actual) {
            otherModes.push({ discriminator, value: mode, fields: Object.keys(optionDef.shape as object) });
          } else {
            queue.push(option);
          }
        }
      } else {
        objects.push(current);
      }
    }
    return { objects, otherModes };
  };
  for (const segment of path) {
    const { objects } = objectsOf(candidates, value);
    const next: unknown[] = [];
    for (const candidate of objects) {
      const def = defOf(candidate);
      if (def.type === "object") {
        const field = (def.shape as Record<string, unknown>)[String(segment)];
        if (field !== undefined) next.push(field);
      } else if (def.type === "array") {
        next.push(def.element);
      } else if (def.type === "record") {
        next.push(def.valueType);
      }
    }
    candidates = next;
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
  }
  const { objects, otherModes } = objectsOf(candidates, value);
  const known = [...new Set(objects.flatMap((candidate) => (defOf(candidate).type === "object" ? Object.keys(defOf(candidate).shape as object) : [])))];
  return { known, otherModes };
}

function dotted(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`)).join("");
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current = raw;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
