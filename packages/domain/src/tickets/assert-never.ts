/**
 * Marks a branch the type checker proves unreachable. Used as the `default` of every exhaustive
 * `switch`: adding a member to a union breaks the build until each switch handles it.
 */
export function assertNever(x: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(x)}`);
}
