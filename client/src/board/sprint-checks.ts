/**
 * Reads the sprint settings form: the meta patch to write, or for each bad field why, in words
 * that name the field and what it accepts. Nothing is written while any field is refused.
 */
import type { MetaPatch } from '../../../shared/doc';
import { parseUsd } from '../../../shared/money';
import { fromLocalInput } from '../ui/format';

export type SprintField = 'start' | 'end' | 'budget';

export type SprintReading = { patch: MetaPatch; errors?: undefined } | { errors: Partial<Record<SprintField, string>>; patch?: undefined };

export function readSprintForm(raw: Record<SprintField, string>): SprintReading {
  const errors: Partial<Record<SprintField, string>> = {};
  const start = raw.start.trim() ? fromLocalInput(raw.start.trim()) : null;
  const end = raw.end.trim() ? fromLocalInput(raw.end.trim()) : null;
  if (start === undefined) errors.start = 'Sprint start: a date and time, or empty';
  if (end === undefined) errors.end = 'Sprint end: a date and time, or empty';
  if (start && end && Date.parse(end) <= Date.parse(start)) errors.end = 'Sprint end: after the sprint start';
  const b = raw.budget.trim();
  // Typed dollars become micro-dollars digit by digit ("0.29" is exactly 290000), never via a float.
  const budget = b === '' ? null : parseUsd(b);
  if (budget === null && b !== '') errors.budget = 'Budget: an amount in US dollars, 0 or more (empty for no budget)';
  if (Object.keys(errors).length > 0) return { errors };
  return { patch: { sprintStart: start ?? null, sprintEnd: end ?? null, budgetMicroUsd: budget } };
}
