// Figures (issue 5): evaluation figures over a time range [from, to), computed
// from the log (electron/core/figures/figures.ts; every definition is in
// docs/figures.md). Durations are milliseconds; shares are fractions 0–1, null
// when undefined.
import { z } from 'zod';
import { AlertKind, Outcome, UnitType } from '../domain';
import { ArchiveName } from './keeping';

const FIGURES_MAX_RANGE_MS = 366 * 24 * 3600 * 1000;
export const FigureRange = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative(), archive: ArchiveName.optional() })
  .strict()
  .refine((range) => range.to > range.from, { message: 'to must be after from', path: ['to'] })
  .refine((range) => range.to - range.from <= FIGURES_MAX_RANGE_MS, { message: 'at most 366 days at a time', path: ['to'] });
export type FigureRange = z.infer<typeof FigureRange>;

/** One measured time: samples, nearest-rank median and 90th percentile, and those begun in the range but not ended within it. */
export const DurationFigures = z.object({
  count: z.number().int().nonnegative(),
  medianMs: z.number().nonnegative().nullable(),
  p90Ms: z.number().nonnegative().nullable(),
  incomplete: z.number().int().nonnegative(),
});
export type DurationFigures = z.infer<typeof DurationFigures>;

export const Figures = z.object({
  from: z.number().int(),
  to: z.number().int(),
  /** min(to, now): where the observed part of the range ends. */
  until: z.number().int(),
  alerts: z.object({
    total: z.number().int().nonnegative(),
    byKind: z.array(z.object({ kind: AlertKind, count: z.number().int().positive() })),
    /** sector null: raised outside every sector (open sea, sensor health). */
    bySector: z.array(
      z.object({
        sector: z.string().nullable(),
        name: z.string().nullable(),
        total: z.number().int().positive(),
        byKind: z.array(z.object({ kind: AlertKind, count: z.number().int().positive() })),
      }),
    ),
  }),
  times: z.object({ acknowledge: DurationFigures, dispatch: DurationFigures, arrive: DurationFigures }),
  incidents: z.object({
    opened: z.number().int().nonnegative(),
    closed: z.number().int().nonnegative(),
    /** Opened in the range and not closed by `until`. */
    stillOpen: z.number().int().nonnegative(),
    byOutcome: z.array(z.object({ outcome: Outcome, count: z.number().int().nonnegative() })),
    interceptedOrPrevented: z.number().int().nonnegative(),
    /** (intercepted + prevented) / closed. */
    share: z.number().min(0).max(1).nullable(),
    /** (intercepted + prevented) / (intercepted + prevented + handed to rescue): among confirmed crossing attempts. */
    shareOfAttempts: z.number().min(0).max(1).nullable(),
  }),
  units: z.object({
    /** until − from: the time each unit could have been committed. */
    observedMs: z.number().int().nonnegative(),
    /** Committed time of all units / (units × observedMs). */
    overall: z.number().min(0).max(1).nullable(),
    list: z.array(
      z.object({
        unit: z.string(),
        callsign: z.string().nullable(),
        type: UnitType.nullable(),
        assignments: z.number().int().nonnegative(),
        committedMs: z.number().int().nonnegative(),
        share: z.number().min(0).max(1).nullable(),
      }),
    ),
  }),
  /** Radar–AIS fusion (docs/fusion.md): radar tracks identified, and dark contacts with how they ended. */
  fusion: z
    .object({
      /** Radar tracks reported in the range. */
      radarTracks: z.number().int().nonnegative(),
      /** Of them, fused with an AIS ship in the range. */
      identified: z.number().int().nonnegative(),
      share: z.number().min(0).max(1).nullable(),
      darkContacts: z.object({
        raised: z.number().int().nonnegative(),
        /** Acknowledged into an incident. */
        acknowledged: z.number().int().nonnegative(),
        unacknowledged: z.number().int().nonnegative(),
        /** Acknowledged, their incident not closed by `until`. */
        stillOpen: z.number().int().nonnegative(),
        /** How their incidents were closed. */
        byOutcome: z.array(z.object({ outcome: Outcome, count: z.number().int().nonnegative() })),
      }),
    })
    .optional(),
});
export type Figures = z.infer<typeof Figures>;

export const figureRequests = {
  /** The figures of a time range (a shift is its time range; see docs/figures.md); with `archive`, from that archive file. */
  'figures.get': { params: FigureRange, result: Figures },
  /** The same figures as one RFC 4180 CSV (header row, a `table` column; CRLF line ends). */
  'figures.csv': { params: FigureRange, result: z.object({ csv: z.string() }) },
} as const;
