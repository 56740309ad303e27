// What an integrator writes with the types openapi-typescript generates from /api/v1/openapi.json
// (tests/ops/test_generated_clients.py generates api.d.ts beside this file and runs `tsc --strict` on both).
import type { components, paths } from "./api.d.ts";

type Bundle = components["schemas"]["SupportBundle"];
type ExpertPage = paths["/experts"]["get"]["responses"][200]["content"]["application/json"];
type Problem = components["schemas"]["Problem"];

export function links(b: Bundle): string[] {
  const hrefs = [b._links.self.href, b._links.experts.href, b._links.approaches.href, b._links.municipality.href];
  for (const expert of b.experts) {
    hrefs.push(expert._links.self.href, expert.servesVia.level);
  }
  const provider: string | null = b.approaches[0]?.provider?.name ?? null;
  const format: components["schemas"]["ApproachFormat"] | null = b.approaches[0]?.format ?? null;
  return [...hrefs, provider ?? "", format ?? ""];
}

export function next(page: ExpertPage): string | undefined {
  const names: string[] = page.items.map((e) => e.name + (e.organisation?._links.self.href ?? ""));
  return names.length < page.total ? page._links.next?.href : undefined;
}

export function reasons(problem: Problem): string[] {
  return (problem.invalidParams ?? []).map((p) => `${p.name}: ${p.reason}`);
}
