/**
 * A model list as people read it: the models that run here first, then the others together in
 * one group whose label says why they cannot be picked (each option adds its own reason).
 */
import type { ModelListEntry } from '../../../../shared/api';

export interface ModelGroups {
  available: ModelListEntry[];
  unavailable: ModelListEntry[];
  /** The unavailable group's label. */
  why: string;
}

export function groupModels(models: readonly ModelListEntry[]): ModelGroups {
  const available = models.filter((m) => m.available !== false);
  const unavailable = models.filter((m) => m.available === false);
  // Reasons from GET /api/models read "FAL_KEY not set": a missing key, which only the server's admin can add.
  const keys = unavailable.every((m) => /not set$/.test(m.reason ?? ''));
  const why = keys ? 'Not available here: the server has no API key for these (ask whoever runs it)' : 'Not available here';
  return { available, unavailable, why };
}

/** One unavailable option's text: its name and its own reason. */
export function unavailableLabel(m: ModelListEntry): string {
  return m.reason ? `${m.label} (${m.reason})` : m.label;
}
