// The domain taxonomy as screens show it: domains with their sub-fields under them, and a
// domain's title by its name.
import type { Domain } from '../api/experts';

export interface DomainNode {
  domain: Domain;
  subfields: Domain[];
}

/** Domains in the server's order, each with its sub-fields in the server's order. A sub-field
 * whose parent is unknown is shown as a domain of its own rather than lost. */
export function domainTree(domains: readonly Domain[]): DomainNode[] {
  const roots = new Map<string, DomainNode>();
  for (const d of domains) if (d.parent === null) roots.set(d.name, { domain: d, subfields: [] });
  const orphans: DomainNode[] = [];
  for (const d of domains) {
    if (d.parent === null) continue;
    const root = roots.get(d.parent);
    if (root) root.subfields.push(d);
    else orphans.push({ domain: d, subfields: [] });
  }
  return [...roots.values(), ...orphans];
}

export interface DomainOption {
  value: string;
  label: string;
}

/** Options for a select: each domain followed by its sub-fields, marked as such. */
export function domainOptions(domains: readonly Domain[]): DomainOption[] {
  const out: DomainOption[] = [];
  for (const node of domainTree(domains)) {
    out.push({ value: node.domain.name, label: node.domain.title });
    for (const s of node.subfields) out.push({ value: s.name, label: `${node.domain.title} › ${s.title}` });
  }
  return out;
}

/** The title of the domain `name`; the name itself when it is not in the list. */
export function domainTitle(domains: readonly Domain[], name: string | null): string {
  if (name === null) return '';
  return domains.find((d) => d.name === name)?.title ?? name;
}

/** A domain name from a title, as the server accepts names: `[a-z][a-z0-9_]{1,47}`. */
export function suggestName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '');
  return base.slice(0, 48).replace(/_+$/, '');
}
