/** One scrape of a process's `GET /metrics`, parsed from the Prometheus text format. */
export class MetricsScrape {
  constructor(readonly text: string) {}

  /** Metric names the scrape declares (`# TYPE name kind`), with their kind. */
  types(): Map<string, string> {
    const types = new Map<string, string>();
    for (const match of this.text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1], match[2]);
    return types;
  }

  /** The sample `name{labels}`: labels must match exactly those given (in any order); 0 when absent. */
  value(name: string, labels: Record<string, string> = {}): number {
    const wanted = Object.entries(labels).sort().map(([key, value]) => `${key}="${value}"`).join(',');
    for (const line of this.text.split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const have = (match[2] ?? '').split(/,(?=[a-zA-Z_]+=")/).filter(Boolean).sort().join(',');
      if (have === wanted) return Number(match[3]);
    }
    return 0;
  }
}

/** Scrapes `${baseUrl}/metrics`; fails with the answer when it is not a 200 in the Prometheus text format. */
export async function scrapeMetrics(baseUrl: string): Promise<MetricsScrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text.slice(0, 500)}`);
  return new MetricsScrape(text);
}
