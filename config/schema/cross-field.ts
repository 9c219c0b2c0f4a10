/**
 * Cross-field rules run beside the schema over the raw document, not after it: zod skips an object's refinements once
 * any field inside it is invalid, and users must see every problem in one run. Each rule reads only the fields it
 * needs, through typed getters that answer `undefined` for a missing or mistyped value (the schema reports those), and
 * stays silent unless all its inputs are usable.
 */
import { unknownSettingProblem } from "../../modules/medplum/settings";

export type Path = ReadonlyArray<string | number>;

export interface CrossFieldProblem {
  readonly path: Path;
  /** Read after the dotted path and the value, e.g. `is the primary region too; ...`. */
  readonly message: string;
}

export interface CrossFieldRule {
  /** One line on what the rule protects against; documentation for forks. */
  readonly description: string;
  readonly check: (document: ConfigDocument) => CrossFieldProblem[];
}

/** Typed, forgiving access to the raw YAML document. */
export class ConfigDocument {
  constructor(readonly raw: unknown) {}

  value(path: Path): unknown {
    let current = this.raw;
    for (const segment of path) {
      if (current === null || typeof current !== "object") return undefined;
      current = (current as Record<string | number, unknown>)[segment];
    }
    return current;
  }

  string(path: Path): string | undefined {
    const value = this.value(path);
    return typeof value === "string" ? value : undefined;
  }

  number(path: Path, fallback?: number): number | undefined {
    const value = this.value(path);
    if (value === undefined) return fallback;
    return typeof value === "number" ? value : undefined;
  }

  strings(path: Path): Array<string | undefined> {
    const value = this.value(path);
    return Array.isArray(value) ? value.map((item) => (typeof item === "string" ? item : undefined)) : [];
  }

  has(path: Path): boolean {
    return this.value(path) !== undefined;
  }
}

/** The region part of an ARN (`arn:aws:service:region:account:...`), if the value is one. */
export function arnRegion(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith("arn:")) return undefined;
  const region = value.split(":")[3];
  return region === "" ? undefined : region;
}

/**
 * Medplum's SMTP password lives in the target's secret store exactly when `medplum.smtp` is set: a rule per target,
 * `field` being where the target's config names the secret and `holder` what holds it (for the message).
 */
export function smtpPasswordRule(target: Path, field: Path, store: string, holder: string): CrossFieldRule {
  return {
    description: `SMTP mail has its password in ${store}.`,
    check: (doc) => {
      if (!doc.has(target) || doc.has(["medplum", "smtp"]) === doc.has(field)) return [];
      return [
        doc.has(["medplum", "smtp"])
          ? { path: field, message: `is required when medplum.smtp is set; name the ${holder} holding the SMTP password` }
          : { path: field, message: "is given, but medplum.smtp is not set; set medplum.smtp or remove it" },
      ];
    },
  };
}

/**
 * The keys of the map at `path` are Medplum setting names (`MEDPLUM_*` variables the config hands the servers): each
 * must be one the pinned server reads, or the server silently ignores it (modules/medplum/settings.ts).
 */
export function medplumSettingNamesRule(description: string, path: Path): CrossFieldRule {
  return {
    description,
    check: (doc) => {
      const settings = doc.value(path);
      const image = doc.string(["medplum", "image"]);
      if (settings === null || typeof settings !== "object" || image === undefined) return [];
      return Object.keys(settings).flatMap((name): CrossFieldProblem[] => {
        const problem = unknownSettingProblem(name, image);
        return problem === undefined ? [] : [{ path: [...path, name], message: `names no Medplum setting: ${problem}` }];
      });
    },
  };
}
