import { toSearchDocument } from '../../platform/text-search.ts';

export type CustomerSearchInput = {
  name: string;
  addresses: readonly { text: string }[];
  identities: readonly { kind: string; value: string }[];
  tags?: readonly string[];
};

/** The token document behind `customers.search_text` (store with `to_tsvector('simple', doc)`). */
export function buildCustomerSearchDocument(input: CustomerSearchInput): string {
  return toSearchDocument([
    input.name,
    ...input.addresses.map((a) => a.text),
    ...input.identities.map((i) => i.value),
    ...(input.tags ?? []),
  ]);
}
