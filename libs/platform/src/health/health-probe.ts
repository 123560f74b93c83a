import { Injectable } from '@nestjs/common';

/** A readiness check a module contributes (its database, say); throws when not ready. */
export interface HealthProbe {
  name: string;
  check(): Promise<void> | void;
}

/** Modules register their probes here at init; `/health/ready` runs them all. */
@Injectable()
export class HealthProbes {
  private readonly probes: HealthProbe[] = [];

  register(probe: HealthProbe): void {
    this.probes.push(probe);
  }

  list(): readonly HealthProbe[] {
    return this.probes;
  }
}
