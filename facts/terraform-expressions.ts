/**
 * Reading Terraform's JSON syntax, where an expression is a string holding `${ ... }` interpolations
 * (https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping): one reader for the policy pack
 * and the plan report, so both see the same references.
 */

/** The expressions inside `${ ... }`, with nested braces (object constructors, inner templates) kept whole. `$${` is a literal. */
export function interpolations(text: string): string[] {
  const expressions: string[] = [];
  for (let index = text.indexOf("${"); index !== -1; index = text.indexOf("${", index)) {
    if (index > 0 && text[index - 1] === "$") {
      index += 2;
      continue;
    }
    let depth = 1;
    let cursor = index + 2;
    let quote = false;
    for (; cursor < text.length && depth > 0; cursor++) {
      const char = text[cursor];
      if (quote) {
        if (char === "\\") cursor++;
        else if (char === '"') quote = false;
      } else if (char === '"') quote = true;
      else if (char === "{") depth++;
      else if (char === "}") depth--;
    }
    expressions.push(text.slice(index + 2, cursor - 1));
    index = cursor;
  }
  return expressions;
}
